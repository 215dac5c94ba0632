#include "fake_admin.h"

#include <algorithm>
#include <chrono>

namespace lagwatch::poll::testing {
namespace {

constexpr auto kStepWait = std::chrono::minutes(1);  // only a hung poller gets near it

class FakeAdmin : public kafka::Admin {
 public:
  explicit FakeAdmin(FakeCluster& cluster) : cluster_(cluster) {}
  ~FakeAdmin() override { cluster_.handle_destroyed(); }
  FakeAdmin(const FakeAdmin&) = delete;
  FakeAdmin& operator=(const FakeAdmin&) = delete;

  Result<kafka::ClusterMetadata> metadata() override { return cluster_.metadata(); }
  Result<std::vector<kafka::GroupListing>> list_groups() override { return cluster_.list_groups(); }
  Result<std::vector<kafka::TopicMetadata>> describe_topics(
      const std::vector<std::string>& topics) override {
    return cluster_.describe_topics(topics);
  }
  std::vector<kafka::PerGroup<kafka::GroupDescription>> describe_groups(
      const std::vector<std::string>& groups) override {
    return cluster_.describe_groups(groups);
  }
  std::vector<kafka::PerGroup<kafka::GroupOffsets>> list_group_offsets(
      const std::vector<std::string>& groups) override {
    return cluster_.list_group_offsets(groups);
  }
  Result<std::vector<kafka::Watermark>> watermarks(
      const std::vector<kafka::TopicPartition>& partitions,
      const std::vector<kafka::TopicPartition>& earliest) override {
    return cluster_.watermarks(partitions, earliest);
  }
  void serve_callbacks() override {}

