#include "terminal/ui/script.h"

#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <set>
#include <fstream>
#include <istream>
#include <ostream>

#include "forms/json_input.h"
#include "terminal/ui/kiosk.h"

namespace motcua {

using nlohmann::json;

namespace {

const std::map<std::string, int>& key_names() {
  static const std::map<std::string, int> keys = {{"backspace", ImGuiKey_Backspace}, {"enter", ImGuiKey_Enter},
                                                  {"tab", ImGuiKey_Tab},             {"escape", ImGuiKey_Escape},
                                                  {"left", ImGuiKey_LeftArrow},     {"right", ImGuiKey_RightArrow}};
  return keys;
}

void check_value(const std::string& kind, const json& v, const std::string& where) {
  auto bad = [&](const std::string& want) { throw ScriptError(where + " (" + kind + "): expected " + want + ", got " + v.dump()); };
  if (kind == "tap" || kind == "shot") {
    if (!v.is_string() || v.get<std::string>().empty()) bad("a widget id or name");
    if (kind == "shot" && v.get<std::string>().find('/') != std::string::npos) bad("a name without '/'");
  } else if (kind == "tap_at") {
    if (!v.is_array() || v.size() != 2 || !v[0].is_number() || !v[1].is_number()) bad("[x, y] in pixels");
  } else if (kind == "drag") {
    // {"widget": id, "path": [[fx, fy], ...]}: fractions of the widget's rectangle, 0..1
    if (!v.is_object() || !v.contains("widget") || !v["widget"].is_string() || !v.contains("path") ||
        !v["path"].is_array() || v["path"].size() < 2)
      bad("{\"widget\": id, \"path\": [[x, y], [x, y], ...]} with x, y from 0 to 1 across the widget");
    for (auto& pt : v["path"])
      if (!pt.is_array() || pt.size() != 2 || !pt[0].is_number() || !pt[1].is_number() || pt[0].get<double>() < 0 ||
          pt[0].get<double>() > 1 || pt[1].get<double>() < 0 || pt[1].get<double>() > 1)
        bad("path points [x, y] with x, y from 0 to 1");
  } else if (kind == "scroll") {
    if (!v.is_number() || v.get<double>() < -50 || v.get<double>() > 50) bad("wheel notches from -50 to 50 (negative: down the page)");
  } else if (kind == "type") {
    if (!v.is_string()) bad("text");
  } else if (kind == "key") {
    if (!v.is_string() || !key_names().count(v.get<std::string>())) bad("one of backspace, enter, tab, escape, left, right");
  } else if (kind == "pause") {
    if (!v.is_string() || v.get<std::string>().empty()) bad("a name for the pause");
  } else if (kind == "advance" || kind == "idle") {
    if (!v.is_number() || v.get<double>() < 0 || v.get<double>() > 86400) bad("seconds from 0 to 86400");
  } else if (kind == "expect") {
    static const std::set<std::string> known = {"step", "language", "moreTime", "widget", "noWidget",
                                                "personalDataEmpty", "formStep", "textPercent", "label"};
    if (!v.is_object()) bad("an object such as {\"step\": \"catalog\"}");
    for (auto& [k, _] : v.items())
      if (!known.count(k)) throw ScriptError(where + " (expect): unknown check \"" + k + "\"");
  } else {
    throw ScriptError(where + ": unknown action \"" + kind +
                      "\" (actions: tap, tap_at, drag, scroll, type, key, advance, idle, pause, shot, expect)");
  }
}

std::string visible_ids(const Kiosk& k) {
  std::string ids;
  for (auto& [id, _] : k.widgets()) ids += (ids.empty() ? "" : ", ") + id;
  return ids.empty() ? "(none)" : ids;
}

// A finger reaches only what it sees: a widget off the panel, lying under the open keyboard (the
// touch would press a key) or scrolled under the top bar or Back and Next (the touch would press
// that), cannot be tapped; the scenario closes or scrolls first.
std::string unreachable(Kiosk& k, const std::string& id, const WidgetRect& w) {
  ImVec2 c = w.center();
  if (c.x < 0 || c.y < 0 || c.x > static_cast<float>(k.width()) || c.y > static_cast<float>(k.height()))
    return "is off the screen (scroll to it first)";
  auto kb = k.widgets().find("keyboard");
  if (id.rfind("key.", 0) != 0 && kb != k.widgets().end() && c.x >= kb->second.min.x && c.x <= kb->second.max.x &&
      c.y >= kb->second.min.y && c.y <= kb->second.max.y)
    return "is under the open keyboard (a finger would press a key: close it or scroll first)";
  // The bars and the keyboard are drawn over the page that scrolls beneath them.
  auto on_top = [](const std::string& w) {
    for (const char* layer : {"chrome.", "nav.", "key."})
      if (w.rfind(layer, 0) == 0) return true;
    return false;
  };
  if (!on_top(id))
    for (auto& [other, o] : k.widgets())
      if (on_top(other) && o.interactive && c.x >= o.min.x && c.x <= o.max.x && c.y >= o.min.y && c.y <= o.max.y)
        return "is under \"" + other + "\" (a finger would press that: scroll first)";
  return "";
}

void tap_point(Kiosk& k, ImVec2 p) {
  // Hover, press, release: three frames, as a finger gives ImGui.
  k.session().on_input(k.now());
  k.inject({p, false});
  k.frame();
  k.inject({p, true});
  k.frame();
  k.inject({p, false});
  k.frame();
  k.inject({});
  k.settle();
}

json shot_metadata(Kiosk& k) {
  json widgets = json::object();
  for (auto& [id, w] : k.widgets())
    widgets[id] = {{"x", w.min.x}, {"y", w.min.y}, {"w", w.max.x - w.min.x}, {"h", w.max.y - w.min.y},
                   {"label", w.label}, {"interactive", w.interactive}};
  Session& s = k.session();
  return {{"step", step_name(s.step())}, {"language", s.language()}, {"moreTime", s.asking_more_time()},
          {"textPercent", s.text_percent()}, {"width", k.width()}, {"height", k.height()},
          {"pixelsPerMm", k.pixels_per_mm()}, {"widgets", widgets}};
}

// Returns an empty string when every check holds, else what differed.
std::string check(Kiosk& k, const json& want) {
  Session& s = k.session();
  std::string diff;
  auto differ = [&](const std::string& what, const json& expected, const json& actual) {
    if (expected != actual) diff += what + " is " + actual.dump() + ", expected " + expected.dump() + "; ";
  };
  if (want.contains("step")) differ("step", want["step"], step_name(s.step()));
  if (want.contains("language")) differ("language", want["language"], s.language());
  if (want.contains("moreTime")) differ("moreTime", want["moreTime"], s.asking_more_time());
  if (want.contains("formStep")) differ("formStep", want["formStep"], s.form_step());
  if (want.contains("textPercent")) differ("textPercent", want["textPercent"], s.text_percent());
  if (want.contains("personalDataEmpty")) differ("personalDataEmpty", want["personalDataEmpty"], s.holds_nothing_personal());
  if (want.contains("widget") && !k.widgets().count(want["widget"].get<std::string>()))
    diff += "widget " + want["widget"].dump() + " is not on screen (visible: " + visible_ids(k) + "); ";
  if (want.contains("noWidget") && k.widgets().count(want["noWidget"].get<std::string>()))
    diff += "widget " + want["noWidget"].dump() + " is on screen; ";
  if (want.contains("label")) {
    for (auto& [id, text] : want["label"].items()) {
      auto it = k.widgets().find(id);
      if (it == k.widgets().end()) diff += "widget \"" + id + "\" is not on screen; ";
      else differ("label of " + id, text, it->second.label);
    }
  }
  return diff;
}

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

}  // namespace

long pss_kib() {
  std::ifstream in("/proc/self/smaps_rollup");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("Pss:", 0) == 0) return std::stol(line.substr(4));
  return 0;
}

