// The programs' command lines (tb/command_line.hpp): each call hands over to CLI11.
#include "tb/command_line.hpp"

#include <utility>

#include <CLI/CLI.hpp>

namespace cmdline {

Validator::Validator(Function function, std::string description)
    : kind_(Kind::Function), function_(std::move(function)), description_(std::move(description)) {}

Validator IsMember(std::initializer_list<std::string> members) {
  Validator validator(Validator::Kind::Members);
  validator.members_.assign(members.begin(), members.end());
  return validator;
}

Validator IsMember(std::initializer_list<std::int64_t> members) {
  Validator validator(Validator::Kind::IntegerMembers);
  validator.integer_members_.assign(members.begin(), members.end());
  return validator;
}

Validator Range(std::int64_t low, std::int64_t high) {
  Validator validator(Validator::Kind::Range);
  validator.low_ = low;
  validator.high_ = high;
  return validator;
}

Validator PositiveNumber() { return Validator(Validator::Kind::PositiveNumber); }
Validator NonNegativeNumber() { return Validator(Validator::Kind::NonNegativeNumber); }

Option* Option::capture_default_str() {
  option_->capture_default_str();
  return this;
}

Option* Option::type_name(const std::string& name) {
  option_->type_name(name);
  return this;
}

Option* Option::required() {
  option_->required();
  return this;
}

Option* Option::group(const std::string& name) {
  option_->group(name);
  return this;
}

Option* Option::default_val(const std::string& text) {
  option_->default_val(text);
  return this;
}

Option* Option::default_val(std::int64_t value) {
  option_->default_val(value);
  return this;
}

Option* Option::check(const Validator& validator) {
  switch (validator.kind()) {
    case Validator::Kind::Function:
      option_->check(CLI::Validator(validator.function(), validator.description()));
      break;
    case Validator::Kind::Members:
      option_->check(CLI::IsMember(validator.members()));
      break;
    case Validator::Kind::IntegerMembers:
      option_->check(CLI::IsMember(validator.integer_members()));
      break;
    case Validator::Kind::Range:
      option_->check(CLI::Range(validator.low(), validator.high()));
      break;
    case Validator::Kind::PositiveNumber:
      option_->check(CLI::PositiveNumber);
      break;
    case Validator::Kind::NonNegativeNumber:
      option_->check(CLI::NonNegativeNumber);
      break;
  }
  return this;
}

Option* Option::check(std::function<std::string(const std::string&)> function) {
  option_->check(std::move(function));
  return this;
}

Option* Option::needs(Option* other) {
  option_->needs(other->option_);
  return this;
}

Option* Option::delimiter(char separator) {
  option_->delimiter(separator);
  return this;
}

App::App(const std::string& description, const std::string& name)
    : own_(std::make_unique<CLI::App>(description, name)), app_(own_.get()) {}

App::App(CLI::App* app) : app_(app) {}

App::~App() = default;

Option* App::keep(CLI::Option* option) {
  options_.push_back(std::make_unique<Option>(option));
  return options_.back().get();
}

Option* App::add_option(const std::string& name, std::string& value, const std::string& help) {
  return keep(app_->add_option(name, value, help));
}
Option* App::add_option(const std::string& name, int& value, const std::string& help) {
  return keep(app_->add_option(name, value, help));
}
Option* App::add_option(const std::string& name, unsigned long& value, const std::string& help) {
  return keep(app_->add_option(name, value, help));
}
Option* App::add_option(const std::string& name, long long& value, const std::string& help) {
  return keep(app_->add_option(name, value, help));
}
Option* App::add_option(const std::string& name, double& value, const std::string& help) {
  return keep(app_->add_option(name, value, help));
}
Option* App::add_option(const std::string& name, std::vector<std::string>& value,
                        const std::string& help) {
  return keep(app_->add_option(name, value, help));
}
Option* App::add_option(const std::string& name, std::vector<int>& value,
                        const std::string& help) {
  return keep(app_->add_option(name, value, help));
}

Option* App::add_flag(const std::string& name, bool& value, const std::string& help) {
  return keep(app_->add_flag(name, value, help));
}

Option* App::add_flag(const std::string& name, std::function<void(std::int64_t)> function,
                      const std::string& help) {
  return keep(app_->add_flag_function(name, std::move(function), help));
}

App* App::add_subcommand(const std::string& name, const std::string& description) {
  subcommands_.push_back(std::unique_ptr<App>(new App(app_->add_subcommand(name, description))));
  return subcommands_.back().get();
}

App* App::fallthrough() {
  app_->fallthrough();
  return this;
}

App* App::allow_extras() {
  app_->allow_extras();
  return this;
}

App* App::footer(const std::string& text) {
  app_->footer(text);
  return this;
}

App* App::require_subcommand(int min, int max) {
  app_->require_subcommand(min, max);
  return this;
}

void App::parse(int argc, char** argv) {
  try {
    app_->parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    throw ParseError(error.what(), error.get_exit_code(), std::current_exception());
  }
}

int App::exit(const ParseError& error) {
  try {
    std::rethrow_exception(error.original());
  } catch (const CLI::ParseError& original) {
    return app_->exit(original);
  }
}

bool App::parsed() const { return app_->parsed(); }

std::size_t App::count(const std::string& name) const { return app_->count(name); }

std::vector<std::string> App::remaining() const { return app_->remaining(); }

}  // namespace cmdline