 private:
  FakeCluster& cluster_;
};

}  // namespace

void FakeCluster::set_topic(const std::string& name, std::vector<Partition> partitions) {
  std::lock_guard lock(mutex_);
  topics_[name] = std::move(partitions);
}

void FakeCluster::set_high(const std::string& topic, int32_t partition, int64_t high) {
  std::lock_guard lock(mutex_);
  topics_.at(topic).at(static_cast<size_t>(partition)).high = high;
}

void FakeCluster::set_low(const std::string& topic, int32_t partition, int64_t low) {
  std::lock_guard lock(mutex_);
  topics_.at(topic).at(static_cast<size_t>(partition)).low = low;
}

void FakeCluster::set_group(const std::string& name, Group group) {
  std::lock_guard lock(mutex_);
  groups_[name] = std::move(group);
}

void FakeCluster::commit(const std::string& group, const std::string& topic, int32_t partition,
                         int64_t offset) {
  std::lock_guard lock(mutex_);
  groups_.at(group).committed[{topic, partition}] = offset;
}

void FakeCluster::remove_group(const std::string& name) {
  std::lock_guard lock(mutex_);
  groups_.erase(name);
}

void FakeCluster::fail(Call call, Error error) {
  std::lock_guard lock(mutex_);
  failing_.insert_or_assign(call, std::move(error));
}

void FakeCluster::fail_group(Call call, const std::string& group, Error error) {
  std::lock_guard lock(mutex_);
  failing_groups_.insert_or_assign({call, group}, std::move(error));
}

void FakeCluster::fail_handles(Error error) {
  std::lock_guard lock(mutex_);
  failing_handles_ = std::move(error);
}

void FakeCluster::heal() {
  std::lock_guard lock(mutex_);
  failing_.clear();
  failing_groups_.clear();
  failing_handles_.reset();
}

int FakeCluster::earliest_offsets_read() const {
  std::lock_guard lock(mutex_);
  return earliest_read_;
}

int FakeCluster::calls(Call call) const {
  std::lock_guard lock(mutex_);
  auto it = calls_.find(call);
  return it == calls_.end() ? 0 : it->second;
}

int FakeCluster::handles_made() const {
  std::lock_guard lock(mutex_);
  return handles_made_;
}

int FakeCluster::handles_alive() const {
  std::lock_guard lock(mutex_);
  return handles_alive_;
}

std::string FakeCluster::property_of_last_handle(const std::string& name) const {
  std::lock_guard lock(mutex_);
  for (const auto& property : last_handle_properties_) {
    if (property.name == name) return property.value;
  }
  return "";
}

AdminFactory FakeCluster::factory() {
  return [this](const kafka::ClientSettings& settings) -> Result<std::unique_ptr<kafka::Admin>> {
    std::unique_lock lock(mutex_);
    begin_poll(lock);
    if (failing_handles_) return *failing_handles_;
    last_handle_properties_ = settings.properties;
    ++handles_made_;
    ++handles_alive_;
    handle_just_made_ = true;
    return std::unique_ptr<kafka::Admin>(std::make_unique<FakeAdmin>(*this));
  };
}

bool FakeCluster::wait_at_start() {
  std::unique_lock lock(mutex_);
  return gate_.wait_for(lock, kStepWait, [&] { return arrivals_ > 0 && permits_ == 0; });
}

bool FakeCluster::step() {
  if (!wait_at_start()) return false;
  std::unique_lock lock(mutex_);
  const int next_start = arrivals_ + 1;
  ++permits_;
  gate_.notify_all();
  return gate_.wait_for(lock, kStepWait, [&] { return arrivals_ >= next_start; });
}

void FakeCluster::release() {
  std::lock_guard lock(mutex_);
  released_ = true;
  gate_.notify_all();
}

void FakeCluster::begin_poll(std::unique_lock<std::mutex>& lock) {
  ++arrivals_;
  gate_.notify_all();
  gate_.wait(lock, [&] { return released_ || permits_ > 0; });
  if (permits_ > 0) --permits_;
}

std::optional<Error> FakeCluster::count(Call call) {
  ++calls_[call];
  auto it = failing_.find(call);
  return it == failing_.end() ? std::nullopt : std::optional(it->second);
}

template <class T, class Answer>
std::vector<kafka::PerGroup<T>> FakeCluster::answer_each(Call call,
                                                         const std::vector<std::string>& groups,
                                                         Answer&& answer) {
  const auto whole_call = count(call);
  std::vector<kafka::PerGroup<T>> out;
  for (const auto& name : groups) {
    auto failed = failing_groups_.find({call, name});
    if (whole_call) {
      out.push_back({name, *whole_call});
    } else if (failed != failing_groups_.end()) {
      out.push_back({name, failed->second});
    } else {
      auto group = groups_.find(name);
      out.push_back({name, answer(name, group == groups_.end() ? nullptr : &group->second)});
    }
  }
  return out;
}

Result<kafka::ClusterMetadata> FakeCluster::metadata() {
  std::unique_lock lock(mutex_);
  if (!std::exchange(handle_just_made_, false)) begin_poll(lock);
  if (auto error = count(Call::kMetadata)) return *error;
  kafka::ClusterMetadata metadata;
  metadata.brokers = {kafka::BrokerMetadata{1, "fake-broker", 9092}};
  for (const auto& [name, partitions] : topics_) {
    metadata.topics.push_back({name, static_cast<int32_t>(partitions.size()), std::nullopt, {}});
  }
  return metadata;
}

Result<std::vector<kafka::GroupListing>> FakeCluster::list_groups() {
  std::lock_guard lock(mutex_);
  if (auto error = count(Call::kListGroups)) return *error;
  std::vector<kafka::GroupListing> listing;
  for (const auto& [name, group] : groups_) listing.push_back({name, false, group.state});
  return listing;
}

Result<std::vector<kafka::TopicMetadata>> FakeCluster::describe_topics(
    const std::vector<std::string>& topics) {
  std::lock_guard lock(mutex_);
  if (auto error = count(Call::kDescribeTopics)) return *error;
  std::vector<kafka::TopicMetadata> described;
  for (const auto& name : topics) {
    auto it = topics_.find(name);
    if (it == topics_.end()) {
      described.push_back({name, 0, Error{3, "unknown topic"}, {}});
    } else {
      // A stable ID per name: these topics are never re-created.
      described.push_back(
          {name, static_cast<int32_t>(it->second.size()), std::nullopt, "id-" + name});
    }
  }
  return described;
}

std::vector<kafka::PerGroup<kafka::GroupDescription>> FakeCluster::describe_groups(
    const std::vector<std::string>& groups) {
  std::lock_guard lock(mutex_);
  return answer_each<kafka::GroupDescription>(
      Call::kDescribeGroups, groups, [](const std::string& name, const Group* group) {
        if (group == nullptr)
          return Result<kafka::GroupDescription>(Error{69, "group id not found"});
        kafka::GroupDescription description{name, group->state, group->members, {}, {}};
        for (int32_t m = 0; m < group->members; ++m) {
          description.member_details.push_back(
              {name + "-member-" + std::to_string(m), name + "-client", "/127.0.0.1"});
        }
        return Result<kafka::GroupDescription>(std::move(description));
      });
}

std::vector<kafka::PerGroup<kafka::GroupOffsets>> FakeCluster::list_group_offsets(
    const std::vector<std::string>& groups) {
  std::lock_guard lock(mutex_);
  return answer_each<kafka::GroupOffsets>(
      Call::kListGroupOffsets, groups, [](const std::string& name, const Group* group) {
        kafka::GroupOffsets offsets{name, {}};
        if (group == nullptr) return Result<kafka::GroupOffsets>(std::move(offsets));
        for (const auto& [where, offset] : group->committed) {
          offsets.offsets.push_back({where.first, where.second, offset});
        }
        return Result<kafka::GroupOffsets>(std::move(offsets));
      });
}

Result<std::vector<kafka::Watermark>> FakeCluster::watermarks(
    const std::vector<kafka::TopicPartition>& partitions,
    const std::vector<kafka::TopicPartition>& earliest) {
  std::lock_guard lock(mutex_);
  if (auto error = count(Call::kWatermarks)) return *error;
  earliest_read_ += static_cast<int>(earliest.size());
  std::vector<kafka::Watermark> out;
  for (const auto& tp : partitions) {
    auto it = topics_.find(tp.topic);
    if (it == topics_.end() || tp.partition < 0 ||
        static_cast<size_t>(tp.partition) >= it->second.size()) {
      out.push_back({tp.topic, tp.partition, Error{3, "unknown partition"}, 0, 0});
      continue;
    }
    const Partition& p = it->second[static_cast<size_t>(tp.partition)];
    // Like Client::watermarks: a log start not asked for stays 0.
    const bool low_asked = std::binary_search(earliest.begin(), earliest.end(), tp);
    out.push_back({tp.topic, tp.partition, std::nullopt, low_asked ? p.low : 0, p.high});
  }
  return out;
}

void FakeCluster::handle_destroyed() {
  std::lock_guard lock(mutex_);
  --handles_alive_;
}

}  // namespace lagwatch::poll::testing
