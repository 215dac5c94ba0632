#include "metrics/internal/status_page.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>

#include "lag/health_status.h"
#include "lagwatch/version.h"
#include "log/format.h"
#include "metrics/exposition.h"

namespace lagwatch::metrics {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// At most kPageNameBytes of `name` (never cutting a UTF-8 sequence), escaped; a cut name says so.
std::string shown_name(std::string_view name) {
  if (name.size() <= kPageNameBytes) return html_escape(name);
  size_t cut = kPageNameBytes;
  while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
  return html_escape(name.substr(0, cut)) + "&hellip; <i>(" + std::to_string(name.size()) +
         " bytes)</i>";
}

std::string utc_time(double unix_seconds) {
  const auto t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buffer;
}

// A span the inline script rewrites to "N s ago"; the absolute time stays in its title.
std::string age_span(double unix_seconds) {
  char stamp[32];
  std::snprintf(stamp, sizeof stamp, "%.3f", unix_seconds);
  const std::string absolute = utc_time(unix_seconds);
  return std::string("<span class=\"age\" data-unix=\"") + stamp + "\" title=\"" + absolute +
         "\">at " + absolute + "</span>";
}

std::string seconds_text(double seconds) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, seconds < 10 ? "%.3f s" : "%.1f s", seconds);
  return buffer;
}

std::string or_dash(const std::optional<int64_t>& value) {
  return value ? std::to_string(*value) : "&ndash;";
}

std::string lag_seconds_text(const std::optional<double>& value, bool lower_bound) {
  if (!value) return "&ndash;";
  return (lower_bound ? "&ge; " : "") + seconds_text(*value);
}

