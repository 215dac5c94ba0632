#pragma once
// Consumer health verdicts. The numeric codes are part of the metrics contract and never change;
// the names are the lowercase label values. Codes are identifiers, not severities: use
// severity_rank() / worse_of() to compare.

#include <span>
#include <string_view>

namespace lagwatch::lag {

enum class HealthStatus : int {
  kOk = 0,
  kWarn = 1,    // lag grew at every observation of the window
  kStall = 2,   // committed offset stuck over the window while lag > 0 throughout
  kStop = 3,    // a stall that lasted long: the consumer is not committing at all
  kRewind = 4,  // committed offset moved back and has not got back to where it was
  kErr = 5,     // reserved for the poller: the partition's offsets could not be read
};

// "ok", "warn", "stall", "stop", "rewind", "err".
std::string_view to_label(HealthStatus status);
constexpr int to_code(HealthStatus status) { return static_cast<int>(status); }

// Order used for "worst partition": OK < WARN < REWIND < STALL < STOP < ERR.
// REWIND ranks below the stuck verdicts because it is usually an operator resetting offsets on
// purpose; STOP is a stall that escalated; ERR ranks highest because the exporter cannot vouch
// for the partition at all and must not be masked by any lesser verdict.
int severity_rank(HealthStatus status);
HealthStatus worse_of(HealthStatus a, HealthStatus b);
// Group verdict = worst partition verdict; OK for a group with no partitions.
HealthStatus worst_of(std::span<const HealthStatus> statuses);

}  // namespace lagwatch::lag
