#pragma once
// Mark-and-sweep lifetime for per-key state. Each poll marks the keys it saw (touch or keep);
// sweep() then frees every key not marked since the previous sweep. A key that vanishes for one
// swept poll and comes back starts from a fresh copy of the prototype: a topic or group that was
// deleted and re-created must not inherit the old one's history.
//
// Call sweep() only after a poll that listed everything successfully; after a partial failure,
// keep() the keys that could not be read (or skip the sweep) so that an outage does not erase
// state.

#include <cstddef>
#include <functional>
#include <unordered_map>
#include <utility>

#include "lag/state_keys.h"
#include "lag/watermark_history.h"

namespace lagwatch::lag {

template <typename Key, typename State, typename Hash = std::hash<Key>,
          typename Equal = std::equal_to<>>
class KeyedStates {
 public:
  // New keys start as a copy of `prototype` (carrying its capacity or policy).
  explicit KeyedStates(State prototype = State{}) : prototype_(std::move(prototype)) {}

  // Lookups take the key or any form the hash and equality accept (see state_keys.h); an owning
  // key is built only when a new entry is created.

  // The key's state, created from the prototype if absent; marks the key as present.
  template <typename K = Key>
  State& touch(const K& key) {
    auto it = entries_.find(key);
    if (it == entries_.end()) {
      it = entries_.emplace(owned(key), Entry{prototype_, generation_}).first;
    }
    it->second.seen_in = generation_;
    return it->second.state;
  }

  // Marks an existing key as present without creating it; false if absent.
  template <typename K = Key>
  bool keep(const K& key) {
    const auto it = entries_.find(key);
    if (it == entries_.end()) return false;
    it->second.seen_in = generation_;
    return true;
  }

  template <typename K = Key>
  State* find(const K& key) {
    const auto it = entries_.find(key);
    return it == entries_.end() ? nullptr : &it->second.state;
  }
  template <typename K = Key>
  const State* find(const K& key) const {
    const auto it = entries_.find(key);
    return it == entries_.end() ? nullptr : &it->second.state;
  }

  bool erase(const Key& key) { return entries_.erase(key) > 0; }

  // Frees every key for which `pred(key)` is true; returns how many.
  template <typename Predicate>
  std::size_t erase_if(Predicate&& pred) {
    return std::erase_if(entries_, [&pred](const auto& item) { return pred(item.first); });
  }

  // Frees every key not touched or kept since the previous sweep; returns how many.
  std::size_t sweep() {
    const std::size_t removed = std::erase_if(
        entries_, [this](const auto& item) { return item.second.seen_in != generation_; });
    ++generation_;
    return removed;
  }

  std::size_t size() const { return entries_.size(); }

  template <typename Visitor>
  void for_each(Visitor&& visit) const {
    for (const auto& [key, entry] : entries_) visit(key, entry.state);
  }

 private:
  struct Entry {
    State state;
    std::size_t seen_in;
  };

  State prototype_;
  std::size_t generation_ = 0;
  std::unordered_map<Key, Entry, Hash, Equal> entries_;
};

using WatermarkHistories = KeyedStates<PartitionKey, WatermarkHistory, PartitionKeyHash, KeyEqual>;

}  // namespace lagwatch::lag
