#pragma once
// Which instance watches which group when a huge cluster is split across n instances. The hash
// must never change between versions: instances of different versions must still partition
// the groups exactly.

#include <cstdint>
#include <string>
#include <string_view>

#include "config/config.h"

namespace lagwatch::poll {

// 64-bit FNV-1a: fast, and fixed by its definition, so never different between versions.
struct Fnv1a {
  uint64_t value = 14695981039346656037ull;
  constexpr void mix(std::string_view bytes) {
    for (const char c : bytes) {
      value ^= static_cast<uint8_t>(c);
      value *= 1099511628211ull;
    }
  }
};

constexpr uint64_t stable_group_hash(std::string_view group) {
  Fnv1a hash;
  hash.mix(group);
  return hash.value;
}

constexpr bool in_shard(std::string_view group, uint32_t index, uint32_t count) {
  return count <= 1 || stable_group_hash(group) % count == index;
}

// The one rule for "is this group mine": in this instance's shard and allowed by the filter.
inline bool watches_group(const config::NameFilter& groups, const config::Shard& shard,
                          const std::string& name) {
  return in_shard(name, shard.index, shard.count) && groups.matches(name);
}

}  // namespace lagwatch::poll
