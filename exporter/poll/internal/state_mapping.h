#pragma once

#include "config/config.h"
#include "kafka/types.h"
#include "lag/snapshot.h"

namespace lagwatch::poll {

inline lag::Granularity to_lag_granularity(config::Granularity granularity) {
  switch (granularity) {
    case config::Granularity::kTopic:
      return lag::Granularity::kTopic;
    case config::Granularity::kGroup:
      return lag::Granularity::kGroup;
    case config::Granularity::kPartition:
      break;
  }
  return lag::Granularity::kPartition;
}

}  // namespace lagwatch::poll
