// The motcua program as a user runs it, for tests: exit status and everything it printed.
#pragma once
#include <string>

#include "tests/support/files.h"

namespace motcua::test {

struct MotcuaResult {
  int status;          // the exit status; -1 when killed by a signal
  std::string output;  // stdout and stderr together
};

inline MotcuaResult run_motcua(const std::string& args) {
  auto [status, output] = run_capture(std::string(MOTCUA_BINARY) + " " + args);
  return {status, output};
}

}  // namespace motcua::test
