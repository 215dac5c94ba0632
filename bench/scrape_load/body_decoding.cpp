#include "scrape_load/body_decoding.h"

#include <zlib.h>

#include <charconv>

namespace lagwatch::bench {

std::optional<std::string> dechunk(const std::string& framed) {
  std::string body;
  std::size_t at = 0;
  while (at < framed.size()) {
    std::size_t line_end = framed.find("\r\n", at);
    if (line_end == std::string::npos) return std::nullopt;
    std::size_t size = 0;
    auto [ptr, ec] = std::from_chars(framed.data() + at, framed.data() + line_end, size, 16);
    if (ec != std::errc()) return std::nullopt;
    (void)ptr;  // chunk extensions after the size are allowed and ignored
    if (size == 0) return body;
    std::size_t data = line_end + 2;
    if (data + size + 2 > framed.size()) return std::nullopt;
    body.append(framed, data, size);
    at = data + size + 2;
  }
  return std::nullopt;  // no terminating zero-size chunk
}

std::optional<std::string> gunzip(const std::string& compressed) {
  z_stream stream{};
  // 16 + MAX_WBITS: expect a gzip header, not a raw zlib one.
  if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) return std::nullopt;
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(compressed.size());
  std::string out;
  char buffer[1 << 16];
  int rc = Z_OK;
  while (rc == Z_OK) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof(buffer);
    rc = inflate(&stream, Z_NO_FLUSH);
    out.append(buffer, sizeof(buffer) - stream.avail_out);
    if (rc == Z_BUF_ERROR && stream.avail_in == 0) break;
  }
  inflateEnd(&stream);
  if (rc != Z_STREAM_END) return std::nullopt;
  return out;
}

}  // namespace lagwatch::bench
