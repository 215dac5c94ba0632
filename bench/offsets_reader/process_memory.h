#pragma once
// Resident memory of this process, read from /proc/self/status (Linux).

#include <cstdint>

namespace lagwatch::bench {

struct ProcessMemory {
  std::uint64_t rss_kib = 0;   // VmRSS: resident now
  std::uint64_t peak_kib = 0;  // VmHWM: highest resident so far
};

ProcessMemory process_memory();

}  // namespace lagwatch::bench
