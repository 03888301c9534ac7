// motcua: runs the kiosk, or one of its tools (git-style commands).
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <filesystem>
#include <future>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "terminal/cli/cli_card.h"
#include "terminal/core/config.h"
#include "terminal/cli/cli_form.h"
#include "terminal/services/catalog_sync.h"
#include "terminal/services/process_age.h"
#include "terminal/cli/cli_catalog.h"
#include "terminal/cli/cli_outbox.h"
#include "terminal/cli/cli_print.h"
#include "terminal/cli/cli_stats.h"
#include "terminal/ui/kiosk.h"
#include "terminal/ui/script.h"
#include "terminal/services/volunteers.h"

#ifndef MOTCUA_SOURCE_ROOT
#define MOTCUA_SOURCE_ROOT "."
#endif
#ifndef MOTCUA_VERSION
#define MOTCUA_VERSION "0"
#endif

namespace {

using namespace motcua;

// locales/ and assets/: $MOTCUA_DATA_ROOT, else share/motcua beside an installed binary
// (/usr/bin/motcua -> /usr/share/motcua, also inside a scratch root), else the source tree.
std::string default_data_root() {
  if (const char* d = std::getenv("MOTCUA_DATA_ROOT"); d && *d) return d;
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto installed = exe.parent_path().parent_path() / "share" / "motcua";
    if (std::filesystem::exists(installed / "locales", ec)) return installed.string();
  }
  return MOTCUA_SOURCE_ROOT;
}

const char* kHelp = R"(motcua — self-service kiosk for Public Administration Service Centers

Usage:
  motcua [options]                 run the kiosk (full screen)
  motcua form validate ...         check dossier data against a JSON Schema 2020-12 (see below)
  motcua form lint FORM.json...    check form packages
  motcua form print FORM.json --data DATA.json --out FILE.pdf|FILE.png   the filled declaration on A4
  motcua print receipt|ticket|apology FILE --to TARGET ...   print on an ESC/POS printer
  motcua card list|read            the chip ID card on the reader (see below)
  motcua outbox status|list|retry  dossiers waiting for the portal (see below)
  motcua catalog sign|verify|sync  signed form packages from the portal (see below)
  motcua stats [--by ...]          the centre's figures from the kiosk's records (see below)
  motcua staff hash-pin < PIN      hash a volunteer PIN (PBKDF2-SHA256, 600,000 iterations) for the configuration
  motcua --help | --version

Kiosk options:
  --config FILE        kiosk configuration (JSON); default: built-in defaults, or $MOTCUA_CONFIG
  --data-root DIR      folder holding locales/ and assets/; default: $MOTCUA_DATA_ROOT, else
                       ../share/motcua beside the installed binary, else the source tree
  --windowed WxH       a window of W×H pixels instead of full screen (development)
  --backend NAME       glfw (default) or sdl2
  --script FILE        drive the kiosk from a scenario (see docs/scenarios.md) and exit
  --shots DIR          where the scenario's screenshots go (PNG plus JSON of widget positions)
  --form FORM_ID       start on that form's first step, as if chosen from the catalog and
                       "type by hand" tapped (Back on its first step reaches the card step);
                       after the visit the kiosk returns to the attract screen (the
                       configuration's "singleForm" returns to the form instead)
  --lang LANG          the language --form opens in (one of the configuration's locales;
                       default: the first)
  --report             print startup time (first frame, counted from the kernel's start of the
                       process) and memory as JSON on exit
  --check              check the configuration, locales and forms as a start would, then exit
                       (0 usable, 2 not; the service runs it before the compositor starts)
  --redraw-every SEC   also redraw on a fixed tick (benchmark baseline only)

Exit status: 0 ok, 1 a scenario check failed, 2 unusable input (bad option, config, locale or scenario).

)";

int usage_error(const std::string& msg) {
  std::fprintf(stderr, "motcua: %s\nTry 'motcua --help'.\n", msg.c_str());
  return 2;
}

