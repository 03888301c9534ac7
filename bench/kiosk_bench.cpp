// Kiosk benchmarks: startup to the first interactive frame, idle CPU on the attract screen and
// on a form step, and memory (PSS), each printed beside a named baseline measured in this run.
// Nothing is asserted; machines here are noisy, so startup figures are medians of several runs.
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

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
  const std::string kiosk = motcua + " --windowed 1080x1920 --report --script ";

  // Startup: process start to the first frame on screen (glFinish), and PSS at that point.
  std::string first_only = write("motcua-bench-first.json", {{"steps", json::array()}});
  std::vector<double> kiosk_ms, kiosk_pss, bare_ms, bare_pss;
  for (int i = 0; i < runs; ++i) {
    json k = find(run_lines(kiosk + first_only), "report");
    json b = find(run_lines(bare), "report");
    if (k.is_object()) { kiosk_ms.push_back(k["firstFrameMs"]); kiosk_pss.push_back(k["pssKiB"]); }
    if (b.is_object()) { bare_ms.push_back(b["firstFrameMs"]); bare_pss.push_back(b["pssKiB"]); }
  }
  std::printf("startup to first frame (median of %d, 1080x1920 under Xvfb + Mesa llvmpipe)\n", runs);
  std::printf("  motcua kiosk           %8.1f ms   PSS %6.1f MiB\n", median(kiosk_ms), median(kiosk_pss) / 1024);
  std::printf("  baseline: bare ImGui   %8.1f ms   PSS %6.1f MiB   (GLFW + GL3 + default font, one frame)\n",
              median(bare_ms), median(bare_pss) / 1024);
  std::printf("  ratio kiosk/bare       %8.2fx          %6.2fx\n", median(kiosk_ms) / median(bare_ms),
              median(kiosk_pss) / median(bare_pss));
  std::printf("  reference (issue #2, not measured here): Chromium web kiosk, 60-field form: 960 ms, 420 MB\n\n");

  // Idle CPU: the kiosk left alone, event-driven, against a fixed 1 s redraw tick.
  json idle = {{"idle", idle_seconds}};
  std::string attract = write("motcua-bench-attract.json", {{"steps", {idle}}});
  std::string form = write("motcua-bench-form.json",
                           {{"steps", {{{"tap", "attract.start"}}, {{"tap", "language.vi"}},
                                       {{"tap", "catalog.form.khai-sinh"}}, {{"tap", "identify.manual"}},
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
  std::printf("  target (issue #2): below 0.5 %% on a form step with no input\n");
  return 0;
}
