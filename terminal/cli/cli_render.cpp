#include "terminal/cli/cli_render.h"

#include <algorithm>
#include <functional>
#include <optional>

#include <cstdlib>
#include <filesystem>
#include <ostream>
#include <sstream>

#include "terminal/core/input.h"
#include "terminal/ui/form_kiosk.h"
#include "terminal/ui/script.h"

namespace motcua {

using nlohmann::json;

int render_command(const std::vector<std::string>& args, const std::string& data_root, std::ostream& out,
                   std::ostream& err) {
  try {
    std::string file, dir, lang = "vi", data_file;
    for (size_t i = 0; i < args.size(); ++i) {
      auto value = [&]() {
        if (i + 1 >= args.size()) throw InputError(args[i] + " needs a value");
        return args[++i];
      };
      if (args[i] == "--out") dir = value();
      else if (args[i] == "--lang") lang = value();
      else if (args[i] == "--data") data_file = value();
      else if (!args[i].empty() && args[i][0] == '-') throw InputError("form render: unknown option '" + args[i] + "'");
      else file = args[i];
    }
    if (file.empty() || dir.empty()) throw InputError("form render: give FORM.json and --out DIR");
    if (lang != "vi" && lang != "en") throw InputError("--lang: expected vi or en");
    forms::FormPackage form;
    try {
      form = forms::load_package(file);
    } catch (const forms::PackageError& e) {
      throw InputError(e.what());
    }
    json data = data_file.empty() ? json::object() : read_json_file(data_file);

    ScratchDir scratch("motcua-render");
    int steps = static_cast<int>(form.steps.size());
    WindowOptions window;
    window.fullscreen = false;
    window.hide_cursor = false;
    std::string error;
    std::unique_ptr<Kiosk> shown = open_form_kiosk(form, data_root, scratch, lang, window, "", error);
    if (!shown) {
      err << "motcua: cannot show the form: " << error << "\n";
      return 2;
    }
    Kiosk& kiosk = *shown;
    std::ostringstream run_out, run_err;
    // Sample answers go straight into the session's fields, as typed text; repeats get their items.
    std::function<void(const std::vector<forms::Element>&, const std::string&)> fill = [&](const std::vector<forms::Element>& els,
                                                                                          const std::string& item) {
      for (const forms::Element& e : els) {
        std::string scope = item + e.scope;
        auto p = json::json_pointer(scope);
        if (e.kind == forms::Element::Kind::Group) fill(e.elements, item);
        if (e.kind == forms::Element::Kind::Repeat && data.contains(p) && data[p].is_array()) {
          size_t n = std::min<size_t>(data[p].size(), 20);
          kiosk.session().data().field("repeat:" + scope) = std::to_string(n);
          for (size_t i = 0; i < n; ++i) fill(e.elements, scope + "/" + std::to_string(i));
        }
        if (e.kind != forms::Element::Kind::Control) continue;
        if (e.widget == "address") {  // each part in its own field, as the picker keeps them
          for (const std::string& part : forms::address_parts(form, e.scope))
            if (data.contains(p / part) && data[p / part].is_string())
              kiosk.session().data().field(scope + "/" + part) = data[p / part].get<std::string>();
          continue;
        }
        if (!data.contains(p)) continue;
        const json& v = data[p];
        std::string text = v.is_string() ? v.get<std::string>() : v.dump();
        if (e.widget == "checkboxes" && v.is_array()) {  // one value per line, as the toggles keep them
          text.clear();
          for (auto& x : v) {
            if (!text.empty()) text += '\n';
            text.append(x.is_string() ? x.get<std::string>() : x.dump());
          }
        }
        kiosk.session().data().field(scope) = text;
      }
    };
    for (auto& step : kiosk.session().form()->steps) fill(step.elements, "");
    // Steps the rules skip for these answers are not drawn: one shot per step that applies.
    kiosk.settle();
    steps = std::max(1, kiosk.session().step_count());
    std::filesystem::create_directories(dir);
    struct Failed {};  // a shot or a tap that did not work: exit 1, the script's own words
    auto act = [&](const json& step) {
      if (run_script(kiosk, parse_script(json{{"steps", json::array({step})}}, "render"), dir, run_out, run_err) != 0) throw Failed{};
    };
    // Where the step's content stands: any element's top moves exactly as the page scrolls.
    auto content_top = [&]() -> std::optional<float> {
      for (auto& [id, w] : kiosk.widgets())
        if (id.rfind("element", 0) == 0) return w.min.y;
      return std::nullopt;
    };
    std::vector<std::string> written;
    try {
      auto shot = [&](const std::string& name) {
        act({{"shot", name}});
        written.push_back(dir + "/" + name + ".png");
      };
      for (int i = 0; i < steps; ++i) {
        // A tall step is written whole, as numbered screenfuls: step-N.png, step-N-2.png, ... each
        // scrolled about two thirds of a screen past the last, so every line shows on one of them.
        std::string base = "step-" + std::to_string(i + 1);
        shot(base);
        for (int part = 2; part <= 30; ++part) {
          auto before = content_top();
          if (!before) break;
          act({{"scroll", -1.0}});
          auto after = content_top();
          float notch = after ? *before - *after : 0;
          if (notch < 1.0f) break;  // at the bottom already
          int more = static_cast<int>(static_cast<float>(kiosk.height()) * 0.45f / notch) - 1;
          if (more > 0) act({{"scroll", -static_cast<double>(std::min(more, 40))}});  // one frame, many notches
          shot(base + "-" + std::to_string(part));
        }
        act({{"tap", "nav.next"}});
      }
      shot("review");
    } catch (const Failed&) {
      err << "motcua: " << run_err.str();
      return 1;
    }
    for (auto& f : written) out << f << "\n";
    return 0;
  } catch (const std::exception& e) {
    err << "motcua: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace motcua
