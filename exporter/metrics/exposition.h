#pragma once
// Merges the latest exposition of every cluster with lagwatch's own metrics into the bytes that
// /metrics serves, and compresses them, once per poll. Scrapes only copy the published bytes.

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "metrics/cluster_renderer.h"
#include "metrics/self_metrics.h"
#include "metrics/status_model.h"

namespace lagwatch::metrics {

// Everything the HTTP layer serves, immutable once published. The plain text is not joined into
// one string: it is a list of views into the clusters' own rendered text (shared, not copied)
// and a few small strings of the body, so a poll keeps one copy of the exposition, not two.
class Body {
 public:
  // Null entries in `clusters` (no data yet) contribute nothing.
  Body(std::vector<std::shared_ptr<const ClusterExposition>> clusters, std::string self_text);
  // The pieces view into members: a copy or move would leave them dangling.
  Body(const Body&) = delete;
  Body& operator=(const Body&) = delete;

  // text/plain; version=0.0.4, in order: every family with a series in some cluster (HELP and
  // TYPE once, then the series of each cluster in cluster order), then lagwatch's own metrics.
  std::span<const std::string_view> text_pieces() const { return pieces_; }
  size_t text_size() const { return text_size_; }
  // The pieces joined; copies the whole text, so for tests and debugging only.
  std::string joined_text() const;

  std::string gzip;          // the text, gzip-compressed
  std::string status_html;   // the "/" page (metrics/internal/status_page.h)
  bool ready = false;        // see metrics/internal/readiness.h
  std::string readiness;     // the /readyz body: the verdict and every cluster's state
  std::string api_clusters;  // /api/v1/clusters
  std::string api_groups;    // /api/v1/groups
  // The document of /api/v1/groups/{cluster}/{group}, rendered now; null for an unknown
  // cluster or group.
  std::shared_ptr<const std::string> group_document(std::string_view cluster,
                                                    std::string_view group) const;
  // Every cluster's groups by name, for group_document; set by Exposition.
  std::vector<std::shared_ptr<const ClusterGroups>> groups;

 private:
  std::vector<std::shared_ptr<const ClusterExposition>> clusters_;
  std::vector<std::string> headers_;  // HELP and TYPE lines of each family present
  std::string self_text_;
  std::vector<std::string_view> pieces_;
  size_t text_size_ = 0;
};

struct ClusterStatus {
  bool up = false;
  std::optional<double> last_success_unix_seconds;
  size_t groups = 0;
  std::string last_error;  // empty when the last poll succeeded; never holds secrets
  // Where committed offsets come from now, for the landing page (e.g. "__consumer_offsets",
  // "OffsetFetch (replaying __consumer_offsets: 12 partitions, 3400 records left)").
  std::string offsets_source{};
  // What the principal's ACLs hid this poll, one line per resource; never holds secrets.
  std::vector<std::string> unauthorized{};
  // The last successful poll: its duration and each stage's, in the order they ran.
  std::optional<double> poll_duration_seconds{};
  std::vector<std::pair<std::string, double>> stage_seconds{};
  size_t series = 0;               // of the data served
  std::string shard{};             // "I/N"
  std::string rebalance_source{};  // where rebalance counts come from
};

class Exposition {
 public:
  // `readiness_grace`: how long a cluster without a successful poll holds readiness back
  // (0: forever); see metrics/internal/readiness.h.
  Exposition(std::vector<std::string> cluster_names, SelfMetrics& self,
             std::chrono::milliseconds readiness_grace = std::chrono::minutes(5));

  // A poll of cluster `index` ended. `fresh` is its new data, or nullopt to keep serving the
  // previous data (a failed poll).
  // `groups` is what the status page and the API show of the same poll (null with `fresh`
  // absent, or to keep the previous).
  void publish(size_t index, std::optional<ClusterExposition> fresh, ClusterStatus status,
               std::shared_ptr<const ClusterGroups> groups = nullptr);

  // The effective configuration, redacted (config::describe_redacted), for the status page.
  void set_configuration(std::string redacted);

  // A cluster added by a reload: its slot, the `index` its poller publishes with. It serves no
  // data and holds readiness back until its first successful poll.
  size_t add_cluster(std::string name);
  // A cluster a reload removed: its data and status go now. Its poller must have stopped.
  void remove_cluster(size_t index);

  std::shared_ptr<const Body> current() const;

 private:
  void rebuild();  // build_mutex_ held

  std::vector<std::string> cluster_names_;  // by slot; empty: a removed cluster's free slot
  SelfMetrics& self_;
  // Publications are built one at a time (so the last to finish holds every cluster's latest
  // data), outside mutex_, which guards only the published pointer that scrapes read.
  std::mutex build_mutex_;
  std::vector<std::shared_ptr<const ClusterExposition>> latest_;  // null until a first success
  std::vector<ClusterStatus> statuses_;
  std::vector<std::shared_ptr<const ClusterGroups>> groups_;  // by slot, null until a success
  std::string configuration_;
  std::vector<std::chrono::steady_clock::time_point> started_;  // by slot
  std::chrono::milliseconds readiness_grace_;
  mutable std::mutex mutex_;
  std::shared_ptr<const Body> body_;
};

}  // namespace lagwatch::metrics
