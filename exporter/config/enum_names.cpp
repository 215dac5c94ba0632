#include "config/enum_names.h"

#include <cstddef>

#include "config/config.h"

namespace lagwatch::config {

std::string_view to_string(Granularity granularity) {
  return detail::kGranularityNames.at(static_cast<std::size_t>(granularity));
}

std::string_view to_string(LagSecondsMode mode) {
  return detail::kLagSecondsModeNames.at(static_cast<std::size_t>(mode));
}

}  // namespace lagwatch::config
