#pragma once
// Validates librdkafka properties before any client exists, so that a misspelt name is a
// start-up error instead of a poll that fails forever.

#include <cstddef>
#include <optional>
#include <vector>

#include "error/result.h"
#include "kafka/client.h"

namespace lagwatch::kafka {

struct PropertyProblem {
  std::size_t index = 0;  // into the checked properties
  Error error;            // the value is left out for secrets
};

// Sets the properties in order on a scratch librdkafka configuration, as every client does: the
// first one librdkafka rejects (unknown name, malformed value), or std::nullopt. Connects to
// nothing and creates no handle.
std::optional<PropertyProblem> check_properties(const std::vector<Property>& properties);

}  // namespace lagwatch::kafka
