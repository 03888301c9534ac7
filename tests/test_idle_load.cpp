// Idle stays idle on a busy machine: the real kiosk under Xvfb beside four CPU hogs draws no
// frame without input or a deadline, and a deadline earns its frame and no settle train.
// Counts, not times: a slow machine may draw fewer deadline frames, never more.
#include <doctest/doctest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/run_motcua.h"
#include "tests/support/xvfb.h"

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// Busy processes for the life of the object, killed with SIGKILL.
struct CpuHogs {
  std::vector<pid_t> pids;
  explicit CpuHogs(int n) {
    for (int i = 0; i < n; ++i) {
      pid_t p = fork();
      if (p == 0) {
        volatile unsigned long x = 0;
        for (;;) x = x + 1;
      }
      if (p > 0) pids.push_back(p);
    }
  }
  ~CpuHogs() {
    for (pid_t p : pids) kill(p, SIGKILL);
    for (pid_t p : pids) waitpid(p, nullptr, 0);
  }
};

std::string write_temp(const fs::path& path, const std::string& content) {
  std::ofstream(path) << content;
  return path.string();
}

// The "idle" line a scenario's idle step printed.
json idle_report(const std::string& output) {
  std::istringstream in(output);
  for (std::string line; std::getline(in, line);)
    if (line.rfind("{\"idle\"", 0) == 0) return json::parse(line)["idle"];
  return json();
}

}  // namespace

TEST_CASE("under load (four busy processes) the kiosk left alone draws nothing, and a countdown one frame a second") {
  motcua::test::ensure_xvfb();
  fs::path dir = fs::temp_directory_path() / "motcua-idle-load";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string config = write_temp(dir / "config.json",
                                  json{{"dataDir", (dir / "state").string()}, {"printer", "file:" + (dir / "receipts").string()},
                                       {"speechOutput", "none"}, {"idleSeconds", 15}}
                                      .dump());
  // A form step with text typed, then nobody: no deadline falls in the next 8 s (idle is 15 s).
  std::string typed = write_temp(dir / "typed.json", R"({"steps": [{"tap": "field/declarant/fullName"},
      {"type": "Nguyễn Văn An"}, {"idle": 8}]})");
  // Two seconds before "more time?": then the countdown changes once a second.
  std::string countdown = write_temp(dir / "countdown.json", R"({"steps": [{"tap": "field/declarant/fullName"},
      {"type": "An"}, {"advance": 13}, {"idle": 6}, {"expect": {"moreTime": true}}]})");

  CpuHogs hogs(4);
  for (const char* backend : {"glfw", "sdl2"}) {
    CAPTURE(backend);
    auto r = motcua::test::run_motcua("--windowed 1080x1920 --backend " + std::string(backend) + " --config " + config +
                                      " --form khai-sinh --script " + typed);
    REQUIRE_MESSAGE(r.status == 0, r.output);
    json idle = idle_report(r.output);
    REQUIRE_MESSAGE(idle.is_object(), r.output);
    CHECK(idle["step"] == "form");
    CHECK_MESSAGE(idle["frames"] == 0, idle.dump());  // not the window's old expose, not a window event
  }

  auto r = motcua::test::run_motcua("--windowed 1080x1920 --config " + config + " --form khai-sinh --script " + countdown);
  REQUIRE_MESSAGE(r.status == 0, r.output);
  json idle = idle_report(r.output);
  REQUIRE_MESSAGE(idle.is_object(), r.output);
  json by = idle["framesBy"];
  CHECK_MESSAGE(by["input"] == 0, idle.dump());
  CHECK_MESSAGE(by["redraw"] == 0, idle.dump());
  // The idle deadline, then one per second of the countdown: at most 1 + 6 in 6 s.
  CHECK_MESSAGE(by["deadline"].get<long>() >= 1, idle.dump());
  CHECK_MESSAGE(by["deadline"].get<long>() <= 7, idle.dump());
  // Each deadline frame that changed the screen gets one frame to settle, not a train of three.
  CHECK_MESSAGE(by["settle"].get<long>() <= by["deadline"].get<long>(), idle.dump());
  fs::remove_all(dir);
}
