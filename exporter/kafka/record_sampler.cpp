#include "kafka/record_sampler.h"

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <map>
#include <string_view>

#include "kafka/internal/conf.h"
#include "kafka/internal/errors.h"
#include "kafka/internal/handles.h"
#include "kafka/internal/record_sampler_classify.h"
#include "kafka/internal/record_sampler_plan.h"
#include "log/log.h"

namespace lagwatch::kafka {

using namespace detail;

struct RecordSampler::Handles {
  KafkaPtr rk;
};

namespace {

void forward_error(rd_kafka_t*, int code, const char* reason, void*) {
  log::warn(std::string("librdkafka sampler error: ") + reason + " (code " + std::to_string(code) +
            ")");
}

Error last_error() {
  const rd_kafka_resp_err_t code = rd_kafka_last_error();
  return error_from(code, rd_kafka_err2str(code));
}

// Starts, restarts and stops the reading of each partition of one sample() call on one queue.
// Declared after the queue it uses and before nothing that outlives it: every partition still
// being read is stopped on destruction, which librdkafka requires before its queue goes away.
class PartitionReaders {
 public:
  PartitionReaders(rd_kafka_t* rk, rd_kafka_queue_t* queue) : rk_(rk), queue_(queue) {}
  PartitionReaders(const PartitionReaders&) = delete;
  PartitionReaders& operator=(const PartitionReaders&) = delete;
  ~PartitionReaders() {
    for (auto& [key, topic] : reading_) rd_kafka_consume_stop(topic, key.second);
  }

  size_t reading() const { return reading_.size(); }

  // Begins reading `plan` at its current offset. On failure that offset is answered with the
  // error and the next one is tried.
  void start(PartitionPlan& plan) {
    while (!plan.finished()) {
      rd_kafka_topic_t* topic = topic_handle(plan.topic);
      if (topic == nullptr) {
        fail_rest(plan, last_error());
        return;
      }
      if (rd_kafka_consume_start_queue(topic, plan.partition, plan.current_offset(), queue_) == 0) {
        reading_.emplace(std::make_pair(std::string_view(plan.topic), plan.partition), topic);
        return;
      }
      Sample& sample = plan.current_sample();
      sample.outcome = Sample::Outcome::kError;
      sample.error = last_error();
      ++plan.next;
    }
  }

  // `message` answered the current offset of `plan`: go on to its next one, if any.
  void advance(PartitionPlan& plan, const FetchedMessage& message, size_t record_bytes) {
    if (advance_in_stream(message, record_bytes, plan)) return;
    stop(plan);
    start(plan);
  }

  void stop(PartitionPlan& plan) {
    auto it = reading_.find({plan.topic, plan.partition});
    if (it == reading_.end()) return;
    rd_kafka_consume_stop(it->second, plan.partition);
    reading_.erase(it);
  }

 private:
  rd_kafka_topic_t* topic_handle(const std::string& name) {
    auto it = topics_.find(name);
    if (it != topics_.end()) return it->second.get();
    rd_kafka_topic_t* topic = rd_kafka_topic_new(rk_, name.c_str(), nullptr);
    if (topic != nullptr) topics_.emplace(name, TopicPtr(topic));
    return topic;
  }

  static void fail_rest(PartitionPlan& plan, const Error& error) {
    for (; !plan.finished(); ++plan.next) {
      plan.current_sample().outcome = Sample::Outcome::kError;
      plan.current_sample().error = error;
    }
  }

  rd_kafka_t* rk_;
  rd_kafka_queue_t* queue_;
  std::map<std::string, TopicPtr, std::less<>> topics_;
  // Keys point into the SamplePlan, which outlives this object.
  std::map<std::pair<std::string_view, int32_t>, rd_kafka_topic_t*> reading_;
};

constexpr size_t kBatchSize = 512;

}  // namespace

const char* sample_outcome_name(Sample::Outcome outcome) {
  switch (outcome) {
    case Sample::Outcome::kTimestamp:
      return "timestamp";
    case Sample::Outcome::kOffsetOutOfRange:
      return "offset_out_of_range";
    case Sample::Outcome::kNotExact:
      return "not_exact";
    case Sample::Outcome::kNoRecord:
      return "no_record";
    case Sample::Outcome::kTimedOut:
      return "timed_out";
    case Sample::Outcome::kError:
      break;
  }
  return "error";
}

const char* timestamp_type_name(Sample::TimestampType type) {
  switch (type) {
    case Sample::TimestampType::kCreateTime:
      return "create_time";
    case Sample::TimestampType::kLogAppendTime:
      return "log_append_time";
    case Sample::TimestampType::kNotAvailable:
      break;
  }
  return "not_available";
}

Result<std::unique_ptr<RecordSampler>> RecordSampler::create(const ClientSettings& settings) {
  auto conf = make_conf(settings, kSamplerRecipe, nullptr);
  if (!conf.has_value()) return conf.error();
  rd_kafka_conf_set_error_cb(conf.value().get(), forward_error);
  auto rk = make_consumer(std::move(conf).value());
  if (!rk.has_value()) return rk.error();
  auto handles = std::make_unique<Handles>();
  handles->rk = std::move(rk).value();
  return std::unique_ptr<RecordSampler>(new RecordSampler(std::move(handles)));
}

RecordSampler::RecordSampler(std::unique_ptr<Handles> handles) : handles_(std::move(handles)) {}

RecordSampler::~RecordSampler() = default;

std::vector<Sample> RecordSampler::sample(const std::vector<SampleRequest>& requests,
                                          std::chrono::milliseconds timeout) {
  using Clock = std::chrono::steady_clock;
  if (requests.empty()) return {};
  const auto deadline = Clock::now() + timeout;
  rd_kafka_t* rk = handles_->rk.get();
  SamplePlan plan(requests);
  QueuePtr queue(rd_kafka_queue_new(rk));
  {
    PartitionReaders readers(rk, queue.get());
    for (auto& partition : plan.partitions()) readers.start(partition);

    std::array<rd_kafka_message_t*, kBatchSize> batch{};
    while (readers.reading() > 0) {
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) break;
      // The batch call waits for a full batch until its timeout, so block for one message only
      // and then take whatever else is already there.
      const auto wait_ms = std::min<std::chrono::milliseconds::rep>(left.count(), 60'000);
      batch[0] = rd_kafka_consume_queue(queue.get(), static_cast<int>(wait_ms));
      size_t count = 0;
      if (batch[0] != nullptr) {
        const ssize_t more =
            rd_kafka_consume_batch_queue(queue.get(), 0, batch.data() + 1, batch.size() - 1);
        count = 1 + static_cast<size_t>(std::max<ssize_t>(0, more));
      }
      for (size_t i = 0; i < count; ++i) {
        MessagePtr message(batch[i]);
        // Queue-wide errors name no partition; librdkafka retries those itself.
        if (message->rkt == nullptr || message->partition < 0) continue;
        PartitionPlan* partition = plan.find(rd_kafka_topic_name(message->rkt), message->partition);
        if (partition == nullptr || partition->finished()) continue;
        // A restart's older records still in this batch are harmless: they come in log order
        // from an earlier position, so the first one at or after the new offset is its answer.
        const FetchedMessage fetched = fetched_message(*message);
        if (apply_fetched(fetched, partition->current_sample())) {
          readers.advance(*partition, fetched, message->len + message->key_len);
        }
      }
      // Error and log events of the handle collect here; nothing else would ever serve them.
      rd_kafka_poll(rk, 0);
    }
  }  // every partition still being read is stopped here; their samples stay kTimedOut
  return plan.results(requests);
}

}  // namespace lagwatch::kafka