bool parse_size(const std::string& s, int& w, int& h) {
  return std::sscanf(s.c_str(), "%dx%d", &w, &h) == 2 && w >= 320 && h >= 320 && w <= 8192 && h <= 8192;
}

// Levenshtein distance, for "did you mean" on a mistyped form id.
size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

// "no form X in DIR; did you mean Y? (forms: ...)": the message for an unknown --form or singleForm.
std::string unknown_form(const Catalog& catalog, const std::string& id, const std::string& dir) {
  std::string known, best;
  size_t best_d = std::string::npos;
  for (auto* f : catalog.find("", "")) {
    known += (known.empty() ? "" : ", ") + f->id;
    size_t d = edit_distance(id, f->id);
    if (d < best_d) best_d = d, best = f->id;
  }
  std::string msg = "no form \"" + id + "\" in " + dir;
  if (!best.empty() && best_d <= std::max<size_t>(2, id.size() / 3)) msg += "; did you mean \"" + best + "\"?";
  return msg + " (forms: " + known + ")";
}

int run(int argc, char** argv) {
  KioskOptions opt;
  std::string config_path, script_path, shots_dir, start_form, start_lang;
  bool report = false, check_only = false;
  if (const char* c = std::getenv("MOTCUA_CONFIG")) config_path = c;
  opt.data_root = default_data_root();

  std::vector<std::string> args(argv + 1, argv + argc);
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= args.size()) return std::nullopt;
      return args[++i];
    };
    if (a == "--help" || a == "-h") {
      std::fputs(kHelp, stdout);
      std::fputs(kFormHelp, stdout);
      std::fputs("\n", stdout);
      std::fputs(kPrintHelp, stdout);
      std::fputs("\n", stdout);
      std::fputs(kCardHelp, stdout);
      std::fputs("\n", stdout);
      std::fputs(kOutboxHelp, stdout);
      std::fputs("\n", stdout);
      std::fputs(kCatalogHelp, stdout);
      std::fputs("\n", stdout);
      std::fputs(kStatsHelp, stdout);
      return 0;
    }
    if (i == 0 && a == "staff") {
      if (args.size() != 2 || args[1] != "hash-pin") return usage_error("staff: expected 'staff hash-pin' (reads the PIN from standard input)");
      std::string pin;
      std::getline(std::cin, pin);
      if (pin.size() < 4 || pin.size() > 12 || pin.find_first_not_of("0123456789") != std::string::npos) {
        std::fprintf(stderr, "motcua: a volunteer PIN is 4 to 12 digits\n");
        return 2;
      }
      std::printf("%s\n", hash_pin(pin).c_str());
      std::fill(pin.begin(), pin.end(), '\0');
      return 0;
    }
    if (i == 0 && a == "card") return card_command({args.begin() + 1, args.end()}, std::cout, std::cerr);
    if (i == 0 && a == "outbox") return outbox_command({args.begin() + 1, args.end()}, std::cout, std::cerr);
    if (i == 0 && a == "stats") return stats_command({args.begin() + 1, args.end()}, opt.data_root, std::cout, std::cerr);
    if (i == 0 && a == "catalog") return catalog_command({args.begin() + 1, args.end()}, opt.data_root, std::cout, std::cerr);
    if (i == 0 && (a == "form" || a == "print")) {
      std::vector<std::string> rest(args.begin() + 1, args.end());
      const std::string& data_root = opt.data_root;
      return a == "form" ? form_command(rest, data_root, std::cout, std::cerr)
                         : print_command(rest, data_root, std::cout, std::cerr);
    }
    if (a == "--version") {
      // Where this binary reads its forms and keeps its state, for the operator installing it.
      std::printf("motcua %s\ndata: %s\nstate (without --config): %s\n", MOTCUA_VERSION, opt.data_root.c_str(), default_state_dir().c_str());
      return 0;
    }
    if (a == "--report") { report = true; continue; }
    if (a == "--check") { check_only = true; continue; }
    if (a == "--config" || a == "--data-root" || a == "--windowed" || a == "--backend" || a == "--script" ||
        a == "--shots" || a == "--redraw-every" || a == "--form" || a == "--lang") {
      auto v = value();
      if (!v) return usage_error(a + " needs a value");
      if (a == "--config") config_path = *v;
      else if (a == "--data-root") opt.data_root = *v;
      else if (a == "--script") script_path = *v;
      else if (a == "--shots") shots_dir = *v;
      else if (a == "--form") start_form = *v;
      else if (a == "--lang") start_lang = *v;
      else if (a == "--backend") {
        if (*v != "glfw" && *v != "sdl2") return usage_error("--backend: expected glfw or sdl2, got \"" + *v + "\"");
        opt.backend = *v;
      } else if (a == "--windowed") {
        if (!parse_size(*v, opt.window.width, opt.window.height))
          return usage_error("--windowed: expected WIDTHxHEIGHT such as 1080x1920, got \"" + *v + "\"");
        opt.window.fullscreen = false;
        opt.window.hide_cursor = false;
      } else if (a == "--redraw-every") {
        char* end = nullptr;
        opt.redraw_every = std::strtod(v->c_str(), &end);
        if (*end || opt.redraw_every <= 0) return usage_error("--redraw-every: expected seconds > 0, got \"" + *v + "\"");
      }
      continue;
    }
    if (!a.empty() && a[0] != '-') return usage_error("unknown command '" + a + "'");
    return usage_error("unknown option '" + a + "'");
  }
  if (!shots_dir.empty() && script_path.empty()) return usage_error("--shots goes with --script");
  if (!start_lang.empty() && start_form.empty()) return usage_error("--lang goes with --form");

  // Everything is checked before the window shows: the kiosk never starts half-configured.
  // `made` null: --check, nothing more than the checks.
  std::vector<ScriptAction> script;
  auto load = [&](std::unique_ptr<Kiosk>* made) -> int {
    KioskConfig config;
    Strings strings;
    try {
      if (!config_path.empty()) config = load_config(config_path);
      strings = Strings::load(opt.data_root + "/locales", config.locales);
      if (!script_path.empty()) {
        script = load_script(script_path);
        scrub_stack();  // the parser's copies of the text a scenario types, like any citizen's
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "motcua: %s\n", e.what());
      return 2;
    }
    std::string forms_dir = config.forms_dir;
    if (std::filesystem::path(forms_dir).is_relative()) forms_dir = opt.data_root + "/" + forms_dir;
    Catalog catalog = Catalog::load(forms_dir);
    // The last catalog synced from the portal, when there is one, replaces the bundled forms.
    if (config.endpoint != "demo" && !config.catalog_key_file.empty()) {
      std::string synced = CatalogSync::current_dir(config.data_dir + "/catalog");
      if (!synced.empty()) {
        Catalog from_portal = Catalog::load(synced);
        if (from_portal.problems.empty() && from_portal.size() > 0) {
          catalog = std::move(from_portal);
          forms_dir = synced;
        }
      }
    }
    // A package the kiosk cannot use (a malformed rule, check or expression) stops it here, naming
    // the file and the JSON pointer, rather than failing at a citizen's tap or vanishing quietly.
    if (!catalog.problems.empty()) {
      for (auto& p : catalog.problems) std::fprintf(stderr, "motcua: unusable form package: %s\n", p.c_str());
      return 2;
    }
    if (catalog.size() == 0) {
      std::fprintf(stderr, "motcua: %s: no usable form package; the kiosk has nothing to offer\n", forms_dir.c_str());
      return 2;
    }
    if (!start_form.empty() && !catalog.form(start_form)) return usage_error("--form: " + unknown_form(catalog, start_form, forms_dir));
    if (!config.single_form.empty() && !catalog.form(config.single_form)) {
      std::fprintf(stderr, "motcua: %s: key \"singleForm\": %s\n", config_path.c_str(),
                   unknown_form(catalog, config.single_form, forms_dir).c_str());
      return 2;
    }
    if (!start_lang.empty() && std::find(config.locales.begin(), config.locales.end(), start_lang) == config.locales.end()) {
      std::string known;
      for (auto& l : config.locales) known += (known.empty() ? "" : ", ") + l;
      return usage_error("--lang: \"" + start_lang + "\" is not one of the kiosk's languages (" + known + ")");
    }
    if (!made) {
      std::printf("motcua: %s: usable; %zu procedures from %s\n", config_path.empty() ? "built-in defaults" : config_path.c_str(),
                  catalog.size(), forms_dir.c_str());
      return 0;
    }
    try {
      *made = std::make_unique<Kiosk>(std::move(config), std::move(strings), std::move(catalog), opt);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "motcua: %s\n", e.what());
      return 2;
    }
    if (!start_form.empty())
      (*made)->session().open_form(start_form, start_lang.empty() ? (*made)->session().config().locales.front() : start_lang,
                                   (*made)->now());
    return 0;
  };
  if (check_only) return load(nullptr);

  // The window and its GL context take the longest of the start (over a third of the time to
  // the first frame on llvmpipe), so the kiosk (configuration, catalog, data folder, services)
  // and its font atlas are built on another thread meanwhile. Safe because the two threads
  // share nothing until the join: the loader touches no window, GL or ImGui state (ImGui's
  // context is made after the join; the atlas needs none), and this thread reads only `opt`
  // and its own window. The loader's errors come first, with the same message and status as
  // before, and the window stays hidden until everything has loaded.
  std::unique_ptr<Platform> window = make_platform(opt.backend);
  std::string error, font_error;
  const bool connected = window->connect(error);
  const double measured_px_per_mm = connected ? window->pixels_per_mm() : 0;
  std::unique_ptr<Kiosk> made;
  auto loading = std::async(std::launch::async, [&] {
    int status = load(&made);
    if (status == 0 && connected) {
      try {
        made->prepare_fonts(measured_px_per_mm);
      } catch (const std::exception& e) {
        font_error = e.what();
      }
    }
    return status;
  });
  const bool opened = connected && window->open(opt.window, error);
  if (int status = loading.get()) return status;  // rethrows what the loader threw
  if (opened && !font_error.empty()) error = font_error;
  if (!opened || !font_error.empty() || !made->open(std::move(window), error)) {
    std::fprintf(stderr, "motcua: cannot open the kiosk window: %s\n", error.c_str());
    return 2;
  }
  Kiosk& kiosk = *made;
  int status = 0;
  if (!script_path.empty()) {
    status = run_script(kiosk, std::move(script), shots_dir.empty() ? "." : shots_dir, std::cout, std::cerr, &std::cin);
  } else {
    kiosk.run();
  }
  if (report) {
    // Counted from the kernel's start of this process: exec, loading and static initialisers too.
    double age_ms = process_age_ms();
    double first_ms = kiosk.first_frame_at() && age_ms >= 0
                          ? age_ms - std::chrono::duration<double, std::milli>(SteadyClock::now() - *kiosk.first_frame_at()).count()
                          : -1;
    std::cout << nlohmann::json{{"report", {{"firstFrameMs", first_ms}, {"pssKiB", pss_kib()},
                                            {"backend", opt.backend},
                                            {"fontAtlas", std::to_string(ImGui::GetIO().Fonts->TexWidth) + "x" +
                                                              std::to_string(ImGui::GetIO().Fonts->TexHeight)}}}}.dump()
              << "\n";
  }
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  // What the kiosk and its tools create (SQLite files and journals, state, outbox, receipts)
  // is for the kiosk's own account only.
  ::umask(077);
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "motcua: internal error: %s\n", e.what());
    return 3;
  }
}
