#include "kafka/internal/conf.h"

// Every handle's properties in one place, so that what one handle gets and another does not is
// a visible choice (tests/unit/kafka/handle_recipes_test.cpp pins them).

namespace lagwatch::kafka::detail {
namespace {

// Defaults chosen for a poller: the library's own logging stays quiet about routine reconnects,
// and ListOffsets reads the same log end offset kafka-consumer-groups shows (uncommitted
// transactional data included).
const std::pair<const char*, const char*> kAdminDefaults[] = {
    {"client.id", "lagwatch"},
    {"isolation.level", "read_uncommitted"},
    {"enable.auto.commit", "false"},
    {"log.connection.close", "false"},
    {"reconnect.backoff.max.ms", "5000"},
    {"allow.auto.create.topics", "false"},
};

// Prefetch is bounded per partition (the legacy API applies queued.* to each partition's queue):
// 50 partitions x 1 MiB stays well under 100 MiB even when the thread falls behind.
const std::pair<const char*, const char*> kReaderDefaults[] = {
    {"client.id", "lagwatch-offsets-reader"},
    {"enable.partition.eof", "true"},
    {"enable.auto.commit", "false"},
    {"enable.auto.offset.store", "false"},
    {"queued.min.messages", "1000"},
    {"queued.max.messages.kbytes", "1024"},
    {"fetch.message.max.bytes", "1048576"},
    {"fetch.max.bytes", "4194304"},
    {"fetch.wait.max.ms", "500"},
    // When a partition's queue is full librdkafka waits this long before fetching it again
    // (default 1 s): the replay then sleeps most of the time. 10 ms keeps the same memory bound
    // and replays 1M records in ~1 s instead of ~19 s (bench/offsets_reader).
    {"fetch.queue.backoff.ms", "10"},
    {"log.connection.close", "false"},
    {"reconnect.backoff.max.ms", "5000"},
    {"allow.auto.create.topics", "false"},
};

// Forced: read_uncommitted would apply offsets of open and aborted transactions; an offset
// committed in a transaction takes effect only when the transaction commits.
const std::pair<const char*, const char*> kReaderForced[] = {
    {"isolation.level", "read_committed"},
};

// Applied before the user's properties, which may override them.
const std::pair<const char*, const char*> kSamplerDefaults[] = {
    {"client.id", "lagwatch-sampler"},
    {"log.connection.close", "false"},
    {"reconnect.backoff.max.ms", "5000"},
};

// Applied after the user's properties: the sampler is only correct with these.
const std::pair<const char*, const char*> kSamplerForced[] = {
    // Only the first record per offset is wanted: fetch little, and buffer little so that
    // hundreds of partitions cannot pile up megabytes of records nobody reads.
    {"fetch.message.max.bytes", "65536"},
    {"fetch.max.bytes", "262144"},
    {"message.max.bytes", "262144"},  // librdkafka requires fetch.max.bytes >= this
    {"queued.min.messages", "1000"},
    {"queued.max.messages.kbytes", "1024"},
    // A partition whose offset is the log end answers with PARTITION_EOF; a broker with
    // nothing to send holds the fetch this long at most.
    {"enable.partition.eof", "true"},
    {"fetch.wait.max.ms", "100"},
    // An end-of-log or out-of-range answer counts as a fetch error; the default 500 ms pause
    // would be charged to the partition's next offset and to the next call.
    {"fetch.error.backoff.ms", "20"},
    // When a partition's fetch queue holds data librdkafka waits this long (default 1 s) before
    // fetching it again: every partition past the first fetch response then waits a second.
    // Over 1,000 partitions, one offset each: 4.1 s at the default, 0.12 s at 10 ms
    // (bench/sampler, mock cluster).
    {"fetch.queue.backoff.ms", "10"},
    // An offset below the log start (deleted) or above the log end must be reported, not
    // silently replaced by another position.
    {"auto.offset.reset", "error"},
    // read_committed would stop at the last stable offset and call an open transaction's
    // records "no record"; their timestamps are what the lag is measured from.
    {"isolation.level", "read_uncommitted"},
    {"enable.auto.commit", "false"},
    {"enable.auto.offset.store", "false"},
    {"allow.auto.create.topics", "false"},
};

}  // namespace

const HandleRecipe kAdminRecipe{kAdminDefaults, {}};
const HandleRecipe kOffsetsReaderRecipe{kReaderDefaults, kReaderForced};
const HandleRecipe kSamplerRecipe{kSamplerDefaults, kSamplerForced};

}  // namespace lagwatch::kafka::detail
