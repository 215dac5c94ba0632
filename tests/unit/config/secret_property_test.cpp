#include <gtest/gtest.h>

#include <string>

#include "config/config.h"

namespace lagwatch::config {
namespace {

class SecretPropertyTest : public ::testing::TestWithParam<std::string> {};
class PlainPropertyTest : public ::testing::TestWithParam<std::string> {};

TEST_P(SecretPropertyTest, IsSecret) { EXPECT_TRUE(is_secret_property(GetParam())); }
TEST_P(PlainPropertyTest, IsNotSecret) { EXPECT_FALSE(is_secret_property(GetParam())); }

INSTANTIATE_TEST_SUITE_P(Librdkafka, SecretPropertyTest,
                         ::testing::Values("sasl.password", "ssl.key.password",
                                           "ssl.keystore.password", "ssl.keystore.location",
                                           "ssl.key.pem", "ssl.key.location", "sasl.jaas.config",
                                           "sasl.oauthbearer.client.secret",
                                           "sasl.oauthbearer.config", "SASL.PASSWORD"));

INSTANTIATE_TEST_SUITE_P(Librdkafka, PlainPropertyTest,
                         ::testing::Values("security.protocol", "sasl.mechanism", "sasl.username",
                                           "ssl.ca.location", "ssl.certificate.location",
                                           "ssl.certificate.pem", "client.id",
                                           "sasl.oauthbearer.client.id",
                                           "sasl.oauthbearer.token.endpoint.url"));

}  // namespace
}  // namespace lagwatch::config
