// InputError: one-line messages with the location of the bad input.
#include "golden/error.hpp"

#include <fmt/format.h>

namespace golden {
namespace {

std::string locate(const std::string& file, int line, int column, const std::string& message) {
  std::string where = file;
  if (line > 0) where += fmt::format("{}line {}", where.empty() ? "" : " ", line);
  if (column > 0) where += fmt::format("{}col {}", where.empty() ? "" : " ", column);
  return where.empty() ? message : fmt::format("{}: {}", where, message);
}

}  // namespace

InputError::InputError(const std::string& message) : InputError("", 0, 0, message) {}

InputError::InputError(const std::string& file, const std::string& message)
    : InputError(file, 0, 0, message) {}

InputError::InputError(const std::string& file, int line, const std::string& message)
    : InputError(file, line, 0, message) {}

InputError::InputError(const std::string& file, int line, int column, const std::string& message)
    : std::runtime_error(locate(file, line, column, message)),
      file_(file),
      line_(line),
      column_(column),
      message_(message) {}

}  // namespace golden
