#pragma once
// Requests a librdkafka handle has sent, by Kafka API name, read from its statistics JSON: every
// broker object there carries a flat "req" object of API name -> requests sent since the handle
// was created. Pure: text in, totals out.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace lagwatch::metrics {

using RequestTotals = std::map<std::string, std::uint64_t, std::less<>>;

// The sum over all brokers of each "req" entry; APIs never sent (0) are kept too. Text that is
// not the expected shape yields what could be read, never an error.
RequestTotals request_totals(std::string_view statistics_json);

}  // namespace lagwatch::metrics
