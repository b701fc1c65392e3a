// Errors of the harness that are the user's to fix (exit code 2), next to golden::InputError.
#pragma once

#include <stdexcept>
#include <string>

namespace tb {

// A command line, a build or a layer the harness cannot run: unknown shape, trace format
// missing from this build, a layer whose memory split is not implemented.
class UsageError : public std::runtime_error {
 public:
  explicit UsageError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace tb
