#include "poll/stream_offsets.h"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <tuple>

namespace lagwatch::poll {

namespace {

using Key = std::pair<std::string_view, std::int32_t>;

std::map<Key, std::int64_t> by_partition(const kafka::GroupOffsets& offsets) {
  std::map<Key, std::int64_t> out;
  for (const auto& o : offsets.offsets) out.emplace(Key{o.topic, o.partition}, o.offset);
  return out;
}

std::optional<std::int64_t> find(const std::map<Key, std::int64_t>& offsets, const Key& key) {
  auto it = offsets.find(key);
  if (it == offsets.end()) return std::nullopt;
  return it->second;
}

bool explained(std::optional<std::int64_t> fetched, std::optional<std::int64_t> before,
               std::optional<std::int64_t> after) {
  if (fetched == before || fetched == after) return true;
  // A commit between the two moments: any value the partition may have passed through.
  return fetched && before && after && *fetched >= std::min(*before, *after) &&
         *fetched <= std::max(*before, *after);
}

// Appends the UTF-16 code units of the UTF-8 text to the Java hash.
std::int32_t java_string_hash(std::string_view text) {
  std::uint32_t hash = 0;
  auto unit = [&](std::uint32_t u) { hash = hash * 31u + u; };
  constexpr std::uint32_t kReplacement = 0xFFFD;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    std::uint32_t code = 0;
    if (lead < 0x80) {
      length = 1;
      code = lead;
    } else if ((lead & 0xE0) == 0xC0) {
      length = 2;
      code = lead & 0x1Fu;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3;
      code = lead & 0x0Fu;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4;
      code = lead & 0x07u;
    }
    bool valid = length > 0 && i + length <= text.size();
    for (std::size_t k = 1; valid && k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      valid = (next & 0xC0) == 0x80;
      code = (code << 6) | (next & 0x3Fu);
    }
    static constexpr std::uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
    if (valid &&
        (code < kMinimum[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))) {
      valid = false;
    }
    if (!valid) {
      unit(kReplacement);
      ++i;
      continue;
    }
    if (code >= 0x10000) {
      code -= 0x10000;
      unit(0xD800 + (code >> 10));
      unit(0xDC00 + (code & 0x3FFu));
    } else {
      unit(code);
    }
    i += length;
  }
  return static_cast<std::int32_t>(hash);
}

}  // namespace

std::int32_t coordinator_partition(std::string_view group, std::int32_t partitions) {
  if (partitions <= 0) return 0;
  const std::int32_t hash = java_string_hash(group);
  // Kafka's Utils.abs: the most negative int maps to 0.
  const std::int32_t positive = hash == INT32_MIN ? 0 : (hash < 0 ? -hash : hash);
  return positive % partitions;
}

kafka::GroupOffsets stream_offsets(std::string_view group, const offsets::TrackedGroup* state) {
  kafka::GroupOffsets out;
  out.group = std::string(group);
  if (state == nullptr) return out;
  out.offsets.reserve(state->commits.size());
  for (const auto& [partition, commit] : state->commits) {
    if (commit.offset < 0) continue;
    out.offsets.push_back(
        kafka::CommittedOffset{partition.topic, partition.partition, commit.offset});
  }
  return out;
}

std::vector<OffsetMismatch> compare_offsets(const kafka::GroupOffsets& fetched,
                                            const kafka::GroupOffsets& before,
                                            const kafka::GroupOffsets& after) {
  const auto f = by_partition(fetched);
  const auto b = by_partition(before);
  const auto a = by_partition(after);
  std::map<Key, bool> keys;
  for (const auto* side : {&f, &b, &a}) {
    for (const auto& [key, offset] : *side) keys.emplace(key, true);
  }
  std::vector<OffsetMismatch> out;
  for (const auto& [key, unused] : keys) {
    const auto fv = find(f, key), bv = find(b, key), av = find(a, key);
    if (explained(fv, bv, av)) continue;
    out.push_back(OffsetMismatch{std::string(key.first), key.second, fv, bv, av});
  }
  return out;
}

std::vector<std::string> OffsetsVerifier::sample(const std::vector<std::string>& groups) {
  std::vector<std::string> out;
  if (groups.empty() || per_poll_ == 0) return out;
  auto start = std::upper_bound(groups.begin(), groups.end(), last_sampled_);
  const std::size_t count = std::min(per_poll_, groups.size());
  auto it = start == groups.end() ? groups.begin() : start;
  for (std::size_t i = 0; i < count; ++i) {
    out.push_back(*it);
    if (++it == groups.end()) it = groups.begin();
  }
  last_sampled_ = out.back();
  return out;
}

void OffsetsVerifier::hold(std::vector<kafka::GroupOffsets> fetched,
                           std::vector<kafka::GroupOffsets> before) {
  fetched_ = std::move(fetched);
  before_ = std::move(before);
}

}  // namespace lagwatch::poll
