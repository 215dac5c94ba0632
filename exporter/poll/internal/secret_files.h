#pragma once
// Secrets in files are rotated in place (Kubernetes Secret volumes, Vault agents): when Kafka
// refuses a connection the poller re-reads them, and a changed value means a new client.

#include <string>
#include <vector>

#include "config/config.h"

namespace lagwatch::poll {

// Re-reads every { file = "PATH" } property of `cluster` and stores the values that changed.
// Returns the paths that changed (never a value); a file that cannot be read now keeps the old
// value.
std::vector<std::string> reread_secret_files(config::ClusterConfig& cluster);

}  // namespace lagwatch::poll
