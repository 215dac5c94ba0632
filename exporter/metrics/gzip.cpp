#include "metrics/internal/gzip.h"

#include <zlib.h>

#include <algorithm>

namespace lagwatch::metrics {

namespace {

// zlib counts in uInt (32 bits): larger inputs are fed, and outputs offered, in slices.
constexpr size_t kMaxSlice = size_t{1} << 30;
// Output grows by at least this much at a time, so a small body needs one or two steps.
constexpr size_t kMinStep = 64 * 1024;

class Deflater {
 public:
  bool init() {
    // windowBits 15 + 16 selects the gzip wrapper.
    initialized_ =
        deflateInit2(&stream_, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK;
    return initialized_;
  }
  ~Deflater() {
    if (initialized_) deflateEnd(&stream_);
  }
  Deflater() = default;
  Deflater(const Deflater&) = delete;
  Deflater& operator=(const Deflater&) = delete;

  void reserve(size_t bytes) { out_.reserve(bytes); }

  bool feed(std::string_view data) {
    while (!data.empty()) {
      const size_t slice = std::min(data.size(), kMaxSlice);
      stream_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
      stream_.avail_in = static_cast<uInt>(slice);
      while (stream_.avail_in > 0) {
        if (stream_.avail_out == 0) grow();
        // With input and output space left deflate always progresses; anything else is fatal.
        if (deflate(&stream_, Z_NO_FLUSH) != Z_OK) return false;
      }
      data.remove_prefix(slice);
    }
    return true;
  }

  std::string finish() && {
    int rc = Z_OK;
    while (rc == Z_OK) {
      if (stream_.avail_out == 0) grow();
      rc = deflate(&stream_, Z_FINISH);
    }
    if (rc != Z_STREAM_END) return {};
    out_.resize(written());
    // The reservation is a guess; a body kept until the next poll should not hold much slack.
    if (out_.capacity() > 2 * out_.size() + kMinStep) out_.shrink_to_fit();
    return std::move(out_);
  }

 private:
  size_t written() const {
    return out_.empty()
               ? 0
               : static_cast<size_t>(reinterpret_cast<const char*>(stream_.next_out) - out_.data());
  }

  // Extends the output in steps rather than to deflateBound: resize zero-fills, and the bound is
  // about the input size while the output is a small fraction of it. Within the reservation a
  // step does not reallocate; beyond it, steps grow with the output so copies stay few.
  void grow() {
    const size_t used = written();
    size_t step = std::max(kMinStep, used / 2);
    // A sliver left in the reservation is skipped rather than used as a tiny step.
    if (out_.capacity() >= used + kMinStep) step = std::min(step, out_.capacity() - used);
    step = std::min(step, kMaxSlice);
    out_.resize(used + step);
    stream_.next_out = reinterpret_cast<Bytef*>(out_.data() + used);
    stream_.avail_out = static_cast<uInt>(step);
  }

  z_stream stream_{};
  bool initialized_ = false;
  std::string out_;
};

}  // namespace

std::string gzip_compress(std::span<const std::string_view> pieces) {
  size_t total = 0;
  for (const auto piece : pieces) total += piece.size();
  Deflater deflater;
  if (!deflater.init()) return {};
  // Level 1 compresses exposition text well over eightfold, so the output rarely outgrows this,
  // and untouched reserved pages cost no memory.
  deflater.reserve(total / 8 + kMinStep);
  for (const auto piece : pieces) {
    if (!deflater.feed(piece)) return {};
  }
  return std::move(deflater).finish();
}

std::string gzip_compress(std::string_view data) {
  return gzip_compress(std::span<const std::string_view>(&data, 1));
}

}  // namespace lagwatch::metrics
