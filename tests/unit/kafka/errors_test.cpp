// librdkafka's errors classified once: what may succeed when tried again, what needs a new handle.

#include "kafka/internal/errors.h"

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>

namespace lagwatch::kafka::detail {
namespace {

TEST(KafkaErrors, TransientConditionsAreRetriable) {
  for (const auto code :
       {RD_KAFKA_RESP_ERR__TIMED_OUT, RD_KAFKA_RESP_ERR__TRANSPORT,
        RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN, RD_KAFKA_RESP_ERR_NOT_COORDINATOR,
        RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS, RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE,
        RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT}) {
    const Error error = error_from(code);
    EXPECT_TRUE(error.retriable()) << rd_kafka_err2name(code);
    EXPECT_FALSE(error.fatal()) << rd_kafka_err2name(code);
    EXPECT_EQ(error.code, static_cast<int>(code));
    EXPECT_EQ(error.message, rd_kafka_err2str(code));
  }
}

TEST(KafkaErrors, RefusalsAndMissingThingsArePermanent) {
  for (const auto code :
       {RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED, RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED,
        RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART, RD_KAFKA_RESP_ERR__INVALID_ARG,
        RD_KAFKA_RESP_ERR__AUTHENTICATION, RD_KAFKA_RESP_ERR__BAD_MSG}) {
    const Error error = error_from(code);
    EXPECT_FALSE(error.retriable()) << rd_kafka_err2name(code);
    EXPECT_FALSE(error.fatal()) << rd_kafka_err2name(code);
  }
}

TEST(KafkaErrors, AFatalErrorAsksForANewHandle) {
  EXPECT_TRUE(error_from(RD_KAFKA_RESP_ERR__FATAL).fatal());
  EXPECT_FALSE(error_from(RD_KAFKA_RESP_ERR__FATAL).retriable());
}

TEST(KafkaErrors, AnErrorObjectKeepsItsCodeMessageAndClassification) {
  rd_kafka_error_t* raw = rd_kafka_error_new(RD_KAFKA_RESP_ERR__TIMED_OUT, "waited %d ms", 500);
  const Error error = error_from(raw);
  rd_kafka_error_destroy(raw);
  EXPECT_EQ(error.code, static_cast<int>(RD_KAFKA_RESP_ERR__TIMED_OUT));
  EXPECT_EQ(error.message, "waited 500 ms");
  EXPECT_TRUE(error.retriable());
  EXPECT_TRUE(error.timed_out());
}

}  // namespace
}  // namespace lagwatch::kafka::detail
