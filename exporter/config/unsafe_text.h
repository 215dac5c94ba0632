#pragma once
// Internal to the config module: a guard in front of toml++ 3.3 (Debian 12), whose whitespace
// check reaches __builtin_unreachable() for many non-ASCII code points (Latin-1, Greek, Cyrillic,
// kana, ...; upstream issues marzer/tomlplusplus#190 and #295). The parser runs that check on a
// character that is outside any string and comment (including quotes glued to a number, which it
// scans through), right after a backslash in a multi-line basic string, or first after a
// line-ending backslash there. Text with a non-ASCII byte in one of these places is refused
// before toml++ sees it. Outside strings and comments such a character is a TOML syntax error
// anyway; the multi-line string cases are valid TOML given up for safety. The Debian 12 build of
// the shared library happens to behave, but the fuzzer (toml++ compiled in) and any other build
// may not.
// The same scan refuses keys with more dotted parts than any configuration needs: toml++ nests a
// table per part and recurses through them, so such a key would set the depth of its stack.

#include <optional>
#include <string>
#include <string_view>

namespace lagwatch::config::detail {

struct UnsafeText {
  int line = 0;  // 1-based, like toml++'s
  std::string message;
};

std::optional<UnsafeText> find_unsafe_text(std::string_view text);

}  // namespace lagwatch::config::detail
