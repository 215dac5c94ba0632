#include <chrono>
#include <ctime>
#include <string>

#include "lagwatch/version.h"
#include "metrics/exposition.h"

namespace lagwatch::metrics {

namespace {

std::string html_escape(std::string_view text) {
  std::string out;
  for (const char c : text) {
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
      default:
        out += c;
    }
  }
  return out;
}

std::string utc_time(double unix_seconds) {
  const auto t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buffer;
}

}  // namespace

std::string render_landing_page(const std::vector<std::string>& cluster_names,
                                const std::vector<ClusterStatus>& statuses,
                                const std::string& readiness) {
  std::string html =
      "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>lagwatch</title></head>\n"
      "<body>\n<h1>lagwatch</h1>\n<p>Kafka consumer group lag exporter, version ";
  html += html_escape(kVersion);
  html +=
      ".</p>\n<p><a href=\"/metrics\">Metrics</a> &middot; <a href=\"/healthz\">healthz</a> "
      "&middot; <a href=\"/readyz\">readyz</a></p>\n"
      "<table border=\"1\" cellpadding=\"4\">\n<tr><th>cluster</th><th>up</th>"
      "<th>last successful poll</th><th>groups</th><th>committed offsets from</th>"
      "<th>last error</th><th>not authorized</th></tr>\n";
  for (size_t i = 0; i < cluster_names.size(); ++i) {
    const ClusterStatus& s = statuses[i];
    html += "<tr><td>" + html_escape(cluster_names[i]) + "</td><td>" + (s.up ? "yes" : "no") +
            "</td><td>" +
            (s.last_success_unix_seconds ? utc_time(*s.last_success_unix_seconds) : "never") +
            "</td><td>" + std::to_string(s.groups) + "</td><td>" + html_escape(s.offsets_source) +
            "</td><td>" + html_escape(s.last_error) + "</td><td>";
    for (size_t line = 0; line < s.unauthorized.size(); ++line) {
      if (line > 0) html += "<br>";
      html += html_escape(s.unauthorized[line]);
    }
    html += "</td></tr>\n";
  }
  html +=
      "</table>\n<h2>Readiness</h2>\n<pre>" + html_escape(readiness) + "</pre>\n</body></html>\n";
  return html;
}

}  // namespace lagwatch::metrics
