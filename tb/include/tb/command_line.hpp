// The programs' command lines: CLI11 behind a small interface whose code is compiled once
// (tb/src/command_line.cpp). CLI11 2.1's header defines its validators as objects in every
// translation unit that includes it: including it alone cost about 4 s of -O0 compile per
// program (cosim, regress, course_files, generate_vectors, the benches, the kill table).
// The calls read as CLI11's own (add_option, ->check, ->capture_default_str, parse, exit) and do
// exactly what CLI11 does: help text, error messages and exit codes are CLI11's.
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <initializer_list>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace cmdline {

// A check on an option's text: CLI11's IsMember, Range, PositiveNumber, NonNegativeNumber, or a
// function that returns an empty string for good text and the message otherwise.
class Validator {
 public:
  using Function = std::function<std::string(std::string&)>;
  Validator(Function function, std::string description);

  enum class Kind { Function, Members, IntegerMembers, Range, PositiveNumber, NonNegativeNumber };
  Kind kind() const { return kind_; }
  const Function& function() const { return function_; }
  const std::string& description() const { return description_; }
  const std::vector<std::string>& members() const { return members_; }
  const std::vector<std::int64_t>& integer_members() const { return integer_members_; }
  std::int64_t low() const { return low_; }
  std::int64_t high() const { return high_; }

 private:
  explicit Validator(Kind kind) : kind_(kind) {}
  friend Validator IsMember(std::initializer_list<std::string> members);
  friend Validator IsMember(std::initializer_list<std::int64_t> members);
  friend Validator Range(std::int64_t low, std::int64_t high);
  friend Validator PositiveNumber();
  friend Validator NonNegativeNumber();

  Kind kind_ = Kind::Function;
  Function function_;
  std::string description_;
  std::vector<std::string> members_;
  std::vector<std::int64_t> integer_members_;
  std::int64_t low_ = 0;
  std::int64_t high_ = 0;
};

// The text must be one of these (CLI::IsMember).
Validator IsMember(std::initializer_list<std::string> members);
Validator IsMember(std::initializer_list<std::int64_t> members);
// An integer in [low, high] (CLI::Range).
Validator Range(std::int64_t low, std::int64_t high);
// CLI::PositiveNumber, CLI::NonNegativeNumber.
Validator PositiveNumber();
Validator NonNegativeNumber();

// One option of an App (CLI::Option): the setters return the option, so calls chain.
class Option {
 public:
  explicit Option(CLI::Option* option) : option_(option) {}
  Option* capture_default_str();
  Option* type_name(const std::string& name);
  Option* required();
  Option* group(const std::string& name);
  Option* default_val(const std::string& text);
  Option* default_val(std::int64_t value);
  Option* check(const Validator& validator);
  Option* check(std::function<std::string(const std::string&)> function);
  Option* needs(Option* other);
  // Values of a list option may also come in one argument separated by this character.
  Option* delimiter(char separator);

 private:
  CLI::Option* option_;
};

// A command line error or a request for help (CLI::ParseError): exit_code() 0 for --help.
// App::exit prints what CLI11 prints for it.
class ParseError : public std::runtime_error {
 public:
  ParseError(const std::string& what, int exit_code, std::exception_ptr original)
      : std::runtime_error(what), exit_code_(exit_code), original_(std::move(original)) {}
  int exit_code() const { return exit_code_; }
  const std::exception_ptr& original() const { return original_; }

 private:
  int exit_code_;
  std::exception_ptr original_;
};

// A program's command line, or one of its subcommands (CLI::App).
class App {
 public:
  explicit App(const std::string& description, const std::string& name = "");
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  // One overload per value type the programs use (CLI11 converts and checks the text); another
  // type is one more overload here and in command_line.cpp.
  Option* add_option(const std::string& name, std::string& value, const std::string& help = "");
  Option* add_option(const std::string& name, int& value, const std::string& help = "");
  Option* add_option(const std::string& name, unsigned long& value,
                     const std::string& help = "");
  Option* add_option(const std::string& name, long long& value, const std::string& help = "");
  Option* add_option(const std::string& name, double& value, const std::string& help = "");
  Option* add_option(const std::string& name, std::vector<std::string>& value,
                     const std::string& help = "");
  Option* add_option(const std::string& name, std::vector<int>& value,
                     const std::string& help = "");
  Option* add_flag(const std::string& name, bool& value, const std::string& help = "");
  Option* add_flag(const std::string& name, std::function<void(std::int64_t)> function,
                   const std::string& help = "");
  App* add_subcommand(const std::string& name, const std::string& description);

  App* fallthrough();
  App* allow_extras();
  App* footer(const std::string& text);
  App* require_subcommand(int min, int max);

  // Throws ParseError.
  void parse(int argc, char** argv);
  // What CLI11 prints for the error (help on stdout, a message on stderr); its exit code.
  int exit(const ParseError& error);

  bool parsed() const;
  std::size_t count(const std::string& name) const;
  std::vector<std::string> remaining() const;

 private:
  explicit App(CLI::App* app);
  Option* keep(CLI::Option* option);

  std::unique_ptr<CLI::App> own_;
  CLI::App* app_;
  std::vector<std::unique_ptr<Option>> options_;
  std::vector<std::unique_ptr<App>> subcommands_;
};

}  // namespace cmdline
