#include "describe/json_value.h"

#include <charconv>

namespace lagwatch::describe {
namespace {

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Result<JsonValue> document() {
    auto value = parse_value(0);
    skip_space();
    if (value && pos_ != text_.size()) fail("trailing bytes");
    // Every parser that returns nothing has said why already; this only guards the `*value`.
    if (!value) fail("not a JSON value");
    if (!error_.empty()) return Error(0, error_ + " at byte " + std::to_string(pos_));
    return std::move(*value);
  }

 private:
  void fail(const char* why) {
    if (error_.empty()) error_ = why;
  }
  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n' ||
                                   text_[pos_] == '\r' || text_[pos_] == '\t')) {
      ++pos_;
    }
  }
  bool take(char c) {
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool take_word(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  std::optional<JsonValue> parse_value(int depth) {
    if (depth > kMaxDepth) {
      fail("nested too deeply");
      return std::nullopt;
    }
    skip_space();
    if (pos_ >= text_.size()) {
      fail("unexpected end");
      return std::nullopt;
    }
    const char c = text_[pos_];
    if (c == '{') return parse_object(depth);
    if (c == '[') return parse_array(depth);
    if (c == '"') {
      auto text = parse_string();
      if (!text) return std::nullopt;
      return JsonValue(std::move(*text));
    }
    if (take_word("null")) return JsonValue();
    if (take_word("true")) return JsonValue(true);
    if (take_word("false")) return JsonValue(false);
    return parse_number();
  }

  std::optional<JsonValue> parse_number() {
    const size_t start = pos_;
    while (pos_ < text_.size() &&
           (std::string_view("+-.eE0123456789").find(text_[pos_]) != std::string_view::npos)) {
      ++pos_;
    }
    const std::string_view written = text_.substr(start, pos_ - start);
    double value = 0;
    const auto [end, ec] = std::from_chars(written.data(), written.data() + written.size(), value);
    if (written.empty() || ec != std::errc() || end != written.data() + written.size()) {
      fail("not a JSON value");
      return std::nullopt;
    }
    return JsonValue(JsonValue::Number{std::string(written)});
  }

  std::optional<unsigned> hex4() {
    if (pos_ + 4 > text_.size()) return std::nullopt;
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(text_.data() + pos_, text_.data() + pos_ + 4, value, 16);
    if (ec != std::errc() || end != text_.data() + pos_ + 4) return std::nullopt;
    pos_ += 4;
    return value;
  }

  static void append_utf8(std::string& out, unsigned code) {
    if (code < 0x80) {
      out += static_cast<char>(code);
    } else if (code < 0x800) {
      out += static_cast<char>(0xC0 | (code >> 6));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
      out += static_cast<char>(0xE0 | (code >> 12));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (code >> 18));
      out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    }
  }

  std::optional<std::string> parse_string() {
    ++pos_;  // the opening quote
    std::string out;
    while (pos_ < text_.size()) {
      const char c = text_[pos_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) {
        fail("control character in a string");
        return std::nullopt;
      }
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= text_.size()) break;
      const char escaped = text_[pos_++];
      switch (escaped) {
        case '"':
        case '\\':
        case '/':
          out += escaped;
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          auto code = hex4();
          if (!code) {
            fail("bad \\u escape");
            return std::nullopt;
          }
          // A surrogate pair is one code point; a lone surrogate becomes U+FFFD.
          if (*code >= 0xD800 && *code <= 0xDBFF && text_.substr(pos_, 2) == "\\u") {
            pos_ += 2;
            const auto low = hex4();
            if (!low) {
              fail("bad \\u escape");
              return std::nullopt;
            }
            code = (*low >= 0xDC00 && *low <= 0xDFFF)
                       ? 0x10000 + ((*code - 0xD800) << 10) + (*low - 0xDC00)
                       : 0xFFFD;
          } else if (*code >= 0xD800 && *code <= 0xDFFF) {
            code = 0xFFFD;
          }
          append_utf8(out, *code);
          break;
        }
        default:
          fail("bad escape");
          return std::nullopt;
      }
    }
    fail("unterminated string");
    return std::nullopt;
  }

  std::optional<JsonValue> parse_array(int depth) {
    ++pos_;
    JsonValue::Array items;
    if (take(']')) return JsonValue(std::move(items));
    do {
      auto item = parse_value(depth + 1);
      if (!item) return std::nullopt;
      items.push_back(std::move(*item));
    } while (take(','));
    if (!take(']')) {
      fail("expected ',' or ']'");
      return std::nullopt;
    }
    return JsonValue(std::move(items));
  }

  std::optional<JsonValue> parse_object(int depth) {
    ++pos_;
    JsonValue::Object members;
    if (take('}')) return JsonValue(std::move(members));
    do {
      skip_space();
      if (pos_ >= text_.size() || text_[pos_] != '"') {
        fail("expected a member name");
        return std::nullopt;
      }
      auto key = parse_string();
      if (!key) return std::nullopt;
      if (!take(':')) {
        fail("expected ':'");
        return std::nullopt;
      }
      auto value = parse_value(depth + 1);
      if (!value) return std::nullopt;
      members.emplace_back(std::move(*key), std::move(*value));
    } while (take(','));
    if (!take('}')) {
      fail("expected ',' or '}'");
      return std::nullopt;
    }
    return JsonValue(std::move(members));
  }

  std::string_view text_;
  size_t pos_ = 0;
  std::string error_;
};

}  // namespace

std::optional<bool> JsonValue::boolean() const {
  if (const bool* value = std::get_if<bool>(&value_)) return *value;
  return std::nullopt;
}

std::optional<int64_t> JsonValue::integer() const {
  const Number* n = std::get_if<Number>(&value_);
  if (n == nullptr) return std::nullopt;
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(n->text.data(), n->text.data() + n->text.size(), value);
  if (ec != std::errc() || end != n->text.data() + n->text.size()) return std::nullopt;
  return value;
}

std::optional<double> JsonValue::number() const {
  const Number* n = std::get_if<Number>(&value_);
  if (n == nullptr) return std::nullopt;
  double value = 0;
  std::from_chars(n->text.data(), n->text.data() + n->text.size(), value);
  return value;
}

const std::string* JsonValue::string() const { return std::get_if<std::string>(&value_); }

const JsonValue::Array* JsonValue::array() const { return std::get_if<Array>(&value_); }

const JsonValue& JsonValue::operator[](std::string_view key) const {
  static const JsonValue kNull;
  if (const Object* object = std::get_if<Object>(&value_)) {
    for (const auto& [name, value] : *object) {
      if (name == key) return value;
    }
  }
  return kNull;
}

std::string_view JsonValue::number_text() const {
  const Number* n = std::get_if<Number>(&value_);
  return n == nullptr ? std::string_view() : std::string_view(n->text);
}

Result<JsonValue> parse_json(std::string_view text) { return Parser(text).document(); }

}  // namespace lagwatch::describe
