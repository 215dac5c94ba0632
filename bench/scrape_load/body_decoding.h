#pragma once

#include <optional>
#include <string>

namespace lagwatch::bench {

// Undoes HTTP/1.1 chunked framing; nullopt when the framing is broken.
std::optional<std::string> dechunk(const std::string& framed);

// Inflates a gzip stream; nullopt when it is not valid gzip.
std::optional<std::string> gunzip(const std::string& compressed);

}  // namespace lagwatch::bench
