#pragma once
// Internal to the config module: how the config file spells each enum value, indexed by the
// value, so the parser, describe_redacted() and to_string() cannot disagree.

#include <array>
#include <string_view>

namespace lagwatch::config::detail {

inline constexpr std::array<std::string_view, 3> kGranularityNames = {"partition", "topic",
                                                                      "group"};
inline constexpr std::array<std::string_view, 2> kLagSecondsModeNames = {"estimate", "exact"};

}  // namespace lagwatch::config::detail
