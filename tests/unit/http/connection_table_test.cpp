// The connection bookkeeping alone: which sockets time out and which one makes room at the bound.

#include "http/internal/connection_table.h"

#include <gtest/gtest.h>

#include <chrono>
#include <vector>

namespace lagwatch::http {
namespace {

using std::chrono::milliseconds;
using Clock = ConnectionTable::Clock;

class ConnectionTableTest : public ::testing::Test {
 protected:
  ConnectionTable table{3, milliseconds(100), milliseconds(1000)};
  Clock::time_point t0 = Clock::now();
  std::vector<int> to_close;
};

TEST_F(ConnectionTableTest, NewConnectionsMustSendARequestWithinTheHeaderTimeout) {
  table.opened(1, t0, to_close);
  table.opened(2, t0 + milliseconds(50), to_close);
  EXPECT_EQ(table.next_deadline(), t0 + milliseconds(100));
  table.expire(t0 + milliseconds(99), to_close);
  EXPECT_TRUE(to_close.empty());
  table.expire(t0 + milliseconds(100), to_close);
  EXPECT_EQ(to_close, std::vector<int>{1});
  table.expire(t0 + milliseconds(200), to_close);
  EXPECT_EQ(to_close, (std::vector<int>{1, 2}));
  // Told once, not again.
  table.expire(t0 + milliseconds(300), to_close);
  EXPECT_EQ(to_close.size(), 2u);
  EXPECT_EQ(table.next_deadline(), Clock::time_point::max());
}

TEST_F(ConnectionTableTest, BusyConnectionsNeverTimeOutHereAndKeptOnesGetTheIdleTimeout) {
  auto* entry = table.opened(1, t0, to_close);
  table.request_started(entry);
  table.expire(t0 + milliseconds(5000), to_close);
  EXPECT_TRUE(to_close.empty());
  table.request_finished(entry, t0 + milliseconds(5000));
  table.expire(t0 + milliseconds(5999), to_close);
  EXPECT_TRUE(to_close.empty());
  table.expire(t0 + milliseconds(6000), to_close);
  EXPECT_EQ(to_close, std::vector<int>{1});
}

TEST_F(ConnectionTableTest, AtTheBoundTheLongestWaitingMakesRoom) {
  auto* a = table.opened(1, t0, to_close);
  auto* b = table.opened(2, t0 + milliseconds(1), to_close);
  table.opened(3, t0 + milliseconds(2), to_close);
  // a answered after c came: b has now waited longest.
  table.request_started(a);
  table.request_finished(a, t0 + milliseconds(3));
  table.opened(4, t0 + milliseconds(4), to_close);
  EXPECT_EQ(to_close, std::vector<int>{2});
  table.closed(b);
  EXPECT_EQ(table.size(), 3u);
  // Those told to close do not count against the bound, so one is enough.
  table.opened(5, t0 + milliseconds(5), to_close);
  EXPECT_EQ(to_close, (std::vector<int>{2, 3}));
}

TEST_F(ConnectionTableTest, ConnectionsBeingAnsweredAreNeverDropped) {
  for (int fd = 1; fd <= 3; ++fd) table.request_started(table.opened(fd, t0, to_close));
  table.opened(4, t0 + milliseconds(1), to_close);
  EXPECT_TRUE(to_close.empty());
  EXPECT_EQ(table.size(), 4u);
}

TEST_F(ConnectionTableTest, ClosedEntriesLeaveInAnyState) {
  auto* fresh = table.opened(1, t0, to_close);
  auto* busy = table.opened(2, t0, to_close);
  auto* kept = table.opened(3, t0, to_close);
  table.request_started(busy);
  table.request_started(kept);
  table.request_finished(kept, t0);
  table.expire(t0 + milliseconds(100), to_close);  // fresh is told to close
  table.closed(fresh);
  table.closed(busy);
  table.closed(kept);
  EXPECT_EQ(table.size(), 0u);
}

}  // namespace
}  // namespace lagwatch::http
