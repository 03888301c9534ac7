// A first-time citizen's visit per bundled procedure, played on the real kiosk in a real window:
// by hand, and with the chip card (the in-process virtual CCCD behind the kiosk's card port).
// Counts taps (buttons, choices, fields, pickers, the signature), keystrokes on the kiosk's own
// keyboard (a letter, then its marks; tests/support/key_plan.h), scrolls, screens passed, and
// the run's own seconds (machine time, not a citizen's).
// The visits are bench/visits/<form>.json, written by hand, by hand-path; the card visit is
// derived: identify.manual becomes the card steps, and each field the card fills loses its taps
// (its box, search, option, date buttons) and typing; a "prefillWhen" field only if its condition
// holds on the by-hand visit's review (a father registering fills the father's block). Baseline in the same run: the same visit by hand. Goal (issue #19): birth
// registration with the card <= 25 taps. Nothing asserted; a visit that fails is reported.
// usage: motcua_visit_bench [VISIT.json ...]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "forms/json_input.h"
#include "forms/model.h"
#include "terminal/core/answers.h"
#include "terminal/ui/kiosk.h"
#include "terminal/ui/script.h"
#include "tests/support/key_plan.h"
#include "tests/support/virtual_reader.h"
#include "tests/support/xvfb.h"

using namespace motcua;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

struct Visit {
  bool ok = false;
  std::string failure;
  int taps = 0, keys = 0, scrolls = 0, screens = 0;
  double seconds = 0;
  std::vector<std::string> untypeable;  // characters the kiosk keyboard has no key for
};

// The fields the card fills in this visit: every "prefill": "card.*" control, those with a
// "prefillWhen" only if it holds on the by-hand visit's answers (seen on its review screen).
std::set<std::string> card_fills(const Session& s) {
  std::set<std::string> out;
  const forms::FormPackage& form = *s.form();
  forms::FormModel model(form, "2026-11-29");
  load_answers(model, s.data());
  for (const auto& step : form.steps)
    for (const forms::Element* c : step.controls)
      if (c->prefill.rfind("card.", 0) == 0 && model.prefill_applies(*c)) out.insert(c->scope);
  model.wipe();
  return out;
}

std::string screen_of(Kiosk& k) {
  const Session& s = k.session();
  return std::string(step_name(s.step())) + (s.step() == Step::Form ? ":" + std::to_string(s.step_number()) : "");
}

// The field a tap works on: field/a/b, search/a/b, change/a/b, option/a/b.2, date/a/b.year.minus.
std::string pointer_of(const std::string& tap) {
  for (const char* prefix : {"field", "search", "change", "option", "date", "datetype"}) {
    size_t n = std::string(prefix).size();
    if (tap.compare(0, n, prefix) == 0 && tap.size() > n && tap[n] == '/') return tap.substr(n, tap.find('.', n) - n);
  }
  return "";
}

// The card visit: the card read instead of "type by hand", and no tap or typing for what it fills.
json card_visit(const json& steps, const std::set<std::string>& prefilled, const std::string& id_number) {
  json out = json::array();
  for (size_t i = 0; i < steps.size(); ++i) {
    const json& s = steps[i];
    std::string tap = s.contains("tap") ? s["tap"].get<std::string>() : "";
    if (tap == "identify.manual") {
      // With a reader the card screen comes first, its digit pad open on the ID number: its keys
      // are tapped, and the twelfth reads the card lying on the reader.
      for (char d : id_number) out.push_back({{"tap", std::string("key.") + d}});
      for (json x : {json{{"idle", 0.3}}, json{{"expect", {{"step", "form"}}}}}) out.push_back(x);
      continue;
    }
    if (prefilled.count(pointer_of(tap))) {
      if (i + 1 < steps.size() && steps[i + 1].contains("type")) ++i;
      if (i + 1 < steps.size() && steps[i + 1].value("tap", "") == "key.done") ++i;
      continue;
    }
    out.push_back(s);
  }
  return out;
}

