#pragma once
// Which connections the server holds and which to close: those that took too long to send a
// request, and, when a new one would exceed the bound, the one waiting longest for a request.
// Pure bookkeeping on socket numbers and times; the server does the closing.

#include <chrono>
#include <cstddef>
#include <list>
#include <vector>

namespace lagwatch::http {

class ConnectionTable {
 public:
  using Clock = std::chrono::steady_clock;
  struct Entry;

  ConnectionTable(std::size_t max_connections, std::chrono::milliseconds header_timeout,
                  std::chrono::milliseconds idle_timeout);

  // A connection was accepted. Appends to `to_close` the sockets to close to stay within the
  // bound: the longest-waiting ones, never the new one and never one being answered.
  Entry* opened(int fd, Clock::time_point now, std::vector<int>& to_close);
  // Its request head is complete and it is being answered.
  void request_started(Entry* entry);
  // The answer went out; the connection waits for the next request.
  void request_finished(Entry* entry, Clock::time_point now);
  // The server closed the connection (for any reason); `entry` is gone.
  void closed(Entry* entry);
  // Appends the sockets whose wait ran out: a new connection without a whole request head after
  // the header timeout, a kept-alive one idle longer than the idle timeout.
  void expire(Clock::time_point now, std::vector<int>& to_close);

  std::size_t size() const;
  // When the next wait runs out, or Clock::time_point::max() when nothing waits.
  Clock::time_point next_deadline() const;

 private:
  enum class State { kFresh, kKept, kBusy, kClosing };
  std::list<Entry>& list_of(State state);
  void move(Entry* entry, State to);
  void close(Entry* entry, std::vector<int>& to_close);

  std::size_t max_connections_;
  std::chrono::milliseconds header_timeout_;
  std::chrono::milliseconds idle_timeout_;
  // Each ordered by `since`, oldest first: new connections without a request yet, kept-alive
  // ones between requests, ones being answered, ones told to close.
  std::list<Entry> fresh_, kept_, busy_, closing_;
};

struct ConnectionTable::Entry {
  int fd = -1;
  Clock::time_point since;  // accepted, or last answer finished
  State state = State::kFresh;
  std::list<Entry>::iterator at;
};

}  // namespace lagwatch::http