constexpr const char* kStyle = R"(<style>
body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;margin:.5em 0}
th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}
details.group{border:1px solid #ccc;margin:.25em 0;padding:.25em .5em}
details.group>summary{cursor:pointer}
summary span{display:inline-block;margin-right:1em}
.health-ok{color:#176b1d}.health-warn{color:#9a6700}
.health-stall,.health-stop,.health-rewind,.health-err{color:#b00020;font-weight:bold}
.down{color:#b00020;font-weight:bold}
pre{background:#f6f6f6;padding:.5em;overflow-x:auto}
td.stages{font-size:.85em;max-width:28em}span.stage{white-space:nowrap}
</style>
)";

// Turns every data timestamp into its age when the page is shown, and keeps it current.
constexpr const char* kAgeScript = R"(<script>
(function(){function tick(){var now=Date.now()/1000;
document.querySelectorAll('span.age').forEach(function(e){
var age=Math.max(0,Math.floor(now-parseFloat(e.dataset.unix)));
e.textContent=age+' s ago';});}
tick();setInterval(tick,1000);})();
</script>
)";

void append_cluster_table(std::string& html, const StatusPageInput& input) {
  html +=
      "<table id=\"clusters\">\n<tr><th>cluster</th><th>up</th><th>data age</th>"
      "<th>poll</th><th>stages</th><th>groups</th><th>series</th><th>shard</th>"
      "<th>committed offsets from</th><th>rebalances from</th><th>last error</th>"
      "<th>not authorized</th></tr>\n";
  for (size_t i = 0; i < input.cluster_names.size(); ++i) {
    const ClusterStatus& s = input.statuses[i];
    html += "<tr><td>" + html_escape(input.cluster_names[i]) + "</td><td" +
            (s.up ? ">yes" : " class=\"down\">no") + "</td><td>" +
            (s.last_success_unix_seconds ? age_span(*s.last_success_unix_seconds) : "never") +
            "</td><td class=\"n\">" +
            (s.poll_duration_seconds ? seconds_text(*s.poll_duration_seconds) : "&ndash;") +
            "</td><td class=\"stages\">";
    for (size_t k = 0; k < s.stage_seconds.size(); ++k) {
      if (k > 0) html += ", ";
      html += "<span class=\"stage\">" + html_escape(s.stage_seconds[k].first) + " " +
              seconds_text(s.stage_seconds[k].second) + "</span>";
    }
    html += "</td><td class=\"n\">" + std::to_string(s.groups) + "</td><td class=\"n\">" +
            std::to_string(s.series) + "</td><td>" + html_escape(s.shard) + "</td><td>" +
            html_escape(s.offsets_source) + "</td><td>" + html_escape(s.rebalance_source) +
            "</td><td>" + html_escape(s.last_error) + "</td><td>";
    for (size_t line = 0; line < s.unauthorized.size(); ++line) {
      if (line > 0) html += "<br>";
      html += html_escape(s.unauthorized[line]);
    }
    html += "</td></tr>\n";
  }
  html += "</table>\n";
}

void append_groups(std::string& html, const StatusPageInput& input) {
  struct Entry {
    const GroupStatus* group;
    const std::string* row;
  };
  std::vector<Entry> entries;
  size_t total = 0;
  for (const ClusterGroups* cluster : input.groups) {
    if (cluster == nullptr) continue;
    total += cluster->ranked.size();
    for (size_t i = 0; i < cluster->page_rows.size(); ++i) {
      entries.push_back({&cluster->ranked[i], &cluster->page_rows[i]});
    }
  }
  // Each cluster's rows are its best kPageGroups, so the best kPageGroups of all are among them.
  const size_t shown = std::min(entries.size(), kPageGroups);
  std::partial_sort(
      entries.begin(), entries.begin() + static_cast<std::ptrdiff_t>(shown), entries.end(),
      [](const Entry& a, const Entry& b) { return ranks_before(*a.group, *b.group); });
  html += "<h2>Groups by lag in seconds</h2>\n<p id=\"groups-shown\">";
  if (shown < total) {
    html += "The " + std::to_string(shown) + " groups with the highest lag of " +
            std::to_string(total) + "; " + std::to_string(total - shown) +
            " more in <a href=\"/api/v1/groups\">/api/v1/groups</a>.";
  } else {
    html += std::to_string(total) + (total == 1 ? " group" : " groups") +
            ". Click one for its partitions.";
  }
  html += "</p>\n<div id=\"groups\">\n";
  for (size_t i = 0; i < shown; ++i) html += *entries[i].row;
  html += "</div>\n";
}

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      const size_t length = log::utf8_sequence_length(text, i);
      if (length == 0) {
        out += kReplacement;
        ++i;
      } else {
        out.append(text.substr(i, length));
        i += length;
      }
      continue;
    }
    ++i;
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '\t':
      case '\n':
        out += static_cast<char>(c);
        break;
      default:
        if (c < 0x20 || c == 0x7F) {
          out += kReplacement;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

std::string render_group_row(const lag::ClusterSnapshot& snapshot, const lag::GroupSnapshot& group,
                             const GroupStatus& status) {
  const std::string health(lag::to_label(status.health));
  std::string html =
      "<details class=\"group\"><summary><span class=\"cluster\">" + html_escape(snapshot.cluster) +
      "</span><span class=\"name\">" + shown_name(status.name) +
      "</span><span class=\"lag-seconds\">" +
      lag_seconds_text(status.lag_seconds, status.lag_seconds_lower_bound) +
      "</span><span class=\"lag\">lag " + or_dash(status.lag) +
      "</span><span class=\"health health-" + health + "\">" + health +
      "</span><span class=\"state\">" + lag::group_state_label(status.state) +
      "</span><span class=\"members\">" +
      (status.members ? std::to_string(*status.members) : "&ndash;") +
      " members</span><span class=\"rebalances\">" +
      (status.rebalances ? std::to_string(*status.rebalances) : "&ndash;") +
      " rebalances</span></summary>\n<table class=\"partitions\">\n<tr><th>topic</th>"
      "<th>partition</th><th>committed offset</th><th>log end offset</th><th>lag</th>"
      "<th>lag seconds</th><th>health</th></tr>\n";
  const size_t shown = std::min(group.partitions.size(), kPagePartitionsPerGroup);
  for (size_t i = 0; i < shown; ++i) {
    const lag::GroupPartition& p = group.partitions[i];
    const std::string partition_health(lag::to_label(p.health));
    html +=
        "<tr><td>" + shown_name(snapshot.topics[p.topic]) + "</td><td class=\"n\">" +
        std::to_string(p.partition) + "</td><td class=\"n\">" + std::to_string(p.committed_offset) +
        "</td><td class=\"n\">" + or_dash(log_end_offset(snapshot, p.topic, p.partition)) +
        "</td><td class=\"n\">" + or_dash(p.lag) + "</td><td class=\"n\">" +
        lag_seconds_text(p.lag_seconds, p.lag_seconds_lower_bound) + "</td><td class=\"health-" +
        partition_health + "\">" + partition_health + "</td></tr>\n";
  }
  html += "</table>\n";
  if (shown < group.partitions.size()) {
    html += "<p>" + std::to_string(group.partitions.size() - shown) +
            " more partitions: see /api/v1/groups/{cluster}/{group}.</p>\n";
  }
  html += "</details>\n";
  return html;
}

std::string render_status_page(const StatusPageInput& input) {
  std::string html =
      "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>lagwatch</title>\n";
  html += kStyle;
  html += "</head>\n<body>\n<h1>lagwatch</h1>\n<p>Kafka consumer group lag exporter, version ";
  html += html_escape(kVersion);
  html +=
      ".</p>\n<p><a href=\"/metrics\">Metrics</a> &middot; <a href=\"/healthz\">healthz</a> "
      "&middot; <a href=\"/readyz\">readyz</a> &middot; <a href=\"/api/v1/clusters\">"
      "/api/v1/clusters</a> &middot; <a href=\"/api/v1/groups\">/api/v1/groups</a></p>\n"
      "<h2>Clusters</h2>\n";
  append_cluster_table(html, input);
  append_groups(html, input);
  if (!input.configuration.empty()) {
    html +=
        "<h2>Configuration</h2>\n<p>Effective configuration, secrets redacted.</p>\n"
        "<pre id=\"configuration\">" +
        html_escape(input.configuration) + "</pre>\n";
  }
  html += "<h2>Readiness</h2>\n<pre>" + html_escape(input.readiness) + "</pre>\n";
  html += kAgeScript;
  html += "</body></html>\n";
  return html;
}

}  // namespace lagwatch::metrics
