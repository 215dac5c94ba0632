#pragma once
// Start-up and --check-config validation that needs both the config and the kafka module: every
// librdkafka property of every cluster goes through librdkafka's own configuration.

#include <optional>

#include "config/config.h"

namespace lagwatch::poll {

// The first property librdkafka rejects, in file order, as a config error naming file, line and
// key; std::nullopt when it takes them all.
Status check_librdkafka_properties(const config::Config& config);

}  // namespace lagwatch::poll
