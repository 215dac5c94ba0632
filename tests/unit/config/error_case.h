#pragma once
// Shared by the table-driven error tests: one case is a TOML text and the exact error it causes.

#include <gtest/gtest.h>

#include <ostream>
#include <string>

namespace lagwatch::config::testing {

// Three lines; cases that put it first have their own keys from line 4 on.
inline const std::string kCluster = "[[clusters]]\nname = \"a\"\nbootstrap_servers = \"k:9092\"\n";

struct ErrorCase {
  std::string name;
  std::string toml;
  std::string expected;
};

// Failure output names the case instead of dumping its bytes.
inline void PrintTo(const ErrorCase& error_case, std::ostream* out) { *out << error_case.name; }

inline std::string case_name(const ::testing::TestParamInfo<ErrorCase>& info) {
  return info.param.name;
}

}  // namespace lagwatch::config::testing
