#pragma once
// The pure part of logging: level and format names, and one event turned into one line. No I/O,
// no clock: the timestamp is given.

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace lagwatch::log {

enum class Level { kDebug, kInfo, kWarn, kError };
enum class Format { kLogfmt, kJson };

// The spellings of the config file and flags, indexed by the enum value.
inline constexpr std::array<std::string_view, 4> kLevelNames = {"debug", "info", "warn", "error"};
inline constexpr std::array<std::string_view, 2> kFormatNames = {"logfmt", "json"};

std::string_view to_string(Level level);
std::string_view to_string(Format format);
std::optional<Level> parse_level(std::string_view name);
std::optional<Format> parse_format(std::string_view name);

struct Field {
  std::string_view key;
  std::string_view value;
};

// One event as one line ending in '\n', with ts, level and msg first, then `fields` in order.
// Whatever the bytes of the message and the values, the line has no raw newline or control byte
// and is valid UTF-8: quotes and backslashes are escaped, \n \r \t as such, other control
// characters (C0, DEL, C1) as \u00XX, and each byte that is not part of a valid UTF-8 sequence as
// \ufffd. logfmt quotes a value (msg always) when it is empty or holds anything but printable
// ASCII other than space, '=', '"' and '\'; key characters outside [A-Za-z0-9_.-] become '_'.
std::string format_line(Format format, std::string_view timestamp, Level level,
                        std::string_view message, std::span<const Field> fields);

// `text` in double quotes, escaped as format_line() escapes values: valid as a JSON string, a
// logfmt value and a TOML basic string.
std::string quote(std::string_view text);

// Length of the valid UTF-8 sequence at text[i], or 0 when the byte there does not start one
// (a stray continuation byte, an overlong form, a surrogate, beyond U+10FFFF, or truncated).
std::size_t utf8_sequence_length(std::string_view text, std::size_t i);

// RFC 3339 in UTC with milliseconds, e.g. "2026-12-02T07:30:00.123Z".
std::string format_timestamp(long long unix_millis);

}  // namespace lagwatch::log
