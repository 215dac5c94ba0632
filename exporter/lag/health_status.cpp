#include "lag/health_status.h"

namespace lagwatch::lag {

std::string_view to_label(HealthStatus status) {
  switch (status) {
    case HealthStatus::kOk:
      return "ok";
    case HealthStatus::kWarn:
      return "warn";
    case HealthStatus::kStall:
      return "stall";
    case HealthStatus::kStop:
      return "stop";
    case HealthStatus::kRewind:
      return "rewind";
    case HealthStatus::kErr:
      return "err";
  }
  return "err";
}

int severity_rank(HealthStatus status) {
  switch (status) {
    case HealthStatus::kOk:
      return 0;
    case HealthStatus::kWarn:
      return 1;
    case HealthStatus::kRewind:
      return 2;
    case HealthStatus::kStall:
      return 3;
    case HealthStatus::kStop:
      return 4;
    case HealthStatus::kErr:
      return 5;
  }
  return 5;
}

HealthStatus worse_of(HealthStatus a, HealthStatus b) {
  return severity_rank(b) > severity_rank(a) ? b : a;
}

HealthStatus worst_of(std::span<const HealthStatus> statuses) {
  HealthStatus worst = HealthStatus::kOk;
  for (const HealthStatus status : statuses) worst = worse_of(worst, status);
  return worst;
}

}  // namespace lagwatch::lag
