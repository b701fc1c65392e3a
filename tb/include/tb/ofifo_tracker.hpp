// The OFIFO as a schedule sees it: the words on their way, when each may be popped under the course's registered read enable, and the ofifo_valid the core must show.
#pragma once

#include <cstdint>
#include <deque>
#include <string>

namespace tb {

// DESIGN.md 3a: `ofifo_rd` at cycle t pops at edge t + 1, and the word popped is the head during
// cycle t + 1, which a pmem write at t + 1 stores. A word produced by an instruction issued at
// cycle i (a weight-stationary execute, an output-stationary drain step) is in every column's
// FIFO after edge i + latency, so ofifo_rd may be raised for it from cycle i + latency on and
// ofifo_valid shows it from cycle i + latency + 1.
class OfifoTracker {
 public:
  explicit OfifoTracker(int latency) : latency_(latency) {}

  int latency() const { return latency_; }
  // A word the core will put into the OFIFO for an instruction issued at `cycle`.
  void expect_word(std::uint64_t cycle) {
    ready_.push_back(cycle + static_cast<std::uint64_t>(latency_));
  }
  // Words expected and not popped yet (including one being popped this cycle).
  std::size_t pending() const { return ready_.size(); }
  // ofifo_rd was raised in the previous cycle: the head pops at this cycle's edge, and this
  // cycle's pmem write (if any) takes it.
  bool popping() const { return popping_; }
  // The head word leaves at this cycle's edge (call once per popping() cycle).
  void pop() {
    ready_.pop_front();
    popping_ = false;
  }
  // ofifo_rd may be raised now for the next word not yet requested.
  bool can_request(std::uint64_t now) const {
    const std::size_t next = popping_ ? 1 : 0;
    return ready_.size() > next && ready_[next] <= now;
  }
  void request() { popping_ = true; }
  // The ofifo_valid the core shows during cycle `now` (after edge now - 1): every column holds
  // the oldest word that has not been popped at an earlier edge.
  bool valid_expected(std::uint64_t now) const { return !ready_.empty() && ready_.front() < now; }
  // Empty when `seen` agrees; otherwise what is wrong, for a protocol error.
  std::string check_valid(std::uint64_t now, bool seen) const;

 private:
  int latency_;
  std::deque<std::uint64_t> ready_;  // per word in OFIFO order: first cycle ofifo_rd may pop it
  bool popping_ = false;
};

}  // namespace tb
