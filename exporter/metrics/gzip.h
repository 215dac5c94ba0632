#pragma once

#include <string>
#include <string_view>

namespace lagwatch::metrics {

// gzip (RFC 1952) at zlib's fastest level: the body is compressed once per poll, and level 1
// already shrinks exposition text more than tenfold.
std::string gzip_compress(std::string_view data);

}  // namespace lagwatch::metrics
