#include <cstddef>

#include "config/sections.h"

namespace lagwatch::config::detail {

Status parse_log(const TableReader& root, LogSettings& out) {
  std::optional<TableReader> section;
  if (auto error = root.read_table("log", section); !error) {
    return error;
  }
  if (!section) {
    return {};
  }
  if (auto error = section->reject_unknown_keys({"format", "level"}); !error) {
    return error;
  }
  auto format = static_cast<std::size_t>(out.format);
  if (auto error = section->read_choice("format", log::kFormatNames, format); !error) {
    return error;
  }
  out.format = static_cast<log::Format>(format);
  auto level = static_cast<std::size_t>(out.level);
  if (auto error = section->read_choice("level", log::kLevelNames, level); !error) {
    return error;
  }
  out.level = static_cast<log::Level>(level);
  return {};
}

}  // namespace lagwatch::config::detail
