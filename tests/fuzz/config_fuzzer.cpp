// libFuzzer entry point for the config parser: any text must come back as a Config or an Error,
// never a crash, an escaped exception or UB. A parsed config without librdkafka properties (the
// only part describe_redacted() may hide) must also survive the trip through describe_redacted()
// unchanged, which is what --check-config output promises.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <variant>

#include "config/config.h"

namespace {

constexpr const char* kPath = "fuzz.toml";

bool has_librdkafka_properties(const lagwatch::config::Config& config) {
  for (const auto& cluster : config.clusters) {
    if (!cluster.librdkafka.empty()) {
      return true;
    }
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const lagwatch::config::ParseResult result = lagwatch::config::parse(text, kPath);
  if (!result) {
    // Every error names its problem; an empty message would leave the user with "FILE: ".
    if (result.error().message.empty()) {
      std::abort();
    }
    return 0;
  }
  const lagwatch::config::Config* config = &*result;
  const std::string described = lagwatch::config::describe_redacted(*config);
  if (has_librdkafka_properties(*config)) {
    return 0;
  }
  const lagwatch::config::ParseResult reparsed = lagwatch::config::parse(described, kPath);
  if (!reparsed || lagwatch::config::describe_redacted(*reparsed) != described) {
    std::abort();
  }
  return 0;
}
