#include "metrics/request_counts.h"

#include <charconv>

namespace lagwatch::metrics {

namespace {

// A cursor over the inside of one "req" object: "Name": 123, "Other": 0 }
class ReqObject {
 public:
  explicit ReqObject(std::string_view text) : text_(text) {}

  // The next name and count; false at the closing brace or on anything unexpected.
  bool next(std::string_view& name, std::uint64_t& count) {
    skip_spaces_and(',');
    if (at_ >= text_.size() || text_[at_] != '"') return false;
    const std::size_t end = text_.find('"', at_ + 1);
    if (end == std::string_view::npos) return false;
    name = text_.substr(at_ + 1, end - at_ - 1);
    at_ = end + 1;
    skip_spaces_and(':');
    const char* first = text_.data() + at_;
    const auto [ptr, ec] = std::from_chars(first, text_.data() + text_.size(), count);
    if (ec != std::errc()) return false;
    at_ += static_cast<std::size_t>(ptr - first);
    return true;
  }

 private:
  void skip_spaces_and(char separator) {
    while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\n' || text_[at_] == '\t' ||
                                  text_[at_] == '\r' || text_[at_] == separator)) {
      ++at_;
    }
  }

  std::string_view text_;
  std::size_t at_ = 0;
};

}  // namespace

RequestTotals request_totals(std::string_view json) {
  RequestTotals totals;
  constexpr std::string_view kKey = "\"req\"";
  for (std::size_t key = json.find(kKey); key != std::string_view::npos;
       key = json.find(kKey, key + kKey.size())) {
    const std::size_t open = json.find_first_not_of(" \t\r\n:", key + kKey.size());
    if (open == std::string_view::npos || json[open] != '{') continue;
    ReqObject object(json.substr(open + 1));
    std::string_view name;
    std::uint64_t count = 0;
    while (object.next(name, count)) {
      auto it = totals.find(name);
      if (it == totals.end()) it = totals.emplace(std::string(name), 0).first;
      it->second += count;
    }
  }
  return totals;
}

}  // namespace lagwatch::metrics
