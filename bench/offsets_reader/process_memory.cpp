#include "process_memory.h"

#include <fstream>
#include <string>

namespace lagwatch::bench {

ProcessMemory process_memory() {
  ProcessMemory memory;
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    const auto value = [&line] { return std::stoull(line.substr(line.find(':') + 1)); };
    if (line.rfind("VmRSS:", 0) == 0) memory.rss_kib = value();
    if (line.rfind("VmHWM:", 0) == 0) memory.peak_kib = value();
  }
  return memory;
}

}  // namespace lagwatch::bench
