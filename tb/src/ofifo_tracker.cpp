// What the core's ofifo_valid must be, from the words the schedule put on their way.
#include "tb/ofifo_tracker.hpp"

#include <fmt/format.h>

namespace tb {

std::string OfifoTracker::check_valid(std::uint64_t now, bool seen) const {
  const bool expected = valid_expected(now);
  if (seen == expected) return {};
  if (seen) {
    if (ready_.empty()) {
      return "ofifo_valid is high but every psum word the schedule produced has already been "
             "popped (a word in the OFIFO nobody asked for)";
    }
    return fmt::format(
        "ofifo_valid is high before the next psum word can be complete in every column (its "
        "instruction was issued at cycle {}; the last column's word arrives at edge {})",
        ready_.front() - static_cast<std::uint64_t>(latency_), ready_.front());
  }
  return fmt::format(
      "ofifo_valid is low although the psum word of the instruction issued at cycle {} should "
      "be in every OFIFO column since edge {} ({} cycles later, DESIGN.md 3a)",
      ready_.front() - static_cast<std::uint64_t>(latency_), ready_.front(), latency_);
}

}  // namespace tb
