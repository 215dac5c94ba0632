#include "metrics/exposition.h"

#include "metrics/gzip.h"

namespace lagwatch::metrics {

Exposition::Exposition(std::vector<std::string> cluster_names, SelfMetrics& self)
    : cluster_names_(std::move(cluster_names)),
      self_(self),
      latest_(cluster_names_.size()),
      statuses_(cluster_names_.size()) {
  std::lock_guard lock(mutex_);
  rebuild();
}

void Exposition::publish(size_t index, std::optional<ClusterExposition> fresh,
                         ClusterStatus status) {
  std::lock_guard lock(mutex_);
  if (index >= latest_.size()) return;
  if (fresh) latest_[index] = std::move(*fresh);
  statuses_[index] = std::move(status);
  rebuild();
}

std::shared_ptr<const Body> Exposition::current() const {
  std::lock_guard lock(mutex_);
  return body_;
}

void Exposition::rebuild() {
  auto body = std::make_shared<Body>();
  size_t bytes = 0;
  size_t series = 0;
  for (const auto& cluster : latest_) {
    for (const auto& text : cluster.series) bytes += text.size();
    series += cluster.series_count;
  }
  std::string self_text = self_.render();
  body->text.reserve(bytes + self_text.size() + kFamilyCount * 256);
  for (size_t f = 0; f < kFamilyCount; ++f) {
    bool any = false;
    for (const auto& cluster : latest_) any = any || !cluster.series[f].empty();
    // A family with no series is left out entirely.
    if (!any) continue;
    body->text += "# HELP ";
    body->text += kFamilies[f].name;
    body->text += ' ';
    body->text += kFamilies[f].help;
    body->text += "\n# TYPE ";
    body->text += kFamilies[f].name;
    body->text += ' ';
    body->text += kFamilies[f].type;
    body->text += '\n';
    for (const auto& cluster : latest_) body->text += cluster.series[f];
  }
  body->text += self_text;
  body->gzip = gzip_compress(body->text);
  body->ready = true;
  for (const auto& status : statuses_) {
    body->ready =
        body->ready && status.last_success_unix_seconds.has_value() && !status.catching_up;
  }
  body->landing_html = render_landing_page(cluster_names_, statuses_);
  // Self-reported size describes this body from the next publication on.
  self_.set_exposition_size(static_cast<double>(series), static_cast<double>(body->text.size()),
                            static_cast<double>(body->gzip.size()));
  body_ = std::move(body);
}

}  // namespace lagwatch::metrics
