// CPU time to draw one frame of the kiosk (ImGui layout + OpenGL submission under Xvfb with
// Mesa), for the heaviest screens a citizen meets: the largest form step of the bundled forms,
// and a form step with the kiosk keyboard open. Baseline in the same run: the attract screen,
// the simplest one. Medians over many frames; nothing asserted.
// usage: motcua_frame_bench [FRAMES]
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include <nlohmann/json.hpp>

#include "terminal/ui/kiosk.h"
#include "terminal/ui/script.h"
#include "tests/support/xvfb.h"

using namespace motcua;
using nlohmann::json;

namespace {

double cpu_ms() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1000 + static_cast<double>(t.tv_nsec) / 1e6;
}

double median_frame(Kiosk& k, int frames) {
  std::vector<double> ms;
  for (int i = 0; i < frames; ++i) {
    double t0 = cpu_ms();
    k.frame();
    ms.push_back(cpu_ms() - t0);
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  int frames = argc > 1 ? std::atoi(argv[1]) : 300;
  test::ensure_xvfb();
  const std::string root = MOTCUA_SOURCE_ROOT;
  KioskConfig config;
  config.printer = "file:/dev/null";
  config.speech_output = "none";
  config.data_dir = "/tmp/motcua-frame-bench";
  Catalog catalog = Catalog::load(root + "/assets/forms");
  // The largest step: the most controls on one screen among the bundled forms.
  std::string form_id;
  size_t step = 0, most = 0;
  for (auto* f : catalog.find("", ""))
    for (size_t i = 0; i < f->steps.size(); ++i)
      if (f->steps[i].controls.size() > most) most = f->steps[i].controls.size(), form_id = f->id, step = i;
  KioskOptions o;
  o.window.fullscreen = false;
  o.window.width = 1080;
  o.window.height = 1920;
  o.data_root = root;
  o.check_steps = false;
  Kiosk k(config, Strings::load(root + "/locales", config.locales), std::move(catalog), o);
  std::string error;
  if (!k.open(error)) {
    std::fprintf(stderr, "frame bench: %s\n", error.c_str());
    return 1;
  }
  double attract = median_frame(k, frames);
  json steps = json::array({{{"tap", "attract.start"}}, {{"tap", "language.vi"}}, {{"tap", "catalog.form." + form_id}}, {{"tap", "procedure.start"}},
                            {{"tap", "identify.manual"}}});
  for (size_t i = 0; i < step; ++i) steps.push_back({{"tap", "nav.next"}});
  std::ostringstream out, err;
  if (run_script(k, parse_script(json{{"steps", steps}}, "bench"), "/tmp", out, err) != 0) {
    std::fprintf(stderr, "frame bench: %s\n", err.str().c_str());
    return 1;
  }
  double largest = median_frame(k, frames);
  const auto& first = k.session().form()->steps[step].controls.front()->scope;
  if (run_script(k, parse_script(json{{"steps", json::array({{{"tap", "field" + first}}, {{"expect", {{"widget", "key.a"}}}}})}}, "bench"),
                 "/tmp", out, err) != 0) {
    std::fprintf(stderr, "frame bench: %s\n", err.str().c_str());
    return 1;
  }
  double keyboard = median_frame(k, frames);
  // The address picker searching all 3,321 communes (before a province is chosen): "xa" matches
  // every xã, the most a search can match.
  k.session().apply({Intent::Kind::EndSession}, SteadyClock::now());
  json address = json::array({{{"tap", "attract.start"}}, {{"tap", "language.vi"}}, {{"tap", "catalog.form.thuong-tru"}}, {{"tap", "procedure.start"}},
                              {{"tap", "identify.manual"}}, {{"tap", "nav.next"}},
                              {{"tap", "search/residence/newAddress/commune"}}, {{"type", "xa"}},
                              {{"expect", {{"widget", "option/residence/newAddress/commune.640"}}}}});
  if (run_script(k, parse_script(json{{"steps", address}}, "bench"), "/tmp", out, err) != 0) {
    std::fprintf(stderr, "frame bench: %s\n", err.str().c_str());
    return 1;
  }
  double places = median_frame(k, frames);
  std::printf("frame CPU time, median of %d frames (1080x1920, Xvfb + Mesa llvmpipe):\n", frames);
  std::printf("  attract screen (baseline)             %.2f ms\n", attract);
  std::printf("  largest form step (%s, step %zu, %zu fields)  %.2f ms (%.1fx)\n", form_id.c_str(), step + 1, most, largest,
              largest / attract);
  std::printf("  same step with the kiosk keyboard open  %.2f ms (%.1fx)\n", keyboard, keyboard / attract);
  std::printf("  address picker searching all 3,321 communes, keyboard open  %.2f ms (%.1fx)\n", places, places / attract);
  return 0;
}
