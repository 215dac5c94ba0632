#pragma once
// Internal to metrics: writing series lines of the text format straight into a cluster's
// exposition, for the families rendered from a snapshot.

#include <cstdint>
#include <string>
#include <string_view>

#include "metrics/cluster_renderer.h"
#include "metrics/families.h"

namespace lagwatch::metrics::detail {

void append_int(std::string& out, int64_t value);
// Millisecond resolution is finer than any poll interval.
void append_seconds(std::string& out, double value);

// `name="value"`, the value escaped.
std::string label(std::string_view name, std::string_view value);

// `prefix`, the topic label and the partition label: the labels of a partition series.
void partition_labels(std::string& out, const std::string& prefix, const std::string& topic_label,
                      int32_t partition);

// Writes `name{<labels>} value\n` where <labels> is a pre-rendered label list, and counts it.
class FamilyWriter {
 public:
  FamilyWriter(ClusterExposition& exposition, Family family)
      : out_(exposition.series[static_cast<size_t>(family)]),
        name_(info(family).name),
        count_(exposition.series_count) {}

  void sample(std::string_view labels, int64_t value) {
    begin(labels);
    append_int(out_, value);
    out_ += '\n';
  }
  void sample_seconds(std::string_view labels, double value) {
    begin(labels);
    append_seconds(out_, value);
    out_ += '\n';
  }
  void reserve(size_t bytes) { out_.reserve(bytes); }

 private:
  void begin(std::string_view labels) {
    out_ += name_;
    out_ += '{';
    out_ += labels;
    out_ += "} ";
    ++count_;
  }
  std::string& out_;
  std::string_view name_;
  size_t& count_;
};

}  // namespace lagwatch::metrics::detail
