#pragma once

#include <span>
#include <string>
#include <string_view>

namespace lagwatch::metrics {

// gzip (RFC 1952) at zlib's fastest level: the body is compressed once per poll, and level 1
// already shrinks exposition text more than tenfold. The pieces are compressed as one stream,
// so the result is the gzip of their concatenation without ever joining them. Empty on failure.
std::string gzip_compress(std::span<const std::string_view> pieces);
std::string gzip_compress(std::string_view data);

}  // namespace lagwatch::metrics
