#pragma once
// Test-only readers of the two log line formats: they decode a line back into its keys and
// values, and fail on anything a strict reader would reject, so a test can check that what was
// logged reads back exactly.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lagwatch::log::testing {

using Pairs = std::vector<std::pair<std::string, std::string>>;

inline void append_utf8(std::uint32_t code, std::string& out) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

// Reads the escape after a backslash at text[i]; advances i past it. Only BMP \u escapes.
inline bool read_escape(std::string_view text, std::size_t& i, std::string& out) {
  if (i >= text.size()) return false;
  const char c = text[i++];
  switch (c) {
    case '"':
    case '\\':
    case '/':
      out += c;
      return true;
    case 'n':
      out += '\n';
      return true;
    case 'r':
      out += '\r';
      return true;
    case 't':
      out += '\t';
      return true;
    case 'b':
      out += '\b';
      return true;
    case 'f':
      out += '\f';
      return true;
    case 'u': {
      if (i + 4 > text.size()) return false;
      std::uint32_t code = 0;
      for (int k = 0; k < 4; ++k) {
        const char h = text[i++];
        code <<= 4;
        if (h >= '0' && h <= '9') {
          code |= static_cast<std::uint32_t>(h - '0');
        } else if (h >= 'a' && h <= 'f') {
          code |= static_cast<std::uint32_t>(h - 'a' + 10);
        } else if (h >= 'A' && h <= 'F') {
          code |= static_cast<std::uint32_t>(h - 'A' + 10);
        } else {
          return false;
        }
      }
      append_utf8(code, out);
      return true;
    }
    default:
      return false;
  }
}

// A quoted string starting at text[i] == '"'; advances i past the closing quote.
inline bool read_quoted(std::string_view text, std::size_t& i, std::string& out) {
  if (i >= text.size() || text[i] != '"') return false;
  ++i;
  while (i < text.size()) {
    const char c = text[i++];
    if (c == '"') return true;
    if (static_cast<unsigned char>(c) < 0x20) return false;  // raw control byte
    if (c == '\\') {
      if (!read_escape(text, i, out)) return false;
    } else {
      out += c;
    }
  }
  return false;
}

// key=value pairs separated by single spaces, ending in exactly one '\n'; a bare value is
// printable ASCII without space, '=', '"' and '\'.
inline std::optional<Pairs> read_logfmt(std::string_view line) {
  if (line.empty() || line.back() != '\n') return std::nullopt;
  line.remove_suffix(1);
  Pairs pairs;
  std::size_t i = 0;
  while (i < line.size()) {
    const std::size_t eq = line.find('=', i);
    if (eq == std::string_view::npos || eq == i) return std::nullopt;
    std::string key(line.substr(i, eq - i));
    for (const char c : key) {
      if (c == ' ' || c == '"' || static_cast<unsigned char>(c) <= 0x20) return std::nullopt;
    }
    i = eq + 1;
    std::string value;
    if (i < line.size() && line[i] == '"') {
      if (!read_quoted(line, i, value)) return std::nullopt;
    } else {
      while (i < line.size() && line[i] != ' ') {
        const char c = line[i++];
        if (c == '=' || c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x21 ||
            static_cast<unsigned char>(c) > 0x7e) {
          return std::nullopt;
        }
        value += c;
      }
    }
    pairs.emplace_back(std::move(key), std::move(value));
    if (i == line.size()) break;
    if (line[i] != ' ') return std::nullopt;
    ++i;
    if (i == line.size()) return std::nullopt;  // trailing space
  }
  return pairs;
}

// A flat JSON object of string values on one line ending in exactly one '\n'.
inline std::optional<Pairs> read_json(std::string_view line) {
  if (line.empty() || line.back() != '\n') return std::nullopt;
  line.remove_suffix(1);
  Pairs pairs;
  std::size_t i = 0;
  if (i >= line.size() || line[i++] != '{') return std::nullopt;
  if (i < line.size() && line[i] == '}')
    return ++i == line.size() ? std::optional(pairs) : std::nullopt;
  while (true) {
    std::string key;
    std::string value;
    if (!read_quoted(line, i, key)) return std::nullopt;
    if (i >= line.size() || line[i++] != ':') return std::nullopt;
    if (!read_quoted(line, i, value)) return std::nullopt;
    pairs.emplace_back(std::move(key), std::move(value));
    if (i >= line.size()) return std::nullopt;
    const char c = line[i++];
    if (c == '}') break;
    if (c != ',') return std::nullopt;
  }
  return i == line.size() ? std::optional(pairs) : std::nullopt;
}

// The value of `key`, if present once.
inline std::optional<std::string> value_of(const Pairs& pairs, std::string_view key) {
  std::optional<std::string> found;
  for (const auto& [k, v] : pairs) {
    if (k != key) continue;
    if (found) return std::nullopt;
    found = v;
  }
  return found;
}

}  // namespace lagwatch::log::testing
