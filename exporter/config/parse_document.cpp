#include <string_view>
#include <utility>

#include "config/config.h"
#include "config/internal/sections.h"
#include "config/internal/toml_reader.h"
#include "config/internal/unsafe_text.h"
#include "config/read_file.h"

namespace lagwatch::config {
namespace {

// A config file is a few kilobytes; this only stops a wrong path (a device, a log) from being
// slurped whole.
constexpr std::size_t kMaxConfigBytes = 16 * 1024 * 1024;

// toml++ quotes the offending characters ("saw 'x'", "unknown escape sequence '\q'"), which may be
// part of a secret written on the broken line. Everything from the first quote on is dropped;
// the line number still points at the problem.
std::string describe_syntax_error(std::string_view description) {
  constexpr std::string_view kPrefix = "Error while ";
  if (description.substr(0, kPrefix.size()) == kPrefix) {
    description.remove_prefix(kPrefix.size());
  }
  description = description.substr(0, description.find('\''));
  const auto end = description.find_last_not_of(" ,:");
  description = description.substr(0, end == std::string_view::npos ? 0 : end + 1);
  constexpr std::string_view kSaw = " saw";
  if (description.size() >= kSaw.size() &&
      description.substr(description.size() - kSaw.size()) == kSaw) {
    description.remove_suffix(kSaw.size());
    description = description.substr(0, description.find_last_not_of(" ,") + 1);
  }
  return "TOML syntax error: " + std::string(description);
}

ParseResult validate(const toml::table& document, const std::string& path) {
  const detail::TableReader root(document, "", path);
  if (auto status = root.reject_unknown_keys({"server", "poll", "log", "metrics", "clusters"});
      !status) {
    return status.error();
  }
  Config config;
  config.source_path = path;
  if (auto status = detail::parse_server(root, config); !status) {
    return status.error();
  }
  if (auto status = detail::parse_poll(root, config); !status) {
    return status.error();
  }
  if (auto status = detail::parse_log(root, config.log); !status) {
    return status.error();
  }
  if (auto status = detail::parse_metrics(root, config); !status) {
    return status.error();
  }
  if (auto status = detail::parse_clusters(root, config); !status) {
    return status.error();
  }
  return config;
}

}  // namespace

ParseResult parse(const std::string& text, const std::string& path) {
  if (auto unsafe = detail::find_unsafe_text(text)) {
    return Error::config(path, unsafe->line, "", std::move(unsafe->message));
  }
  toml::table document;
  try {
    document = toml::parse(text, std::string_view{path});
  } catch (const toml::parse_error& error) {
    return Error::config(path, detail::line_of(error.source()), "",
                         describe_syntax_error(error.description()));
  }
  return validate(document, path);
}

ParseResult load_file(const std::string& path) {
  std::string text;
  if (auto problem = read_whole_file(path, kMaxConfigBytes, text)) {
    return Error::config(path, 0, "", "cannot read config file: " + *problem);
  }
  return parse(text, path);
}

}  // namespace lagwatch::config
