#pragma once
// A small JSON reader for `lagwatch describe`: it reads lagwatch's own /api/v1 documents, so it
// needs no streaming and no number beyond int64 and double. Depth and input are bounded by the
// caller's response limit; nesting beyond kMaxDepth is refused rather than recursed into.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "error/result.h"

namespace lagwatch::describe {

class JsonValue {
 public:
  using Array = std::vector<JsonValue>;
  using Object = std::vector<std::pair<std::string, JsonValue>>;  // in document order
  struct Number {
    std::string text;  // as written, so integers keep every digit
  };

  JsonValue() = default;  // null
  explicit JsonValue(bool value) : value_(value) {}
  explicit JsonValue(Number value) : value_(std::move(value)) {}
  explicit JsonValue(std::string value) : value_(std::move(value)) {}
  explicit JsonValue(Array value) : value_(std::move(value)) {}
  explicit JsonValue(Object value) : value_(std::move(value)) {}

  bool is_null() const { return std::holds_alternative<std::monostate>(value_); }
  // Each is empty/nullopt for a value of another type.
  std::optional<bool> boolean() const;
  std::optional<int64_t> integer() const;
  std::optional<double> number() const;
  const std::string* string() const;
  const Array* array() const;
  // The member `key` of an object; null for a missing key or a non-object.
  const JsonValue& operator[](std::string_view key) const;
  // The number as written, for printing; empty for a non-number.
  std::string_view number_text() const;

 private:
  std::variant<std::monostate, bool, Number, std::string, Array, Object> value_;
};

inline constexpr int kMaxDepth = 32;

// The document `text`, or an error that names the first problem and its byte offset.
Result<JsonValue> parse_json(std::string_view text);

}  // namespace lagwatch::describe
