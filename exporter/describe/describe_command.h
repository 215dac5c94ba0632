#pragma once
// `lagwatch describe [--url URL] [--cluster NAME] [GROUP]`: reads the JSON API of a running
// lagwatch and prints what `kafka-consumer-groups --describe` would, plus lagwatch's own view
// (lag in seconds, health, rebalances). Without GROUP, one line per group.

#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "describe/json_value.h"

namespace lagwatch::describe {

inline constexpr std::chrono::milliseconds kDescribeTimeout{5000};
inline constexpr size_t kMaxResponseBytes = 256u << 20;

// The command's arguments, after "describe"; returns the process exit code: 0 printed, 1 the
// server could not be reached or answered badly, or the group is unknown; 2 bad usage.
// `default_url` is where a lagwatch with the default configuration listens.
int describe_main(const std::vector<std::string>& args, std::string_view default_url);

// The tables, from parsed API documents; for tests. `groups` is /api/v1/groups.
std::string groups_table(const JsonValue& groups);
// One table of the documents of /api/v1/groups/{cluster}/{group}.
std::string partitions_table(const std::vector<JsonValue>& documents);

// A name fit for a terminal: control bytes as \xNN, so a group name cannot move the cursor.
std::string printable(std::string_view text);

}  // namespace lagwatch::describe
