// libFuzzer entry point for the `__consumer_offsets` decoder and the group state tracker: any
// bytes must decode to a value, and folding that value into the tracker must not misbehave. The
// same bytes also go to the consumer-protocol assignment decoder (DescribeGroups' member bytes).
#include <cstddef>
#include <cstdint>

#include "fuzz_framing.h"
#include "offsets/consumer_assignment.h"
#include "offsets/group_state_tracker.h"
#include "offsets/record_decoder.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto framed = lagwatch::offsets::fuzz::unframe({data, size});
  const lagwatch::offsets::Record record =
      lagwatch::offsets::decode_record(framed.key, framed.value);
  lagwatch::offsets::GroupStateTracker tracker;
  tracker.apply(record);
  tracker.apply(record);  // a repeated record exercises the update paths, not only creation
  (void)lagwatch::offsets::decode_consumer_assignment({data, size});
  return 0;
}
