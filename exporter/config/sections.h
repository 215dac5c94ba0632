#pragma once
// Internal to the config module: one parser per part of the document. Each fills its part of the
// output and returns the first problem it finds.

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "config/config.h"
#include "config/toml_reader.h"

namespace lagwatch::config::detail {

std::optional<Error> parse_server(const TableReader& root, Config& config);
std::optional<Error> parse_poll(const TableReader& root, Config& config);
std::optional<Error> parse_clusters(const TableReader& root, Config& config);

// [clusters.groups] / [clusters.topics]; `key` is "groups" or "topics".
std::optional<Error> parse_filter(const TableReader& cluster, std::string_view key,
                                  NameFilter& out);
// [clusters.librdkafka], with env/file references resolved.
std::optional<Error> parse_librdkafka(const TableReader& cluster,
                                      std::map<std::string, PropertyValue>& out);

}  // namespace lagwatch::config::detail
