#pragma once
// Merges the latest exposition of every cluster with lagwatch's own metrics into the bytes that
// /metrics serves, and compresses them, once per poll. Scrapes only copy the published bytes.

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "metrics/cluster_renderer.h"
#include "metrics/self_metrics.h"

namespace lagwatch::metrics {

// Everything the HTTP layer serves, immutable once published.
struct Body {
  std::string text;          // text/plain; version=0.0.4
  std::string gzip;          // the same, gzip-compressed
  std::string landing_html;  // the "/" page
  bool ready = false;        // every cluster had a successful poll
};

struct ClusterStatus {
  bool up = false;
  std::optional<double> last_success_unix_seconds;
  size_t groups = 0;
  std::string last_error;  // empty when the last poll succeeded; never holds secrets
  bool catching_up = false;  // __consumer_offsets still being replayed: not ready yet
};

class Exposition {
 public:
  Exposition(std::vector<std::string> cluster_names, SelfMetrics& self);

  // A poll of cluster `index` ended. `fresh` is its new data, or nullopt to keep serving the
  // previous data (a failed poll).
  void publish(size_t index, std::optional<ClusterExposition> fresh, ClusterStatus status);

  std::shared_ptr<const Body> current() const;

 private:
  void rebuild();  // mutex_ held

  std::vector<std::string> cluster_names_;
  SelfMetrics& self_;
  mutable std::mutex mutex_;
  std::vector<ClusterExposition> latest_;
  std::vector<ClusterStatus> statuses_;
  std::shared_ptr<const Body> body_;
};

std::string render_landing_page(const std::vector<std::string>& cluster_names,
                                const std::vector<ClusterStatus>& statuses);

}  // namespace lagwatch::metrics
