#include "kafka/internal/offsets_topic_consumer.h"

#include <span>
#include <string>

#include "kafka/internal/conf.h"
#include "kafka/internal/errors.h"
#include "kafka/internal/fanout.h"
#include "kafka/internal/handles.h"
#include "offsets/record_decoder.h"

namespace lagwatch::kafka {
namespace {

// Where to start when a stored position is out of range. The compacted topic is not truncated
// from the front in practice; should a position still fall out of range, re-reading from the
// start at worst restarts some counters, while jumping to the end would silently skip state
// changes.
Result<detail::TopicConfPtr> offsets_topic_topic_conf() {
  detail::TopicConfPtr conf(rd_kafka_topic_conf_new());
  char errstr[512];
  if (rd_kafka_topic_conf_set(conf.get(), "auto.offset.reset", "earliest", errstr, sizeof errstr) !=
      RD_KAFKA_CONF_OK) {
    return detail::error_from(RD_KAFKA_RESP_ERR__INVALID_ARG, errstr);
  }
  return conf;
}

std::span<const std::uint8_t> bytes_of(const void* data, std::size_t size) {
  return {static_cast<const std::uint8_t*>(data), size};
}

OffsetsTopicEvent to_event(const rd_kafka_message_t& message) {
  OffsetsTopicEvent event;
  event.partition = message.partition;
  event.offset = message.offset;
  if (message.err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
    event.kind = OffsetsTopicEvent::Kind::kEnd;
    return event;
  }
  if (message.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    event.kind = OffsetsTopicEvent::Kind::kError;
    event.error = detail::error_from(message.err, rd_kafka_message_errstr(&message));
    // Asking again cannot make the topic readable: the reader reports it and backs off.
    event.topic_unreadable =
        event.error.fatal() || event.error.unauthorized() || event.error.missing();
    return event;
  }
  const auto key = bytes_of(message.key, message.key_len);
  event.record = message.payload == nullptr
                     ? offsets::decode_record(key, std::nullopt)
                     : offsets::decode_record(key, bytes_of(message.payload, message.len));
  return event;
}

}  // namespace

struct OffsetsTopicConsumer::Handles {
  detail::HandleHooks hooks;  // outlives rk, whose opaque it is
  detail::KafkaPtr rk;
  detail::TopicPtr topic;
  detail::QueuePtr queue;
};

Result<std::unique_ptr<OffsetsTopicConsumer>> OffsetsTopicConsumer::create(
    const ClientSettings& settings) {
  auto handles = std::make_unique<Handles>();
  handles->hooks.on_statistics = settings.on_statistics;
  auto conf = detail::make_conf(settings, detail::kOffsetsReaderRecipe, &handles->hooks);
  if (!conf.has_value()) return conf.error();
  auto topic_conf = offsets_topic_topic_conf();
  if (!topic_conf.has_value()) return topic_conf.error();
  auto rk = detail::make_consumer(std::move(conf).value());
  if (!rk.has_value()) return rk.error();
  handles->rk = std::move(rk).value();
  detail::TopicConfPtr owned_topic_conf = std::move(topic_conf).value();
  rd_kafka_topic_t* topic =
      rd_kafka_topic_new(handles->rk.get(), kOffsetsTopic, owned_topic_conf.get());
  if (topic == nullptr) return detail::error_from(rd_kafka_last_error());
  static_cast<void>(owned_topic_conf.release());  // owned by the topic now
  handles->topic.reset(topic);
  handles->queue.reset(rd_kafka_queue_new(handles->rk.get()));
  return std::unique_ptr<OffsetsTopicConsumer>(new OffsetsTopicConsumer(std::move(handles)));
}

OffsetsTopicConsumer::OffsetsTopicConsumer(std::unique_ptr<Handles> handles)
    : handles_(std::move(handles)) {}

OffsetsTopicConsumer::~OffsetsTopicConsumer() {
  stop_all();
  // Queue and topic go before the handle they belong to.
  handles_->queue.reset();
  handles_->topic.reset();
  handles_->rk.reset();
}

Result<std::int32_t> OffsetsTopicConsumer::partition_count(std::chrono::milliseconds timeout) {
  return offsets_topic_partition_count(handles_->rk.get(), handles_->topic.get(), timeout);
}

Result<std::vector<PartitionBounds>> OffsetsTopicConsumer::bounds(
    std::int32_t first, std::int32_t end, std::chrono::milliseconds timeout) {
  return offsets_topic_bounds(handles_->rk.get(), first, end, timeout);
}

Status OffsetsTopicConsumer::start_up_to(std::int32_t end) {
  for (; started_ < end; ++started_) {
    if (rd_kafka_consume_start_queue(handles_->topic.get(), started_, RD_KAFKA_OFFSET_BEGINNING,
                                     handles_->queue.get()) != 0) {
      return detail::error_from(rd_kafka_last_error());
    }
  }
  return {};
}

void OffsetsTopicConsumer::stop_all() {
  for (std::int32_t partition = 0; partition < started_; ++partition) {
    rd_kafka_consume_stop(handles_->topic.get(), partition);
  }
  started_ = 0;
  reset_queue();
}

void OffsetsTopicConsumer::reset_queue() {
  // Messages already forwarded to the shared queue would otherwise be read after a restart.
  handles_->queue.reset(rd_kafka_queue_new(handles_->rk.get()));
}

void OffsetsTopicConsumer::serve_callbacks() { rd_kafka_poll(handles_->rk.get(), 0); }

void OffsetsTopicConsumer::poll(std::vector<OffsetsTopicEvent>& out, std::size_t max,
                                std::chrono::milliseconds timeout) {
  std::vector<rd_kafka_message_t*> batch(max);
  const ssize_t count = rd_kafka_consume_batch_queue(
      handles_->queue.get(), static_cast<int>(timeout.count()), batch.data(), max);
  for (ssize_t i = 0; i < count; ++i) {
    detail::MessagePtr message(batch[static_cast<std::size_t>(i)]);
    out.push_back(to_event(*message));
  }
}

}  // namespace lagwatch::kafka
