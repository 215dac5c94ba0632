#pragma once

#include <cstddef>
#include <vector>

namespace lagwatch::bench {

struct Summary {
  std::size_t count = 0;
  double min = 0;
  double median = 0;
  double p99 = 0;
  double max = 0;
};

// Nearest-rank percentiles: with few samples p99 is the maximum, which is what a small number
// of benchmark cycles can honestly claim.
Summary summarize(std::vector<double> samples);

}  // namespace lagwatch::bench
