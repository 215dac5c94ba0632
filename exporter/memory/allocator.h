#pragma once
// glibc malloc settings for a process whose largest allocations are per-poll buffers. No-ops
// with other C libraries.

namespace lagwatch::memory {

// Serves every allocation of 256 KiB or more (exposition text, gzip output, reply buffers of a
// big cluster) from its own mapping, which goes back to the system when freed. glibc otherwise
// raises that threshold after the first large free and keeps each poll's buffers in its heap.
// Call before any thread starts.
void tune_allocator();

// Returns the free pages inside malloc's heaps to the system. Each poll frees the previous
// snapshot's many small allocations (and the offsets reader its replay's) in every thread's
// arena; glibc only gives back memory at the top of a heap by itself, so without this the
// resident size keeps the high-water mark of the busiest poll.
void release_free_memory();

}  // namespace lagwatch::memory
