#pragma once
// CPU time of this process so far (user + system, every thread), for CPU per cycle or per call.

namespace lagwatch::bench {

double process_cpu_seconds();

}  // namespace lagwatch::bench
