#pragma once
// Log start offsets (ListOffsets "earliest") move only when the broker deletes a segment --
// retention runs every log.retention.check.interval.ms, 5 minutes by default -- or a client sends
// DeleteRecords, while log ends move with every record. Reading both every poll doubles the
// ListOffsets requests (10,000 partitions: 20 calls of 500 each way). So the log start of every
// partition is read once per refresh interval, and at once for a partition not seen before or
// whose log end fell below the remembered start (a re-created topic); in between it is
// remembered. A log start read late only delays a data-loss verdict: a committed offset below a
// remembered start is below the real one too.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "kafka/types.h"

namespace lagwatch::poll {

class EarliestOffsets {
 public:
  using Clock = std::chrono::steady_clock;

  // refresh 0: every poll reads every log start.
  explicit EarliestOffsets(config::Duration refresh) : refresh_(refresh) {}

  // Of `partitions` (sorted: every partition this poll reads), those whose log start it reads;
  // the remembered starts of partitions not among them are forgotten.
  std::vector<kafka::TopicPartition> due(const std::vector<kafka::TopicPartition>& partitions,
                                         Clock::time_point now);

  // Takes a reply whose log starts were read for `read` (sorted) only: remembers those and fills
  // in the others' from memory. Returns the
  // partitions whose remembered start the reply contradicts (their log end is below it), left
  // without one: read them now, and complete() that reply too.
  std::vector<kafka::TopicPartition> complete(std::vector<kafka::Watermark>& reply,
                                              const std::vector<kafka::TopicPartition>& read);

  // A topic deleted and re-created under its name (new topic ID): its partitions are read anew.
  void forget_topic(const std::string& topic);

 private:
  config::Duration refresh_;
  std::optional<Clock::time_point> last_full_read_;
  std::optional<Clock::time_point> full_read_asked_;  // by due(), until a reply completes it
  std::map<kafka::TopicPartition, int64_t> starts_;
};

}  // namespace lagwatch::poll
