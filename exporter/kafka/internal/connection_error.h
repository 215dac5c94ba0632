#pragma once
// Why a handle cannot reach Kafka. librdkafka's request APIs only say "Broker transport failure"
// when a connection fails; the real cause (wrong password, untrusted CA, hostname mismatch,
// unresolvable host, rejected token) is only in its log lines. The handle's log callback keeps
// the last such line here, so a failed request can name it.

#include <librdkafka/rdkafka.h>

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "error/result.h"
#include "kafka/internal/conf.h"

namespace lagwatch::kafka::detail {

// The kind of connection failure a librdkafka log line describes, e.g. "authentication failed",
// or nullopt when the line is not about a failed connection.
std::optional<std::string_view> connection_failure_kind(std::string_view message);

class ConnectionErrors {
 public:
  // `secrets`: values that must never appear in what is kept or logged (passwords, keys), even
  // if a library message were to quote one.
  explicit ConnectionErrors(std::vector<std::string> secrets);

  // Installs the log callback (forwarding to lagwatch's log, secrets masked) and the certificate
  // check, reached through `hooks` (the handle's opaque). Both must outlive the handle.
  void attach(rd_kafka_conf_t* conf, HandleHooks& hooks);

  // Records one librdkafka log line.
  void observe(int level, std::string_view facility, std::string_view message);

  // From the certificate verification callback: why OpenSSL refused the broker's certificate.
  void refused_certificate(std::string why);

  // The failure seen since the last success, e.g.
  // "authentication failed: sasl_ssl://host:9093/bootstrap: SASL authentication error: ...".
  std::optional<std::string> last() const;
  // A request succeeded: earlier failures are no longer the cause of anything.
  void clear();

  // `error` with the recorded cause in front of librdkafka's generic text, when there is one.
  Error explain(Error error) const;

  std::string mask(std::string text) const;

 private:
  std::vector<std::string> secrets_;
  mutable std::mutex mutex_;
  std::optional<std::string> last_;
  std::optional<std::string> refused_certificate_;
};

}  // namespace lagwatch::kafka::detail
