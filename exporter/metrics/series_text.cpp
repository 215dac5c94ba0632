#include "metrics/internal/series_text.h"

#include <charconv>

namespace lagwatch::metrics {

void append_escaped_label_value(std::string& out, std::string_view value) {
  for (const char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
}

namespace detail {

void append_int(std::string& out, int64_t value) {
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, end);
}

void append_seconds(std::string& out, double value) {
  char buffer[48];
  auto [end, ec] =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, 3);
  out.append(buffer, end);
}

std::string label(std::string_view name, std::string_view value) {
  std::string out(name);
  out += "=\"";
  append_escaped_label_value(out, value);
  out += '"';
  return out;
}

void partition_labels(std::string& out, const std::string& prefix, const std::string& topic_label,
                      int32_t partition) {
  out.assign(prefix);
  out += ',';
  out += topic_label;
  out += ",partition=\"";
  append_int(out, partition);
  out += '"';
}

}  // namespace detail

}  // namespace lagwatch::metrics
