#pragma once
// Shared by the config tests: unwrap a ParseResult with a readable failure instead of a
// bad_variant_access.

#include <gtest/gtest.h>

#include <string>
#include <variant>

#include "config/config.h"

namespace lagwatch::config::testing {

// The error text, or a marker that makes an EXPECT_EQ against an error fail readably.
inline std::string error_text(const ParseResult& result) {
  if (const auto* error = std::get_if<Error>(&result)) {
    return error->to_string();
  }
  return "<parsed without error>";
}

// The config, or an empty one after recording the unexpected error as a test failure.
inline Config config_or_fail(const ParseResult& result) {
  if (const auto* error = std::get_if<Error>(&result)) {
    ADD_FAILURE() << "unexpected error: " << error->to_string();
    return Config{};
  }
  return std::get<Config>(result);
}

}  // namespace lagwatch::config::testing
