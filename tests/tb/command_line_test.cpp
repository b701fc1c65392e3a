// tb/command_line.hpp: each check and setter reaches CLI11 (a value outside a check is a
// ParseError with CLI11's exit code and message), and parse state reads back as CLI11 keeps it.
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tb/command_line.hpp"

namespace {

// Parses args (program name first) and returns the ParseError's exit code, or -1 on success.
int parse(cmdline::App& app, std::vector<std::string> args, std::string* what = nullptr) {
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const cmdline::ParseError& error) {
    if (what != nullptr) *what = error.what();
    return error.exit_code();
  }
  return -1;
}

TEST(CommandLine, StringMembersAcceptOnlyTheirValues) {
  std::string mode = "ws";
  cmdline::App good("t");
  good.add_option("--mode", mode)->check(cmdline::IsMember({"ws", "os"}));
  EXPECT_EQ(parse(good, {"t", "--mode", "os"}), -1);
  EXPECT_EQ(mode, "os");
  cmdline::App bad("t");
  bad.add_option("--mode", mode)->check(cmdline::IsMember({"ws", "os"}));
  std::string what;
  EXPECT_GT(parse(bad, {"t", "--mode", "xs"}, &what), 0);
  EXPECT_NE(what.find("xs"), std::string::npos) << what;
}

TEST(CommandLine, IntegerMembersCompareNumbers) {
  int array = 8;
  cmdline::App app("t");
  app.add_option("--array", array)->check(cmdline::IsMember({8, 16}));
  EXPECT_EQ(parse(app, {"t", "--array", "16"}), -1);
  EXPECT_EQ(array, 16);
  cmdline::App bad("t");
  bad.add_option("--array", array)->check(cmdline::IsMember({8, 16}));
  EXPECT_GT(parse(bad, {"t", "--array", "9"}), 0);
}

TEST(CommandLine, RangeIsInclusiveAtBothEnds) {
  for (const auto& [text, good] : std::vector<std::pair<std::string, bool>>{
           {"0", false}, {"1", true}, {"64", true}, {"65", false}}) {
    int value = 0;
    cmdline::App app("t");
    app.add_option("--n", value)->check(cmdline::Range(1, 64));
    std::string what;
    EXPECT_EQ(parse(app, {"t", "--n", text}, &what) == -1, good) << text << ": " << what;
    if (good) {
      EXPECT_EQ(value, std::stoi(text));
    }
  }
}

TEST(CommandLine, PositiveAndNonNegativeDifferAtZero) {
  int positive = 1;
  int non_negative = 1;
  cmdline::App zero_positive("t");
  zero_positive.add_option("--p", positive)->check(cmdline::PositiveNumber());
  EXPECT_GT(parse(zero_positive, {"t", "--p", "0"}), 0);
  cmdline::App zero_non_negative("t");
  zero_non_negative.add_option("--n", non_negative)->check(cmdline::NonNegativeNumber());
  EXPECT_EQ(parse(zero_non_negative, {"t", "--n", "0"}), -1);
  EXPECT_EQ(non_negative, 0);
  cmdline::App negative("t");
  negative.add_option("--n", non_negative)->check(cmdline::NonNegativeNumber());
  EXPECT_GT(parse(negative, {"t", "--n", "-1"}), 0);
}

TEST(CommandLine, FunctionChecksReportTheirMessage) {
  std::string text;
  cmdline::App app("t");
  app.add_option("--x", text)->check(cmdline::Validator(
      [](std::string& value) { return value == "bad" ? std::string("no bad here") : ""; }, ""));
  std::string what;
  EXPECT_GT(parse(app, {"t", "--x", "bad"}, &what), 0);
  EXPECT_NE(what.find("no bad here"), std::string::npos) << what;
  cmdline::App ok("t");
  ok.add_option("--x", text)->check([](const std::string&) { return std::string(); });
  EXPECT_EQ(parse(ok, {"t", "--x", "fine"}), -1);
  EXPECT_EQ(text, "fine");
}

TEST(CommandLine, RequiredNeedsAndHelp) {
  std::string out;
  cmdline::App app("t");
  app.add_option("--out", out)->required();
  EXPECT_GT(parse(app, {"t"}), 0);

  bool list = false;
  int shard = 0;
  cmdline::App needs("t");
  cmdline::Option* flag = needs.add_flag("--list", list);
  needs.add_option("--shard", shard)->needs(flag);
  EXPECT_GT(parse(needs, {"t", "--shard", "2"}), 0);

  cmdline::App help("t");
  EXPECT_EQ(parse(help, {"t", "--help"}), 0);
}

TEST(CommandLine, DefaultsCountsSubcommandsAndExtras) {
  int level = 0;
  std::vector<int> sizes;
  std::int64_t flag_count = 0;
  cmdline::App app("t");
  app.allow_extras();
  app.add_option("--level", level)->default_val(2);
  app.add_option("--sizes", sizes)->delimiter(',');
  app.add_flag("--twice", [&flag_count](std::int64_t count) { flag_count = count; });
  std::string dir;
  cmdline::App* sub = app.add_subcommand("check", "a subcommand");
  sub->add_option("DIR", dir)->required();
  sub->fallthrough();
  EXPECT_EQ(parse(app, {"t", "+verilator+seed+3", "--sizes", "8,16", "--twice", "--twice",
                        "check", "d"}),
            -1);
  EXPECT_EQ(level, 2);
  EXPECT_EQ(sizes, (std::vector<int>{8, 16}));
  EXPECT_EQ(flag_count, 2);
  EXPECT_TRUE(sub->parsed());
  EXPECT_EQ(dir, "d");
  EXPECT_EQ(app.count("--level"), 0u);
  EXPECT_EQ(app.count("--sizes"), 2u);  // one result per value
  EXPECT_EQ(app.remaining(), (std::vector<std::string>{"+verilator+seed+3"}));
}

}  // namespace
