#pragma once
// Errors as values: every call into Kafka returns either its value or an Error, never throws.

#include <string>
#include <utility>
#include <variant>

namespace lagwatch::kafka {

struct Error {
  int code = 0;  // rd_kafka_resp_err_t
  std::string message;
  std::string to_string() const { return message + " (code " + std::to_string(code) + ")"; }
  // librdkafka gave up waiting (RD_KAFKA_RESP_ERR__TIMED_OUT).
  bool timed_out() const { return code == -185; }
  // The broker's ACLs refuse the principal a topic, group or the cluster (TOPIC_, GROUP_ and
  // CLUSTER_AUTHORIZATION_FAILED).
  bool unauthorized() const { return code == 29 || code == 30 || code == 31; }
};

template <class T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : state_(std::move(error)) {}  // NOLINT
  bool ok() const { return std::holds_alternative<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  const Error& error() const { return std::get<Error>(state_); }

 private:
  std::variant<T, Error> state_;
};

}  // namespace lagwatch::kafka
