#pragma once
// Shared by the config tests: unwrap a ParseResult with a readable failure instead of a
// bad_variant_access.

#include <gtest/gtest.h>

#include <string>

#include "config/config.h"

namespace lagwatch::config::testing {

// The error text, or a marker that makes an EXPECT_EQ against an error fail readably.
inline std::string error_text(const ParseResult& result) {
  if (!result) return result.error().to_string();
  return "<parsed without error>";
}

// The config, or an empty one after recording the unexpected error as a test failure.
inline Config config_or_fail(const ParseResult& result) {
  if (!result) {
    ADD_FAILURE() << "unexpected error: " << result.error().to_string();
    return Config{};
  }
  return *result;
}

}  // namespace lagwatch::config::testing
