// Kiosk benchmarks: startup to the first interactive frame, idle CPU on the attract screen and
// on a form step, and memory (PSS), each printed beside a named baseline measured in this run.
// Nothing is asserted; machines here are noisy, so startup figures are medians of several runs.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/form60.h"
#include "tests/support/xvfb.h"

using nlohmann::json;

namespace {

std::vector<json> run_lines(const std::string& cmd) {
  FILE* p = popen((cmd + " 2>/dev/null").c_str(), "r");
  std::vector<json> out;
  if (!p) return out;
  char buf[8192];
  while (fgets(buf, sizeof buf, p)) {
    try {
      out.push_back(json::parse(buf));
    } catch (...) {
    }
  }
  pclose(p);
  return out;
}

json find(const std::vector<json>& lines, const char* key, size_t nth = 0) {
  for (auto& l : lines)
    if (l.contains(key) && nth-- == 0) return l[key];
  return json();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

std::string write(const std::string& name, const json& doc) {
  auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path) << doc.dump();
  return path.string();
}

}  // namespace

int main(int argc, char** argv) {
  const std::string motcua = MOTCUA_BINARY, bare = BARE_BINARY;
  const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
  const double idle_seconds = argc > 2 ? std::atof(argv[2]) : 10.0;
  motcua::test::ensure_xvfb();

  // Startup: process start to the first frame on screen (glFinish), and PSS at that point, for
  // each backend against a bare window of the same library: GLFW (the default) and SDL2 (how
  // motcua-kiosk.service runs it under cage), each pair interleaved run by run.
  std::string first_only = write("motcua-bench-first.json", {{"steps", json::array()}});
  struct Pair {
    const char* backend;
    std::string bare;
    const char* bare_says;
  };
  const Pair pairs[] = {{"glfw", bare, "GLFW + GL3 + default font, one frame"},
                        {"sdl2", BARE_SDL2_BINARY, "SDL2 + GL3 + default font, one frame"}};
  for (const Pair& pair : pairs) {
    std::vector<double> kiosk_ms, kiosk_pss, bare_ms, bare_pss;
    for (int i = 0; i < runs; ++i) {
      json k = find(run_lines(motcua + " --backend " + pair.backend + " --windowed 1080x1920 --report --script " + first_only), "report");
      json b = find(run_lines(pair.bare), "report");
      if (k.is_object()) { kiosk_ms.push_back(k["firstFrameMs"]); kiosk_pss.push_back(k["pssKiB"]); }
      if (b.is_object()) { bare_ms.push_back(b["firstFrameMs"]); bare_pss.push_back(b["pssKiB"]); }
    }
    std::printf("startup to first frame on %s (median of %d, 1080x1920 under Xvfb + Mesa llvmpipe)\n", pair.backend, runs);
    std::printf("  motcua kiosk           %8.1f ms   PSS %6.1f MiB\n", median(kiosk_ms), median(kiosk_pss) / 1024);
    std::printf("  baseline: bare ImGui   %8.1f ms   PSS %6.1f MiB   (%s)\n", median(bare_ms), median(bare_pss) / 1024,
                pair.bare_says);
    std::printf("  ratio kiosk/bare       %8.2fx          %6.2fx\n", median(kiosk_ms) / median(bare_ms),
                median(kiosk_pss) / median(bare_pss));
    const double own_mib = (median(kiosk_pss) - median(bare_pss)) / 1024;
    std::printf("  the kiosk's own memory (PSS over the bare window): %.1f MiB   goal (issue #22) <= 10 MB: %s\n", own_mib,
                own_mib * 1.048576 <= 10 ? "met" : "NOT met");
  }
  std::printf("  reference (issue #2, not measured here): Chromium web kiosk, 60-field form: 960 ms, 420 MB\n\n");

  // Start → the 60-field form drawn, opened directly (motcua --form), like a URL opens the web
  // kiosk's form: both programs time themselves from the kernel's start of the process to the
  // first frame finished (glFinish), interleaved run by run.
  {
    namespace fs = std::filesystem;
    fs::path dir = fs::temp_directory_path() / "motcua-bench-form60";
    fs::remove_all(dir);
    fs::create_directories(dir / "forms");
    fs::copy_file(std::string(MOTCUA_SOURCE_ROOT) + "/assets/forms/categories.json", dir / "forms" / "categories.json");
    std::ofstream(dir / "forms" / "form-60.json") << motcua::bench::form60_package().dump(2);
    std::string config = write("motcua-bench-form60-config.json",
                               {{"formsDir", (dir / "forms").string()}, {"dataDir", (dir / "state").string()},
                                {"printer", "file:" + (dir / "receipts").string()}, {"speechOutput", "none"}});
    std::string expect_form = write("motcua-bench-form60.json", {{"steps", {{{"expect", {{"step", "form"}, {"widget", "field/witness/occupation"}}}}}}});
    const int form_runs = std::max(runs, 9);
    std::vector<double> form_ms, base_ms;
    int failed = 0;
    for (int i = 0; i < form_runs; ++i) {
      json k = find(run_lines(motcua + " --windowed 1080x1920 --report --config " + config + " --form form-60 --script " + expect_form), "report");
      json b = find(run_lines(bare), "report");
      if (k.is_object() && k["firstFrameMs"].get<double>() > 0) form_ms.push_back(k["firstFrameMs"]);
      else ++failed;
      if (b.is_object()) base_ms.push_back(b["firstFrameMs"]);
    }
    double ratio = median(form_ms) / median(base_ms);
    std::printf("start -> the 60-field form drawn, opened with --form (median of %d; from the kernel's process start, 10 ms ticks)\n", form_runs);
    std::printf("  motcua --form form-60  %8.1f ms   (60 fields on its first step%s)\n", median(form_ms),
                failed ? ", some runs failed" : "");
    std::printf("  baseline: bare ImGui   %8.1f ms   (GLFW + GL3 + ImGui, one frame, timed the same way)\n", median(base_ms));
    std::printf("  ratio form/bare        %8.2fx     goal <= 1.5x: %s\n", ratio, ratio <= 1.5 ? "met" : "NOT met");
    std::printf("  reference (issue #22, not measured here): Chromium web kiosk, same schema: 1,053 ms (goal <= 0.2x: %.0f ms)\n\n",
                0.2 * 1053);
    fs::remove_all(dir);
  }

  // Idle CPU: the kiosk left alone, event-driven, against a fixed 1 s redraw tick.
  json idle = {{"idle", idle_seconds}};
  std::string attract = write("motcua-bench-attract.json", {{"steps", {idle}}});
  std::string form = write("motcua-bench-form.json",
                           {{"steps", {{{"tap", "attract.start"}}, {{"tap", "language.vi"}},
                                       {{"tap", "catalog.form.khai-sinh"}}, {{"tap", "procedure.start"}}, {{"tap", "identify.manual"}},
                                       {{"tap", "field/declarant/fullName"}}, {{"type", "Nguyễn Văn An"}}, idle}}});
  std::printf("idle CPU over %.0f s (kiosk process; Xvfb's own work not counted)\n", idle_seconds);
  std::printf("  %-12s %-26s %8s %8s %8s %10s\n", "screen", "mode", "cpu %", "frames", "wakeups", "PSS MiB");
  double pss_max = 0;
  for (auto& [screen, script] : {std::pair{"attract", attract}, std::pair{"form step", form}}) {
    for (auto& [mode, extra] : {std::pair{"event-driven (motcua)", ""}, std::pair{"baseline: fixed 1 s tick", " --redraw-every 1"}}) {
      json r = find(run_lines(motcua + " --windowed 1080x1920 --script " + script + extra), "idle");
      if (!r.is_object()) { std::printf("  %-12s %-26s   (run failed)\n", screen, mode); continue; }
      pss_max = std::max(pss_max, r["pssKiB"].get<double>());
      std::printf("  %-12s %-26s %8.3f %8ld %8ld %10.1f\n", screen, mode, r["cpuPercent"].get<double>(),
                  r["frames"].get<long>(), r["wakeups"].get<long>(), r["pssKiB"].get<double>() / 1024);
    }
  }
  std::printf("  target (issue #2): below 0.5 %% on a form step with no input\n\n");

  // The same form step with four busy processes beside the kiosk (load 5-6 on two cores): what
  // wakes it then (issue #22 saw 9 frames in 12 s) shows in what earned each frame.
  {
    std::vector<pid_t> hogs;
    for (int i = 0; i < 4; ++i) {
      pid_t p = fork();
      if (p == 0) {
        volatile unsigned long x = 0;
        for (;;) x = x + 1;
      }
      if (p > 0) hogs.push_back(p);
    }
    std::printf("idle under load, form step with text typed, %.0f s, four busy processes beside\n", idle_seconds);
    std::printf("  %-26s %8s %8s %8s   %s\n", "mode", "cpu %", "frames", "wakeups", "frames by cause");
    for (auto& [mode, extra] : {std::pair{"event-driven (motcua)", ""}, std::pair{"baseline: fixed 1 s tick", " --redraw-every 1"}}) {
      json r = find(run_lines(motcua + " --windowed 1080x1920 --script " + form + extra), "idle");
      if (!r.is_object()) { std::printf("  %-26s   (run failed)\n", mode); continue; }
      std::printf("  %-26s %8.3f %8ld %8ld   %s\n", mode, r["cpuPercent"].get<double>(), r["frames"].get<long>(),
                  r["wakeups"].get<long>(), r["framesBy"].dump().c_str());
    }
    for (pid_t p : hogs) kill(p, SIGKILL);
    for (pid_t p : hogs) waitpid(p, nullptr, 0);
    std::printf("  target (issue #22): no frame without input or a deadline (none falls due here)\n");
  }
  return 0;
}
