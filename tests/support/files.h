// Files for tests: a fresh folder per test (parallel ctest safe) and whole-file reads.
#pragma once
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>

namespace motcua::test {

struct TempDir {
  std::string path;
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "motcua-test-XXXXXX").string();
    path = mkdtemp(pattern.data()) ? pattern : "";
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string operator/(const std::string& name) const { return path + "/" + name; }
  // Writes a file in the folder; returns its path.
  std::string write(const std::string& name, const std::string& content) const {
    std::ofstream(*this / name, std::ios::binary) << content;
    return *this / name;
  }
};

// The bundled forms (ROOT/assets/forms) with one test fixture (ROOT/tests/fixtures/NAME) beside
// them, as a kiosk's forms folder. Give each test process its own `dir`: ctest runs cases in
// parallel processes, and one copying over a form another was reading lost it the form.
inline std::string copy_forms_with(const TempDir& dir, const std::string& root, const std::string& fixture) {
  for (auto& e : std::filesystem::directory_iterator(root + "/assets/forms"))
    std::filesystem::copy_file(e.path(), dir / e.path().filename().string());
  std::filesystem::copy_file(root + "/tests/fixtures/" + fixture, dir / fixture);
  return dir.path;
}

inline std::string slurp(const std::string& path) {
  std::stringstream ss;
  ss << std::ifstream(path, std::ios::binary).rdbuf();
  return ss.str();
}

inline std::string first_line(const std::string& path) {
  std::string line;
  std::getline(std::ifstream(path), line);
  return line;
}

// Runs a shell command; its exit status (-1 when killed) and everything it printed, both streams.
inline std::pair<int, std::string> run_capture(const std::string& command) {
  std::string out;
  FILE* p = popen((command + " 2>&1").c_str(), "r");
  if (!p) return {-1, "could not start: " + command};
  char buf[4096];
  while (std::fgets(buf, sizeof buf, p)) out += buf;
  int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

}  // namespace motcua::test
