// The cause of a failed connection, as read from librdkafka's log lines, and that no secret
// survives in what is kept.

#include "kafka/internal/connection_error.h"

#include <gtest/gtest.h>

namespace lagwatch::kafka::detail {
namespace {

TEST(ConnectionFailureKind, NamesEachCause) {
  EXPECT_EQ(connection_failure_kind(
                "sasl_ssl://127.0.0.1:9093/bootstrap: SASL authentication error: Authentication "
                "failed during authentication due to invalid credentials with SASL mechanism "
                "SCRAM-SHA-512 (after 5ms in state AUTH_REQ)"),
            "authentication failed");
  EXPECT_EQ(connection_failure_kind(
                "ssl://127.0.0.1:9093/bootstrap: SSL handshake failed: error:0A000086:SSL "
                "routines::certificate verify failed: broker certificate could not be verified"),
            "certificate verify failed");
  EXPECT_EQ(connection_failure_kind("ssl://127.0.0.1:9093/bootstrap: SSL handshake failed: "
                                    "certificate verify failed: Hostname mismatch"),
            "hostname mismatch");
  EXPECT_EQ(connection_failure_kind("sasl_ssl://nosuch.invalid:9093/bootstrap: Failed to resolve "
                                    "'nosuch.invalid:9093': Name or service not known"),
            "name resolution failed");
  EXPECT_EQ(connection_failure_kind("Connect to ipv4#127.0.0.1:9 failed: Connection refused"),
            "connection refused");
  // Kerberos: kinit could not get a ticket from the keytab (a key the KDC no longer has), so
  // GSSAPI finds no credentials; and the refresh that says so.
  EXPECT_EQ(connection_failure_kind(
                "sasl_plaintext://localhost:9092/bootstrap: GSSAPI Error: No credentials were "
                "supplied, or the credentials were unavailable or inaccessible (No Kerberos "
                "credentials available (default cache: FILE:/tmp/krb5cc))"),
            "authentication failed");
  EXPECT_EQ(connection_failure_kind("Kerberos ticket refresh failed: kinit -R -t \"k.keytab\" -k "
                                    "lw@REALM: exited with code 1"),
            "authentication failed");
  EXPECT_EQ(connection_failure_kind("Group \"g\" is rebalancing"), std::nullopt);
}

TEST(ConnectionErrors, KeepsTheLastFailureUntilCleared) {
  ConnectionErrors errors({});
  errors.observe(3, "FAIL", "x: Failed to resolve 'a:1': Name or service not known");
  errors.observe(7, "FAIL", "x: SASL authentication error: debug lines are not causes");
  errors.observe(3, "FAIL", "x: SASL authentication error: invalid credentials");
  EXPECT_EQ(errors.last(),
            "authentication failed: x: SASL authentication error: invalid credentials");
  const Error explained = errors.explain(Error{-195, "Local: Broker transport failure"});
  EXPECT_EQ(explained.message,
            "authentication failed: x: SASL authentication error: invalid credentials; Local: "
            "Broker transport failure");
  EXPECT_EQ(explained.code, -195);
  errors.clear();
  EXPECT_EQ(errors.last(), std::nullopt);
  EXPECT_EQ(errors.explain(Error{-195, "Local: Broker transport failure"}).message,
            "Local: Broker transport failure");
}

TEST(ConnectionErrors, KeepsTheSameTextForTheSameCause) {
  ConnectionErrors errors({});
  errors.observe(3, "FAIL",
                 "[thrd:sasl_ssl://h:1/bootstrap]: sasl_ssl://h:1/bootstrap: SASL authentication "
                 "error: bad (after 5ms in state AUTH_REQ, 12 identical error(s) suppressed)");
  EXPECT_EQ(errors.last(),
            "authentication failed: sasl_ssl://h:1/bootstrap: SASL authentication error: bad "
            "(in state AUTH_REQ)");
}

TEST(ConnectionErrors, TheVerificationSaysWhyACertificateWasRefused) {
  ConnectionErrors errors({});
  errors.refused_certificate("hostname mismatch (X509 error 64, certificate depth 0 of b)");
  errors.observe(3, "FAIL", "ssl://b/bootstrap: SSL handshake failed: certificate verify failed");
  EXPECT_EQ(errors.last(),
            "hostname mismatch (X509 error 64, certificate depth 0 of b): ssl://b/bootstrap: SSL "
            "handshake failed: certificate verify failed");
  errors.clear();
  errors.observe(3, "FAIL", "ssl://b/bootstrap: SSL handshake failed: certificate verify failed");
  EXPECT_EQ(errors.last(),
            "certificate verify failed: ssl://b/bootstrap: SSL handshake failed: certificate "
            "verify failed");
}

TEST(ConnectionErrors, NeverKeepsASecret) {
  ConnectionErrors errors({"hunter2", ""});
  errors.observe(3, "FAIL", "SASL authentication error: password hunter2 rejected, hunter2!");
  ASSERT_TRUE(errors.last().has_value());
  EXPECT_EQ(errors.last()->find("hunter2"), std::string::npos);
  EXPECT_EQ(errors.mask("a hunter2 b"), "a <hidden> b");
}

}  // namespace
}  // namespace lagwatch::kafka::detail
