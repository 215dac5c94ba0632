#pragma once
// Errors from librdkafka as lagwatch Errors, classified once: retriable, fatal or permanent.

#include <librdkafka/rdkafka.h>

#include <string>

#include "error/result.h"

namespace lagwatch::kafka::detail {

// How an error code behaves when the same call is made again: librdkafka's and Kafka's own
// classification (the protocol's retriable errors, librdkafka's transport and timeout errors),
// with a missing topic or partition taken as permanent: it stays missing until somebody acts.
Error::Kind kind_of(rd_kafka_resp_err_t code);

Error error_from(rd_kafka_resp_err_t code, std::string message);
Error error_from(rd_kafka_resp_err_t code);  // with librdkafka's description of the code
// Takes the error object's own retriable and fatal flags where librdkafka set them.
Error error_from(const rd_kafka_error_t* error);

}  // namespace lagwatch::kafka::detail
