#include "log/format.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <ctime>

namespace lagwatch::log {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void append_unicode_escape(unsigned code, std::string& out) {
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(code >> shift) & 0xF];
}

// The escaped content of a quoted value (without the quotes); the same rules serve both formats.
void append_escaped(std::string_view text, std::string& out) {
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      const std::size_t length = utf8_sequence_length(text, i);
      if (length == 0) {
        append_unicode_escape(0xFFFD, out);
        ++i;
      } else if (length == 2 && c == 0xC2 && static_cast<unsigned char>(text[i + 1]) < 0xA0) {
        append_unicode_escape(static_cast<unsigned char>(text[i + 1]), out);  // C1 control
        i += 2;
      } else {
        out.append(text.substr(i, length));
        i += length;
      }
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7F) {
          append_unicode_escape(c, out);
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
}

void append_quoted(std::string_view text, std::string& out) {
  out += '"';
  append_escaped(text, out);
  out += '"';
}

bool is_bare_logfmt_value(std::string_view value) {
  if (value.empty()) return false;
  for (const char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7F || c == '=' || c == '"' || c == '\\') return false;
  }
  return true;
}

void append_logfmt_key(std::string_view key, std::string& out) {
  if (key.empty()) {
    out += '_';
    return;
  }
  for (const char c : key) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '_' || c == '.' || c == '-';
    out += plain ? c : '_';
  }
}

void append_logfmt_field(std::string_view key, std::string_view value, std::string& out) {
  out += ' ';
  append_logfmt_key(key, out);
  out += '=';
  if (is_bare_logfmt_value(value)) {
    out.append(value);
  } else {
    append_quoted(value, out);
  }
}

void append_json_field(std::string_view key, std::string_view value, std::string& out) {
  out += ',';
  append_quoted(key, out);
  out += ':';
  append_quoted(value, out);
}

template <std::size_t N>
std::string_view name_of(const std::array<std::string_view, N>& names, std::size_t index) {
  return index < N ? names[index] : names[0];
}

template <typename Enum, std::size_t N>
std::optional<Enum> parse_name(const std::array<std::string_view, N>& names,
                               std::string_view name) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == name) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

}  // namespace

std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  std::size_t length = 0;
  unsigned char low = 0x80;  // allowed range of the second byte
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;   // overlong
    if (lead == 0xED) high = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;   // overlong
    if (lead == 0xF4) high = 0x8F;  // beyond U+10FFFF
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  if (byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (std::size_t k = 2; k < length; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return length;
}

std::string_view to_string(Level level) {
  return name_of(kLevelNames, static_cast<std::size_t>(level));
}

std::string_view to_string(Format format) {
  return name_of(kFormatNames, static_cast<std::size_t>(format));
}

std::optional<Level> parse_level(std::string_view name) {
  return parse_name<Level>(kLevelNames, name);
}

std::optional<Format> parse_format(std::string_view name) {
  return parse_name<Format>(kFormatNames, name);
}

std::string format_line(Format format, std::string_view timestamp, Level level,
                        std::string_view message, std::span<const Field> fields) {
  std::string out;
  out.reserve(64 + message.size() + fields.size() * 24);
  if (format == Format::kJson) {
    out += "{\"ts\":";
    append_quoted(timestamp, out);
    append_json_field("level", to_string(level), out);
    append_json_field("msg", message, out);
    for (const auto& field : fields) append_json_field(field.key, field.value, out);
    out += "}\n";
    return out;
  }
  out += "ts=";
  if (is_bare_logfmt_value(timestamp)) {
    out.append(timestamp);
  } else {
    append_quoted(timestamp, out);
  }
  out += " level=";
  out.append(to_string(level));
  out += " msg=";
  append_quoted(message, out);
  for (const auto& field : fields) append_logfmt_field(field.key, field.value, out);
  out += '\n';
  return out;
}

std::string quote(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  append_quoted(text, out);
  return out;
}

std::string format_timestamp(long long unix_millis) {
  long long seconds = unix_millis / 1000;
  long long millis = unix_millis % 1000;
  if (millis < 0) {
    millis += 1000;
    seconds -= 1;
  }
  const auto t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char stamp[40];
  const std::size_t n = std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
  std::string out(stamp, n);
  out += '.';
  out += static_cast<char>('0' + millis / 100);
  out += static_cast<char>('0' + millis / 10 % 10);
  out += static_cast<char>('0' + millis % 10);
  out += 'Z';
  return out;
}

}  // namespace lagwatch::log
