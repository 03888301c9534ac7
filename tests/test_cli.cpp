// The motcua command as a user runs it: exit codes and messages.
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "tests/support/xvfb.h"

namespace {

struct Result {
  int status;
  std::string output;
};

Result run_motcua(const std::string& args) {
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

std::string write_temp(const std::string& name, const std::string& content) {
  auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path) << content;
  return path.string();
}

}  // namespace

TEST_CASE("--help documents the kiosk options") {
  Result r = run_motcua("--help");
  CHECK(r.status == 0);
  for (const char* opt : {"--config", "--windowed", "--backend", "--script", "--shots", "--data-root"})
    CHECK_MESSAGE(r.output.find(opt) != std::string::npos, opt);
}

TEST_CASE("unusable input exits 2 with a message naming the file and key") {
  Result r = run_motcua("--config " + write_temp("motcua-bad.json", R"({"idleSeconds": 5})"));
  CHECK(r.status == 2);
  CHECK(r.output.find("motcua-bad.json") != std::string::npos);
  CHECK(r.output.find("\"idleSeconds\"") != std::string::npos);

  r = run_motcua("--script " + write_temp("motcua-bad-scenario.json", R"({"steps": [{"shot": "a"}, {"jump": 1}]})"));
  CHECK(r.status == 2);
  CHECK(r.output.find("/steps/1") != std::string::npos);
  CHECK(r.output.find("jump") != std::string::npos);

  CHECK(run_motcua("--windowed huge").status == 2);
  CHECK(run_motcua("--backend wayland").status == 2);
  CHECK(run_motcua("frobnicate").status == 2);
  CHECK(run_motcua("--data-root /nonexistent").status == 2);
}

TEST_CASE("a scenario run writes screenshots and exits 1 when a check fails") {
  motcua::test::ensure_xvfb();
  auto dir = std::filesystem::temp_directory_path() / "motcua-cli-shots";
  std::filesystem::remove_all(dir);
  std::string ok = write_temp("motcua-ok.json", R"({"steps": [{"tap": "attract.start"}, {"shot": "lang"},
      {"expect": {"step": "language"}}]})");
  Result r = run_motcua("--windowed 1080x1920 --script " + ok + " --shots " + dir.string() + " --report");
  CHECK_MESSAGE(r.status == 0, r.output);
  CHECK(std::filesystem::file_size(dir / "lang.png") > 10000);
  CHECK(r.output.find("firstFrameMs") != std::string::npos);

  std::string failing = write_temp("motcua-fail.json", R"({"steps": [{"expect": {"step": "review"}}]})");
  r = run_motcua("--windowed 1080x1920 --script " + failing + " --shots " + dir.string());
  CHECK(r.status == 1);
  CHECK(r.output.find("/steps/0") != std::string::npos);
  std::filesystem::remove_all(dir);
}
