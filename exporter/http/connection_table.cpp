#include "http/internal/connection_table.h"

#include <algorithm>

namespace lagwatch::http {

ConnectionTable::ConnectionTable(std::size_t max_connections,
                                 std::chrono::milliseconds header_timeout,
                                 std::chrono::milliseconds idle_timeout)
    : max_connections_(std::max<std::size_t>(1, max_connections)),
      header_timeout_(header_timeout),
      idle_timeout_(idle_timeout) {}

std::list<ConnectionTable::Entry>& ConnectionTable::list_of(State state) {
  switch (state) {
    case State::kFresh:
      return fresh_;
    case State::kKept:
      return kept_;
    case State::kBusy:
      return busy_;
    case State::kClosing:
      break;
  }
  return closing_;
}

void ConnectionTable::move(Entry* entry, State to) {
  std::list<Entry>& from = list_of(entry->state);
  std::list<Entry>& target = list_of(to);
  target.splice(target.end(), from, entry->at);
  entry->state = to;
}

void ConnectionTable::close(Entry* entry, std::vector<int>& to_close) {
  to_close.push_back(entry->fd);
  move(entry, State::kClosing);
}

ConnectionTable::Entry* ConnectionTable::opened(int fd, Clock::time_point now,
                                                std::vector<int>& to_close) {
  // Connections already told to close do not count: they are on their way out.
  while (size() - closing_.size() >= max_connections_) {
    const bool take_fresh =
        !fresh_.empty() && (kept_.empty() || fresh_.front().since <= kept_.front().since);
    if (take_fresh) {
      close(&fresh_.front(), to_close);
    } else if (!kept_.empty()) {
      close(&kept_.front(), to_close);
    } else {
      break;  // all busy: the new one is over the bound until some answer ends
    }
  }
  Entry& entry = fresh_.emplace_back();
  entry.fd = fd;
  entry.since = now;
  entry.state = State::kFresh;
  entry.at = std::prev(fresh_.end());
  return &entry;
}

void ConnectionTable::request_started(Entry* entry) {
  if (entry->state != State::kClosing) move(entry, State::kBusy);
}

void ConnectionTable::request_finished(Entry* entry, Clock::time_point now) {
  if (entry->state == State::kClosing) return;
  entry->since = now;
  move(entry, State::kKept);
}

void ConnectionTable::closed(Entry* entry) { list_of(entry->state).erase(entry->at); }

void ConnectionTable::expire(Clock::time_point now, std::vector<int>& to_close) {
  while (!fresh_.empty() && now - fresh_.front().since >= header_timeout_) {
    close(&fresh_.front(), to_close);
  }
  while (!kept_.empty() && now - kept_.front().since >= idle_timeout_) {
    close(&kept_.front(), to_close);
  }
}

std::size_t ConnectionTable::size() const {
  return fresh_.size() + kept_.size() + busy_.size() + closing_.size();
}

ConnectionTable::Clock::time_point ConnectionTable::next_deadline() const {
  auto deadline = Clock::time_point::max();
  if (!fresh_.empty()) deadline = std::min(deadline, fresh_.front().since + header_timeout_);
  if (!kept_.empty()) deadline = std::min(deadline, kept_.front().since + idle_timeout_);
  return deadline;
}

}  // namespace lagwatch::http
