// Bad-input errors of the golden library: file, line, column and what was expected.
#pragma once

#include <stdexcept>
#include <string>

namespace golden {

// Thrown for every malformed input (vector files, meta.json, unknown layers, bad
// parameters). what() is one line: "<file> line <l> col <c>: <message>", with the
// parts that are unknown left out.
class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& message);
  InputError(const std::string& file, const std::string& message);
  InputError(const std::string& file, int line, const std::string& message);
  InputError(const std::string& file, int line, int column, const std::string& message);

  const std::string& file() const noexcept { return file_; }
  int line() const noexcept { return line_; }      // 1-based physical line, 0 if unknown
  int column() const noexcept { return column_; }  // 1-based character column, 0 if unknown
  const std::string& message() const noexcept { return message_; }  // without the location

 private:
  std::string file_;
  int line_ = 0;
  int column_ = 0;
  std::string message_;
};

}  // namespace golden
