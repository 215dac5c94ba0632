#include "describe/describe_command.h"

#include <algorithm>

#include "http/probe.h"
#include "http/request.h"

namespace lagwatch::describe {
namespace {

constexpr std::string_view kMissing = "-";

std::string shown_integer(const JsonValue& value) {
  const std::string_view text = value.number_text();
  return text.empty() ? std::string(kMissing) : std::string(text);
}

std::string shown_seconds(const JsonValue& value, const JsonValue& lower_bound) {
  const auto seconds = value.number();
  if (!seconds) return std::string(kMissing);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", *seconds);
  return (lower_bound.boolean().value_or(false) ? ">=" : "") + std::string(buffer);
}

std::string shown_string(const JsonValue& value) {
  const std::string* text = value.string();
  return text == nullptr ? std::string(kMissing) : printable(*text);
}

// Columns padded to their widest cell, two spaces apart, like kafka-consumer-groups.
std::string table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()));
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - row[i].size() + 2, ' ');
    }
    out += line + "\n";
  }
  return out;
}

struct Fetched {
  bool ok = false;
  int status = 0;
  JsonValue document;
  std::string error;
};

Fetched fetch(const std::string& base, const std::string& path) {
  Fetched out;
  const std::string url = base + path;
  const auto got = http::http_get(url, kDescribeTimeout,
                                  {.loopback_only = false, .max_body_bytes = kMaxResponseBytes});
  out.status = got.status;
  if (got.status == 0) {
    out.error = "cannot read " + url + ": " + got.error;
    return out;
  }
  auto parsed = parse_json(got.body);
  if (got.status == 200 && !parsed) {
    out.error = url + ": not a JSON answer: " + parsed.error().message;
    return out;
  }
  if (parsed) out.document = std::move(*parsed);
  out.ok = got.status == 200;
  if (!out.ok) out.error = url + ": HTTP status " + std::to_string(got.status);
  return out;
}

int usage(const std::string& message) {
  std::fprintf(stderr,
               "lagwatch describe: %s\nUsage: lagwatch describe [--url URL] [--cluster NAME] "
               "[GROUP]\n",
               message.c_str());
  return 2;
}

}  // namespace

std::string printable(std::string_view text) {
  constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) {
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    } else {
      out += c;
    }
  }
  return out;
}

std::string groups_table(const JsonValue& groups) {
  std::vector<std::vector<std::string>> rows = {{"CLUSTER", "GROUP", "STATE", "MEMBERS",
                                                 "PARTITIONS", "LAG", "LAG-SECONDS", "HEALTH",
                                                 "REBALANCES"}};
  if (const auto* items = groups["groups"].array()) {
    for (const auto& group : *items) {
      rows.push_back({shown_string(group["cluster"]), shown_string(group["name"]),
                      shown_string(group["state"]), shown_integer(group["members"]),
                      shown_integer(group["partitions"]), shown_integer(group["lag"]),
                      shown_seconds(group["lag_seconds"], group["lag_seconds_lower_bound"]),
                      shown_string(group["health"]), shown_integer(group["rebalances"])});
    }
  }
  return table(rows);
}

std::string partitions_table(const std::vector<JsonValue>& documents) {
  std::vector<std::vector<std::string>> rows = {{"CLUSTER", "GROUP", "TOPIC", "PARTITION",
                                                 "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG",
                                                 "LAG-SECONDS", "HEALTH", "REBALANCES"}};
  for (const auto& document : documents) {
    const std::string rebalances = shown_integer(document["rebalances"]);
    if (const auto* partitions = document["topic_partitions"].array()) {
      for (const auto& p : *partitions) {
        rows.push_back({shown_string(document["cluster"]), shown_string(document["name"]),
                        shown_string(p["topic"]), shown_integer(p["partition"]),
                        shown_integer(p["committed_offset"]), shown_integer(p["log_end_offset"]),
                        shown_integer(p["lag"]),
                        shown_seconds(p["lag_seconds"], p["lag_seconds_lower_bound"]),
                        shown_string(p["health"]), rebalances});
      }
    }
  }
  return table(rows);
}

int describe_main(const std::vector<std::string>& args, std::string_view default_url) {
  std::string base(default_url);
  std::optional<std::string> cluster, group;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--url" || arg == "--cluster") {
      if (i + 1 >= args.size()) return usage(arg + " needs a value");
      (arg == "--url" ? base : cluster.emplace()) = args[++i];
    } else if (arg.starts_with("--")) {
      return usage("unknown argument \"" + arg + "\"");
    } else if (group) {
      return usage("one GROUP at most");
    } else {
      group = arg;
    }
  }
  while (!base.empty() && base.back() == '/') base.pop_back();

  if (!group) {
    const Fetched groups = fetch(base, "/api/v1/groups");
    if (!groups.ok) {
      std::fprintf(stderr, "lagwatch describe: %s\n", groups.error.c_str());
      return 1;
    }
    std::printf("%s", groups_table(groups.document).c_str());
    return 0;
  }
  // The clusters to look in: the one named, or every cluster lagwatch watches.
  std::vector<std::string> clusters;
  if (cluster) {
    clusters.push_back(*cluster);
  } else {
    const Fetched listed = fetch(base, "/api/v1/clusters");
    if (!listed.ok) {
      std::fprintf(stderr, "lagwatch describe: %s\n", listed.error.c_str());
      return 1;
    }
    if (const auto* items = listed.document["clusters"].array()) {
      for (const auto& item : *items) {
        if (const std::string* name = item["name"].string()) clusters.push_back(*name);
      }
    }
  }
  std::vector<JsonValue> documents;
  for (const auto& name : clusters) {
    Fetched found = fetch(
        base, "/api/v1/groups/" + http::percent_encode(name) + "/" + http::percent_encode(*group));
    if (found.ok) {
      documents.push_back(std::move(found.document));
    } else if (found.status != 404) {
      std::fprintf(stderr, "lagwatch describe: %s\n", found.error.c_str());
      return 1;
    }
  }
  if (documents.empty()) {
    std::fprintf(stderr, "lagwatch describe: consumer group \"%s\" is unknown to %s%s\n",
                 printable(*group).c_str(), base.c_str(),
                 cluster ? (" in cluster \"" + printable(*cluster) + "\"").c_str() : "");
    return 1;
  }
  std::printf("%s", partitions_table(documents).c_str());
  return 0;
}

}  // namespace lagwatch::describe
