#include "metrics/exposition.h"

#include <algorithm>
#include <array>
#include <utility>

#include "metrics/internal/gzip.h"
#include "metrics/internal/readiness.h"
#include "metrics/internal/status_api.h"
#include "metrics/internal/status_page.h"

namespace lagwatch::metrics {

Body::Body(std::vector<std::shared_ptr<const ClusterExposition>> clusters, std::string self_text)
    : clusters_(std::move(clusters)), self_text_(std::move(self_text)) {
  std::array<bool, kFamilyCount> present{};
  for (size_t f = 0; f < kFamilyCount; ++f) {
    for (const auto& cluster : clusters_) {
      present[f] = present[f] || (cluster && !cluster->series[f].empty());
    }
    // A family with no series is left out entirely.
    if (!present[f]) continue;
    std::string header = "# HELP ";
    header += kFamilies[f].name;
    header += ' ';
    header += kFamilies[f].help;
    header += "\n# TYPE ";
    header += kFamilies[f].name;
    header += ' ';
    header += kFamilies[f].type;
    header += '\n';
    headers_.push_back(std::move(header));
  }
  // Views are taken only now that headers_ no longer grows: a reallocation would move short
  // (SSO) strings and leave their views dangling.
  size_t header = 0;
  for (size_t f = 0; f < kFamilyCount; ++f) {
    if (!present[f]) continue;
    pieces_.emplace_back(headers_[header++]);
    for (const auto& cluster : clusters_) {
      if (cluster && !cluster->series[f].empty()) pieces_.emplace_back(cluster->series[f]);
    }
  }
  if (!self_text_.empty()) pieces_.emplace_back(self_text_);
  for (const auto piece : pieces_) text_size_ += piece.size();
}

std::string Body::joined_text() const {
  std::string text;
  text.reserve(text_size_);
  for (const auto piece : pieces_) text += piece;
  return text;
}

std::shared_ptr<const std::string> Body::group_document(std::string_view cluster,
                                                        std::string_view group) const {
  for (const auto& entry : groups) {
    if (entry && entry->cluster == cluster) return entry->document(group);
  }
  return nullptr;
}

Exposition::Exposition(std::vector<std::string> cluster_names, SelfMetrics& self,
                       std::chrono::milliseconds readiness_grace)
    : cluster_names_(std::move(cluster_names)),
      self_(self),
      latest_(cluster_names_.size()),
      statuses_(cluster_names_.size()),
      groups_(cluster_names_.size()),
      started_(cluster_names_.size(), std::chrono::steady_clock::now()),
      readiness_grace_(readiness_grace) {
  std::lock_guard building(build_mutex_);
  rebuild();
}

void Exposition::publish(size_t index, std::optional<ClusterExposition> fresh, ClusterStatus status,
                         std::shared_ptr<const ClusterGroups> groups) {
  // Shared, not copied: the published body views into it until a later poll replaces both.
  std::shared_ptr<const ClusterExposition> shared;
  if (fresh) shared = std::make_shared<const ClusterExposition>(std::move(*fresh));
  std::lock_guard building(build_mutex_);
  if (index >= latest_.size() || cluster_names_[index].empty()) return;
  if (shared) latest_[index] = std::move(shared);
  if (groups) groups_[index] = std::move(groups);
  statuses_[index] = std::move(status);
  rebuild();
}

void Exposition::set_configuration(std::string redacted) {
  std::lock_guard building(build_mutex_);
  configuration_ = std::move(redacted);
  rebuild();
}

size_t Exposition::add_cluster(std::string name) {
  std::lock_guard building(build_mutex_);
  auto free = std::find(cluster_names_.begin(), cluster_names_.end(), std::string());
  const auto index = static_cast<size_t>(free - cluster_names_.begin());
  if (free == cluster_names_.end()) {
    cluster_names_.emplace_back();
    latest_.emplace_back();
    statuses_.emplace_back();
    groups_.emplace_back();
    started_.emplace_back();
  }
  cluster_names_[index] = std::move(name);
  started_[index] = std::chrono::steady_clock::now();
  rebuild();
  return index;
}

void Exposition::remove_cluster(size_t index) {
  std::lock_guard building(build_mutex_);
  if (index >= latest_.size()) return;
  cluster_names_[index].clear();
  latest_[index].reset();
  groups_[index].reset();
  statuses_[index] = {};
  rebuild();
}

std::shared_ptr<const Body> Exposition::current() const {
  std::lock_guard lock(mutex_);
  return body_;
}

// Runs under build_mutex_ only: scrapes keep getting the previous body while this one is
// rendered and compressed, and take mutex_ just to swap the pointer.
void Exposition::rebuild() {
  size_t series = 0;
  for (const auto& cluster : latest_) {
    if (cluster) series += cluster->series_count;
  }
  auto body = std::make_shared<Body>(latest_, self_.render());
  body->gzip = gzip_compress(body->text_pieces());
  StatusPageInput page;
  std::vector<ClusterReadiness> clusters;
  const auto now = std::chrono::steady_clock::now();
  for (size_t i = 0; i < cluster_names_.size(); ++i) {
    if (cluster_names_[i].empty()) continue;
    page.cluster_names.push_back(cluster_names_[i]);
    page.statuses.push_back(statuses_[i]);
    page.groups.push_back(groups_[i].get());
    if (groups_[i]) body->groups.push_back(groups_[i]);
    clusters.push_back({cluster_names_[i], statuses_[i], now - started_[i]});
  }
  const double unix_now =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  auto readiness = judge_readiness(clusters, readiness_grace_, unix_now);
  body->ready = readiness.ready;
  body->readiness = std::move(readiness.text);
  page.readiness = body->readiness;
  page.configuration = configuration_;
  body->status_html = render_status_page(page);
  body->api_clusters = render_clusters_document(page.cluster_names, page.statuses, unix_now);
  body->api_groups = render_groups_document(page.groups);
  // Self-reported size describes this body from the next publication on.
  self_.set_exposition_size(static_cast<double>(series), static_cast<double>(body->text_size()),
                            static_cast<double>(body->gzip.size()));
  std::shared_ptr<const Body> replaced;
  {
    std::lock_guard lock(mutex_);
    replaced = std::exchange(body_, std::move(body));
  }
  // `replaced` is freed here, outside mutex_, unless a scrape still holds it.
}

}  // namespace lagwatch::metrics
