#pragma once
// lagwatch's one error vocabulary: every fallible call returns a Result, shaped like C++23's
// std::expected (has_value, operator bool, value, error, operator* and ->), never throws, and its
// Error says whether trying again can help.

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace lagwatch {

// Where a rejected configuration value sits; only configuration errors carry one.
struct ConfigLocation {
  std::string file;
  int line = 0;     // 0 when unknown (e.g. the file is missing)
  std::string key;  // dotted path, e.g. "clusters[1].librdkafka.sasl.password"; indexes from 0
};

struct Error {
  enum class Kind {
    kPermanent,  // the same call will fail the same way: a bad value, a refused permission
    kRetriable,  // may succeed when tried again: timeouts, a broker away, a coordinator moving
    kFatal,      // the handle that met it can no longer be used: make a new one
  };

  Error() = default;
  Error(int error_code, std::string text, Kind error_kind = Kind::kPermanent)
      : code(error_code), message(std::move(text)), kind(error_kind) {}

  int code = 0;  // librdkafka's rd_kafka_resp_err_t for errors from Kafka, 0 for the others
  std::string message;
  Kind kind = Kind::kPermanent;
  std::optional<ConfigLocation> where;

  // "FILE:LINE: KEY: MESSAGE" for configuration errors (":LINE" left out when the line is
  // unknown, "KEY: " when empty); "MESSAGE (code N)" for errors from Kafka; else MESSAGE.
  std::string to_string() const;

  bool retriable() const { return kind == Kind::kRetriable; }
  bool fatal() const { return kind == Kind::kFatal; }
  // librdkafka gave up waiting (RD_KAFKA_RESP_ERR__TIMED_OUT).
  bool timed_out() const { return code == -185; }
  // The broker's ACLs refuse the principal a topic, group or the cluster (TOPIC_, GROUP_ and
  // CLUSTER_AUTHORIZATION_FAILED).
  bool unauthorized() const { return code == 29 || code == 30 || code == 31; }
  // The topic or partition does not exist (UNKNOWN_TOPIC_OR_PART, librdkafka's __UNKNOWN_TOPIC
  // and __UNKNOWN_PARTITION).
  bool missing() const { return code == 3 || code == -188 || code == -190; }

  static Error config(std::string file, int line, std::string key, std::string message) {
    Error error(0, std::move(message));
    error.where = ConfigLocation{std::move(file), line, std::move(key)};
    return error;
  }
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT: implicit, as std::expected's
  Result(Error error) : state_(std::move(error)) {}  // NOLINT: stands in for std::unexpected

  bool has_value() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return has_value(); }
  const T& value() const& { return std::get<T>(state_); }
  T& value() & { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }
  const Error& error() const { return std::get<Error>(state_); }

 private:
  std::variant<T, Error> state_;
};

// A call that returns nothing but may fail, as std::expected<void, Error>.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}  // NOLINT: stands in for std::unexpected

  bool has_value() const { return !error_.has_value(); }
  explicit operator bool() const { return has_value(); }
  const Error& error() const { return *error_; }

 private:
  std::optional<Error> error_;
};

using Status = Result<void>;

}  // namespace lagwatch
