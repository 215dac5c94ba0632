#include "config/internal/unsafe_text.h"

#include <algorithm>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace lagwatch::config::detail {
namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
// toml++ reads at most five quotes as one run: up to two belong to the string, three close it.
constexpr std::size_t kLongestClosingRun = 5;
// What ends toml++'s scan of a bare value (a number, a date, a boolean).
constexpr std::string_view kValueTerminators = " \t\r\n]},#";
constexpr const char* kOutsideMessage =
    "TOML syntax error: non-ASCII character outside a string or comment";
// toml++ builds one nested table per part of a dotted key and walks them recursively, so the
// depth of its stack is the number of parts. No configuration needs more than a handful.
constexpr int kMaxKeyParts = 100;
// What may follow a line-ending backslash before the string goes on.
constexpr std::string_view kLineEndingWhitespace = " \t\r\n";

bool is_non_ascii(char c) { return static_cast<unsigned char>(c) >= 0x80; }

// A lexer that knows only comments, the four kinds of strings and where strings may begin: enough
// to tell where toml++ would classify a character as whitespace or not. Where it is unsure it
// takes the text for being outside a string, which can only refuse more, never less.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {
    if (text_.substr(0, kByteOrderMark.size()) == kByteOrderMark) {
      pos_ = kByteOrderMark.size();  // toml++ skips it too
    }
  }

  std::optional<UnsafeText> scan() {
    while (pos_ < text_.size() && !found_) {
      const char c = text_[pos_];
      if (in_value_run_ && kValueTerminators.find(c) == std::string_view::npos) {
        if (is_non_ascii(c)) {
          flag(kOutsideMessage);
        }
        ++pos_;
        continue;
      }
      in_value_run_ = false;
      if (string_may_start_ && (c == '"' || c == '\'')) {
        scan_string(c);
        string_may_start_ = false;
      } else if (c == '#') {
        pos_ = std::min(text_.find('\n', pos_), text_.size());
      } else if (is_non_ascii(c)) {
        flag(kOutsideMessage);
      } else {
        ++pos_;
        track_structure(c);
      }
    }
    return found_;
  }

 private:
  bool at(std::string_view token) const { return text_.substr(pos_, token.size()) == token; }

  void scan_string(char quote) {
    const std::string_view three_quotes = quote == '"' ? "\"\"\"" : "'''";
    if (at(three_quotes)) {
      pos_ += 3;
      if (quote == '"') {
        scan_multi_line_basic();
      } else {
        scan_multi_line_literal();
      }
    } else {
      ++pos_;
      scan_single_line(quote, quote == '"');
    }
  }

  // Follows keys, values, arrays and inline tables just enough to know where a string may begin.
  void track_structure(char c) {
    switch (c) {
      case ' ':
      case '\t':
      case '\r':
        return;
      case '\n':
        in_key_ = in_key_ || nesting_.empty();
        key_parts_ = 1;
        string_may_start_ = true;
        return;
      case '=':
        in_key_ = false;
        key_parts_ = 1;
        string_may_start_ = true;
        return;
      case '.':
        string_may_start_ = in_key_;  // a dotted key; in a value it is part of a number
        if (in_key_ && ++key_parts_ > kMaxKeyParts) {
          flag("key with more than " + std::to_string(kMaxKeyParts) + " dotted parts");
        }
        return;
      case '[':
        if (!in_key_ || !nesting_.empty()) {
          nesting_.push_back('[');  // an array; otherwise a table header, which holds a key
        }
        string_may_start_ = true;
        return;
      case '{':
        nesting_.push_back('{');
        in_key_ = true;
        string_may_start_ = true;
        return;
      case ',':
        in_key_ = !nesting_.empty() && nesting_.back() == '{';
        key_parts_ = 1;
        string_may_start_ = true;
        return;
      case ']':
      case '}':
        if (!nesting_.empty() && nesting_.back() == (c == ']' ? '[' : '{')) {
          nesting_.pop_back();
        }
        in_key_ = false;
        string_may_start_ = false;
        return;
      default:
        // A bare key character, or the start of a number, date or boolean that toml++ scans up
        // to the next terminator, quotes included.
        in_value_run_ = !in_key_;
        string_may_start_ = false;
    }
  }

  void flag(std::string message) {
    const std::string_view before = text_.substr(0, pos_);
    const auto newlines = std::count(before.begin(), before.end(), '\n');
    found_ = UnsafeText{static_cast<int>(newlines) + 1, std::move(message)};
  }

  // Ends after the closing quote, or at the newline that leaves it unterminated (toml++ reports
  // that, and a stray newline is outside again).
  void scan_single_line(char quote, bool escapes) {
    while (pos_ < text_.size() && text_[pos_] != '\n') {
      const char c = text_[pos_++];
      if (c == quote) {
        return;
      }
      if (escapes && c == '\\' && pos_ < text_.size() && text_[pos_] != '\n') {
        ++pos_;
      }
    }
  }

  // At a quote run inside a multi-line string: true (and past the run) if it closes the string.
  bool consume_quote_run(char quote) {
    std::size_t run = 0;
    while (run < kLongestClosingRun && pos_ + run < text_.size() && text_[pos_ + run] == quote) {
      ++run;
    }
    pos_ += run;
    return run >= 3;
  }

  void scan_multi_line_basic() {
    while (pos_ < text_.size() && !found_) {
      const char c = text_[pos_];
      if (c == '"') {
        if (consume_quote_run('"')) {
          return;
        }
      } else if (c == '\\') {
        ++pos_;
        scan_after_backslash();
      } else {
        ++pos_;
      }
    }
  }

  void scan_after_backslash() {
    if (pos_ >= text_.size()) {
      return;
    }
    if (is_non_ascii(text_[pos_])) {
      flag("TOML syntax error: non-ASCII character after a backslash in a multi-line string");
      return;
    }
    if (kLineEndingWhitespace.find(text_[pos_]) == std::string_view::npos) {
      ++pos_;  // an ordinary escape such as \" or \\ (an invalid one is toml++'s to report)
      return;
    }
    // A line-ending backslash: toml++ tests the first character after the skipped whitespace.
    pos_ = std::min(text_.find_first_not_of(kLineEndingWhitespace, pos_), text_.size());
    if (pos_ < text_.size() && is_non_ascii(text_[pos_])) {
      flag(
          "unsupported: a line continued with a backslash in a multi-line string must go on with "
          "an ASCII character");
    }
  }

  void scan_multi_line_literal() {
    while (pos_ < text_.size()) {
      if (text_[pos_] == '\'') {
        if (consume_quote_run('\'')) {
          return;
        }
      } else {
        ++pos_;
      }
    }
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  // toml++ reads a quote as the start of a string only where a key or a value begins; elsewhere
  // (say 2"x" or 1."x") it scans on through the quote as part of a malformed value.
  bool string_may_start_ = true;
  bool in_key_ = true;         // false from '=' to the end of the value
  bool in_value_run_ = false;  // inside a bare value token: nothing but a terminator ends it
  int key_parts_ = 1;          // parts of the key being read, counted at its dots
  std::vector<char> nesting_;  // '[' arrays and '{' inline tables open inside a value
  std::optional<UnsafeText> found_;
};

}  // namespace

std::optional<UnsafeText> find_unsafe_text(std::string_view text) { return Scanner(text).scan(); }

}  // namespace lagwatch::config::detail