std::vector<ScriptAction> parse_script(const json& doc, const std::string& origin) {
  if (!doc.is_object() || !doc.contains("steps") || !doc["steps"].is_array())
    throw ScriptError(origin + ": a scenario is {\"steps\": [...]}");
  std::vector<ScriptAction> out;
  for (size_t i = 0; i < doc["steps"].size(); ++i) {
    const json& step = doc["steps"][i];
    std::string where = origin + ": /steps/" + std::to_string(i);
    if (!step.is_object() || step.size() != 1) throw ScriptError(where + ": each step is an object with one action");
    auto it = step.begin();
    check_value(it.key(), it.value(), where);
    out.push_back({it.key(), it.value(), where});
  }
  return out;
}

std::vector<ScriptAction> load_script(const std::string& path) {
  json doc;
  try {
    doc = forms::read_json(path);
  } catch (const forms::JsonInputError& e) {
    throw ScriptError(std::string(e.what()) + " (scenario)");
  }
  return parse_script(doc, path);
}

int run_script(Kiosk& k, std::vector<ScriptAction> steps, const std::string& shots_dir, std::ostream& out,
               std::ostream& err, std::istream* in) {
  k.inject({});
  k.settle();
  for (auto& a : steps) {
    const std::string& kind = a.kind;
    if (kind == "tap") {
      std::string id = a.value.get<std::string>();
      auto it = k.widgets().find(id);
      if (it == k.widgets().end()) {
        err << a.where << " (tap): widget \"" << id << "\" is not on screen; visible: " << visible_ids(k) << "\n";
        return 1;
      }
      if (std::string why = unreachable(k, id, it->second); !why.empty()) {
        err << a.where << " (tap): widget \"" << id << "\" " << why << "\n";
        return 1;
      }
      tap_point(k, it->second.center());
    } else if (kind == "tap_at") {
      tap_point(k, ImVec2(a.value[0].get<float>(), a.value[1].get<float>()));
    } else if (kind == "drag") {
      std::string id = a.value["widget"].get<std::string>();
      auto it = k.widgets().find(id);
      if (it == k.widgets().end()) {
        err << a.where << " (drag): widget \"" << id << "\" is not on screen; visible: " << visible_ids(k) << "\n";
        return 1;
      }
      // A finger down at the first point, moved frame by frame through the rest, then lifted.
      // The rectangle is copied: every frame rebuilds the widget map.
      const WidgetRect rect = it->second;
      auto at = [rect](const json& pt) {
        return ImVec2(rect.min.x + pt[0].get<float>() * (rect.max.x - rect.min.x),
                      rect.min.y + pt[1].get<float>() * (rect.max.y - rect.min.y));
      };
      const json& path = a.value["path"];
      k.session().on_input(k.now());
      k.inject({at(path[0]), false});
      k.frame();
      for (auto& pt : path) {
        k.inject({at(pt), true});
        k.frame();
      }
      k.inject({at(path.back()), false});
      k.frame();
      k.inject({});
      k.settle();
    } else if (kind == "scroll") {
      // The wheel over the middle of the page: the page under the pointer scrolls.
      k.session().on_input(k.now());
      Kiosk::Injected in;
      in.mouse = ImVec2(k.width() / 2.0f, k.height() / 3.0f);
      in.wheel = a.value.get<float>();
      k.inject(in);
      k.frame();
      k.inject({});
      k.settle();
    } else if (kind == "type") {
      k.session().on_input(k.now());
      auto& text = a.value.get_ref<std::string&>();
      Kiosk::Injected typed;
      typed.text = text;
      secure_zero(text.data(), text.capacity());  // the scenario keeps no copy of what it typed
      text.clear();
      k.inject(typed);
      secure_zero(typed.text.data(), typed.text.capacity());
      k.frame();
      k.inject({});
      k.settle();
    } else if (kind == "pause") {
      // A live kiosk to look at from outside (a core dump, /proc): nothing runs until told.
      out << json{{"paused", a.value.get<std::string>()}, {"pid", static_cast<long>(::getpid())}}.dump() << std::endl;
      std::string line;
      if (in) std::getline(*in, line);
    } else if (kind == "key") {
      k.session().on_input(k.now());
      Kiosk::Injected in;
      in.key = key_names().at(a.value.get<std::string>());
      k.inject(in);
      k.frame();
      k.inject({});
      k.settle();
    } else if (kind == "advance") {
      k.advance_clock(a.value.get<double>());
      k.settle();
    } else if (kind == "idle") {
      double secs = a.value.get<double>();
      double cpu0 = cpu_seconds();
      auto t0 = SteadyClock::now();
      LoopStats st = k.run(secs);
      double wall = std::chrono::duration<double>(SteadyClock::now() - t0).count();
      double cpu = cpu_seconds() - cpu0;
      out << json{{"idle", {{"step", step_name(k.session().step())}, {"seconds", wall}, {"cpuSeconds", cpu},
                            {"cpuPercent", wall > 0 ? 100.0 * cpu / wall : 0}, {"frames", st.frames},
                            {"framesBy", {{"input", st.input_frames}, {"redraw", st.redraw_frames},
                                          {"deadline", st.deadline_frames}, {"settle", st.settle_frames}}},
                            {"wakeups", st.wakeups}, {"pssKiB", pss_kib()}}}}.dump()
          << "\n";
      k.inject({});
    } else if (kind == "shot") {
      std::filesystem::create_directories(shots_dir);
      std::string base = shots_dir + "/" + a.value.get<std::string>();
      k.capture_next_frame(base + ".png");
      k.frame();
      if (!k.capture_error().empty()) {
        err << a.where << " (shot): " << k.capture_error() << "\n";
        return 1;
      }
      std::ofstream meta(base + ".json");
      meta << shot_metadata(k).dump(2) << "\n";
    } else if (kind == "expect") {
      std::string diff = check(k, a.value);
      if (!diff.empty()) {
        err << a.where << " (expect): " << diff << "\n";
        return 1;
      }
    }
  }
  return 0;
}

}  // namespace motcua
