#include "memory/allocator.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <vector>

#if defined(__GLIBC__)
#include <malloc.h>
#include <unistd.h>

namespace lagwatch::memory {
namespace {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitizerAllocator = true;  // sanitizers replace malloc: nothing to observe
#else
constexpr bool kSanitizerAllocator = false;
#endif

size_t mapped_blocks() { return mallinfo2().hblks; }

// Keeps the compiler from eliding a malloc/free pair whose memory is never used.
void* volatile escape;

long resident_kib() {
  std::ifstream statm("/proc/self/statm");
  long size = 0, resident = 0;
  statm >> size >> resident;
  return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

TEST(Allocator, LargeBuffersStayMappedAfterOneIsFreed) {
  if (kSanitizerAllocator) GTEST_SKIP() << "malloc is the sanitizer's";
  tune_allocator();
  // Without the fixed threshold glibc would raise it to 4 MiB when the first buffer is freed and
  // serve the second from its heap, where freed memory is kept.
  for (int round = 0; round < 2; ++round) {
    const size_t before = mapped_blocks();
    void* buffer = std::malloc(4 << 20);
    ASSERT_NE(buffer, nullptr);
    escape = buffer;
    EXPECT_EQ(mapped_blocks(), before + 1) << "round " << round;
    std::free(buffer);
  }
  void* medium = std::malloc(512 << 10);  // above 256 KiB: mapped as well
  escape = medium;
  const size_t with_medium = mapped_blocks();
  std::free(medium);
  EXPECT_EQ(mapped_blocks(), with_medium - 1);
}

TEST(Allocator, ReleaseReturnsFreedSmallBlocksToTheSystem) {
  if (kSanitizerAllocator) GTEST_SKIP() << "malloc is the sanitizer's";
  tune_allocator();
  std::vector<char*> blocks;
  for (int i = 0; i < 64 * 1024; ++i) {  // 64 MiB of 1 KiB blocks, all in malloc's heap
    char* block = static_cast<char*>(std::malloc(1024));
    ASSERT_NE(block, nullptr);
    for (int at = 0; at < 1024; at += 256) block[at] = 1;  // make it resident
    blocks.push_back(block);
  }
  // Free all but the last: the heap top stays in use, so glibc cannot trim by itself.
  for (size_t i = 0; i + 1 < blocks.size(); ++i) std::free(blocks[i]);
  const long before = resident_kib();
  release_free_memory();
  const long after = resident_kib();
  EXPECT_LT(after, before - 32 * 1024) << "before " << before << " KiB, after " << after << " KiB";
  std::free(blocks.back());
}

}  // namespace
}  // namespace lagwatch::memory
#endif