Visit play(Kiosk& k, const json& steps, TonePlacement placement, std::set<std::string>* fills = nullptr) {
  Visit v;
  k.session().apply({Intent::Kind::EndSession}, k.now());
  k.settle();
  std::ostringstream out, err;
  std::string last = screen_of(k);
  auto t0 = std::chrono::steady_clock::now();
  for (size_t i = 0; i < steps.size(); ++i) {
    const std::string kind = steps[i].begin().key();
    if (kind == "tap" && steps[i]["tap"].get<std::string>().rfind("key.", 0) == 0) ++v.keys;  // a keyboard key
    else if (kind == "tap" || kind == "tap_at" || kind == "drag") ++v.taps;
    else if (kind == "scroll") ++v.scrolls;
    else if (kind == "type") {
      auto plan = test::plan_keys(steps[i]["type"].get<std::string>(), k.session().keyboard(), placement);
      v.keys += static_cast<int>(plan.keys.size());
      if (!plan.untypeable.empty()) v.untypeable.push_back(plan.untypeable);
      if (k.session().keyboard().money) {  // an amount takes only its pad's keys: tap them
        json taps = json::array();
        for (const auto& key : plan.keys) taps.push_back({{"tap", "key." + key}});
        if (run_script(k, parse_script(json{{"steps", taps}}, "visit"), "/tmp", out, err) != 0) {
          v.failure = "step " + std::to_string(i) + ": " + err.str();
          return v;
        }
        continue;
      }
    }
    int rc = run_script(k, parse_script(json{{"steps", {steps[i]}}}, "visit"), "/tmp", out, err);
    // A field below the screen's edge or under the open keyboard (the card visit skips the taps
    // that scrolled the page by hand): the citizen drags the page up, counted as scrolls, then taps.
    auto hidden = [&] {
      return err.str().find("off the screen") != std::string::npos || err.str().find("under the open keyboard") != std::string::npos ||
             err.str().find("a finger would press that") != std::string::npos;
    };
    for (int tries = 0; rc != 0 && tries < 4 && kind == "tap" && hidden(); ++tries) {
      err.str("");
      ++v.scrolls;
      if (run_script(k, parse_script(json{{"steps", {{{"scroll", -3}}}}}, "visit"), "/tmp", out, err) != 0) break;
      rc = run_script(k, parse_script(json{{"steps", {steps[i]}}}, "visit"), "/tmp", out, err);
    }
    if (rc != 0) {
      v.failure = "step " + std::to_string(i) + ": " + err.str();
      return v;
    }
    std::string now = screen_of(k);
    if (fills && fills->empty() && k.session().step() == Step::Review) *fills = card_fills(k.session());
    if (now != last) ++v.screens;
    last = now;
  }
  v.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  v.ok = true;
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string root = MOTCUA_SOURCE_ROOT;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) files.push_back(argv[i]);
  if (files.empty()) {
    for (auto& e : fs::directory_iterator(root + "/bench/visits"))
      if (e.path().extension() == ".json") files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
  }
  test::ensure_xvfb();
  const std::string dir = "/tmp/motcua-visit-bench";
  fs::remove_all(dir);
  KioskConfig config;
  config.printer = "file:" + dir + "/receipts";
  config.speech_output = "none";
  config.data_dir = dir + "/kiosk";
  config.card_reader = "none";
  config.scanner = "none";
  auto pki = test::vc::TestPki::generate();
  test::VirtualReader reader(pki);
  KioskOptions o;
  o.window.fullscreen = false;
  o.window.width = 1080;
  o.window.height = 1920;
  o.data_root = root;
  o.card_port = reader.port();
  Catalog catalog = Catalog::load(root + "/assets/forms");
  Kiosk k(config, Strings::load(root + "/locales", config.locales), Catalog::load(root + "/assets/forms"), o);
  std::string error;
  if (!k.open(error)) {
    std::fprintf(stderr, "visit bench: %s\n", error.c_str());
    return 1;
  }
  std::printf("a first-time visit per procedure, attract to receipt (1080x1920, Xvfb + llvmpipe; bench/visits/)\n");
  std::printf("  %-20s %-5s %5s %5s %7s %7s %8s\n", "procedure", "path", "taps", "keys", "scrolls", "screens", "seconds");
  int failed = 0;
  for (const auto& file : files) {
    json doc = forms::read_json(file);
    std::string form_id;
    for (const auto& s : doc["steps"])
      if (s.value("tap", "").rfind("catalog.form.", 0) == 0) form_id = s["tap"].get<std::string>().substr(13);
    const forms::FormPackage* form = catalog.form(form_id);
    if (!form) {
      std::fprintf(stderr, "visit bench: %s: no catalog.form.<id> tap naming a bundled form\n", file.c_str());
      ++failed;
      continue;
    }
    std::set<std::string> prefilled;
    Visit hand = play(k, doc["steps"], config.tone_placement, &prefilled);
    Visit card = play(k, card_visit(doc["steps"], prefilled, reader.citizen.id_number), config.tone_placement);
    for (auto [path, v] : {std::pair<const char*, Visit*>{"hand", &hand}, {"card", &card}}) {
      if (!v->ok) {
        std::printf("  %-20s %-5s FAILED %s\n", form_id.c_str(), path, v->failure.c_str());
        ++failed;
        continue;
      }
      std::printf("  %-20s %-5s %5d %5d %7d %7d %8.1f\n", form_id.c_str(), path, v->taps, v->keys, v->scrolls, v->screens,
                  v->seconds);
      for (const auto& c : v->untypeable) std::printf("    no key on the kiosk keyboard for \"%s\"\n", c.c_str());
    }
    if (hand.ok && card.ok)
      std::printf("  %-20s card/hand: taps %.2fx, keys %.2fx\n", "", double(card.taps) / std::max(1, hand.taps),
                  double(card.keys) / std::max(1, hand.keys));
    if (form_id == "khai-sinh" && card.ok)
      std::printf("  goal (issue #19): birth registration with the card <= 25 taps: %s (%d)\n",
                  card.taps <= 25 ? "met" : "NOT met", card.taps);
  }
  std::printf("  (taps: buttons, choices, fields, pickers, the signature; keys: the kiosk keyboard's keys for the\n"
              "   typed text, a letter then its marks, shift and 123 included; the card's 12 ID digits are keys)\n");
  return failed ? 1 : 0;
}
