#include <cstddef>

#include "config/sections.h"

namespace lagwatch::config::detail {

std::optional<Error> parse_log(const TableReader& root, LogSettings& out) {
  std::optional<TableReader> section;
  if (auto error = root.read_table("log", section)) {
    return error;
  }
  if (!section) {
    return std::nullopt;
  }
  if (auto error = section->reject_unknown_keys({"format", "level"})) {
    return error;
  }
  auto format = static_cast<std::size_t>(out.format);
  if (auto error = section->read_choice("format", log::kFormatNames, format)) {
    return error;
  }
  out.format = static_cast<log::Format>(format);
  auto level = static_cast<std::size_t>(out.level);
  if (auto error = section->read_choice("level", log::kLevelNames, level)) {
    return error;
  }
  out.level = static_cast<log::Level>(level);
  return std::nullopt;
}

}  // namespace lagwatch::config::detail
