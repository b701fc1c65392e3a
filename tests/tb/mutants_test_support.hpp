// Helpers of the fault tests (mutants, watchdog, random reset): a cosim program as a child process, and the end of a VCD.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace fault_test {

namespace fs = std::filesystem;

inline fs::path scratch(const std::string& name) {
  fs::create_directories(TB_TEST_SCRATCH_DIR);
  return fs::path(TB_TEST_SCRATCH_DIR) / name;
}

struct ProcessResult {
  int exit_code = -1;  // -1: killed by a signal (an abort is a failure of the test)
  std::string output;  // stdout and stderr together
};

// Runs `program args...` through the shell (arguments are single-quoted).
inline ProcessResult run_program(const std::string& program, const std::vector<std::string>& args) {
  std::string command = "'" + program + "'";
  for (const std::string& arg : args) command += " '" + arg + "'";
  command += " 2>&1";
  ProcessResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[4096];
  std::size_t read = 0;
  while ((read = fread(buffer, 1, sizeof buffer, pipe)) > 0) result.output.append(buffer, read);
  const int status = pclose(pipe);
  if (status != -1 && WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  return result;
}

// The last line of a program's output.
inline std::string last_line(const std::string& output) {
  std::string text = output;
  while (!text.empty() && text.back() == '\n') text.pop_back();
  const std::size_t newline = text.rfind('\n');
  return newline == std::string::npos ? text : text.substr(newline + 1);
}

struct VcdEnd {
  bool header_complete = false;  // $scope ... $enddefinitions present
  long long last_time = -1;      // the last #time stamp
  bool ends_with_newline = false;
};

inline VcdEnd read_vcd_end(const fs::path& path) {
  VcdEnd end;
  std::ifstream file(path, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  end.ends_with_newline = !text.empty() && text.back() == '\n';
  const std::size_t scope = text.find("$scope");
  const std::size_t definitions = text.find("$enddefinitions");
  end.header_complete = scope != std::string::npos && definitions != std::string::npos &&
                        scope < definitions;
  const std::size_t hash = text.rfind("\n#");
  if (hash != std::string::npos) {
    const std::size_t eol = text.find('\n', hash + 1);
    end.last_time = std::stoll(text.substr(hash + 2, eol == std::string::npos ? eol : eol - hash - 2));
  }
  return end;
}

}  // namespace fault_test
