// A fresh folder under /tmp for one test, removed when the test ends (parallel ctest safe).
#pragma once
#include <cstdlib>
#include <filesystem>
#include <string>

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
};

}  // namespace motcua::test
