// The motcua program as a user runs it, for tests: exit status and everything it printed.
#pragma once
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace motcua::test {

struct MotcuaResult {
  int status;  // the exit status; -1 when killed by a signal
  std::string output;  // stdout and stderr together
};

inline MotcuaResult run_motcua(const std::string& args) {
  std::string cmd = std::string(MOTCUA_BINARY) + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int st = pclose(p);
  return {WIFEXITED(st) ? WEXITSTATUS(st) : -1, out};
}

// A fresh folder of its own under the temp directory, removed when the holder goes.
struct TempDir {
  std::filesystem::path path;
  explicit TempDir(const std::string& stem) {
    std::string pattern = (std::filesystem::temp_directory_path() / (stem + "-XXXXXX")).string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string write(const std::string& name, const std::string& content) const {
    std::ofstream(path / name) << content;
    return (path / name).string();
  }
  std::string str() const { return path.string(); }
};

}  // namespace motcua::test
