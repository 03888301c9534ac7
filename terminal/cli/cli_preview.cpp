#include "terminal/cli/cli_preview.h"

#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <optional>
#include <sstream>
#include <thread>

#include "forms/json_positions.h"
#include "forms/lint.h"
#include "terminal/cli/cli_form.h"
#include "terminal/core/input.h"
#include "terminal/ui/form_kiosk.h"

namespace motcua {

using nlohmann::json;

namespace {

// The file's modification time in nanoseconds; 0 when it cannot be read (an editor mid-save).
long long stamp(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return 0;
  return static_cast<long long>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
}

// Lint errors as the author reads them (POINTER: message), or the load error; empty when clean.
std::vector<std::string> problems_of(const std::string& path, const json& package_schema, const std::string& data_root) {
  std::vector<std::string> out;
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded()) return {path + ": invalid JSON"};
  // As `form lint` writes them, so the author finds the line: LINE:COL: POINTER: message.
  auto positions = forms::json_positions(text);
  for (auto& issue : forms::lint_package(doc, package_schema, lint_context(path, data_root)))
    if (issue.error) {
      auto pos = forms::position_of(positions, issue.pointer);
      out.push_back(std::to_string(pos.line) + ":" + std::to_string(pos.column) + ": " +
                    (issue.pointer.empty() ? "/" : issue.pointer) + ": " + issue.message);
    }
  if (out.empty()) {
    try {
      forms::load_package(path);
    } catch (const std::exception& e) {
      out.push_back(e.what());
    }
  }
  return out;
}

}  // namespace

namespace {

int preview(const std::vector<std::string>& args, const std::string& data_root, std::ostream& out, std::ostream& err) {
  std::string file, lang = "vi";
  double seconds = 0;
  WindowOptions window;
  window.fullscreen = false;
  window.hide_cursor = false;
  window.width = 1080;
  window.height = 1920;
  try {
    for (size_t i = 0; i < args.size(); ++i) {
      auto value = [&]() {
        if (i + 1 >= args.size()) throw InputError(args[i] + " needs a value");
        return args[++i];
      };
      if (args[i] == "--lang") lang = value();
      else if (args[i] == "--seconds") seconds = std::atof(value().c_str());
      else if (args[i] == "--windowed") {
        std::string v = value();
        if (std::sscanf(v.c_str(), "%dx%d", &window.width, &window.height) != 2) throw InputError("--windowed: expected WxH");
      } else if (!args[i].empty() && args[i][0] == '-') throw InputError("form preview: unknown option '" + args[i] + "'");
      else file = args[i];
    }
    if (file.empty()) throw InputError("form preview: give FORM.json");
    if (lang != "vi" && lang != "en") throw InputError("--lang: expected vi or en");
    if (!std::filesystem::exists(file)) throw InputError(file + ": cannot open file");
  } catch (const std::exception& e) {
    err << "motcua: " << e.what() << "\n";
    return 2;
  }
  json package_schema = read_json_file(data_root + "/assets/schemas/form-package.schema.json");
  ScratchDir scratch("motcua-preview");
  auto started = std::chrono::steady_clock::now();
  auto left = [&] {
    return seconds <= 0 ? 1e9 : seconds - std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  };
  json report = {{"loads", json::array()}};
  std::optional<forms::FormPackage> good;  // the last version that loaded: shown while the file is broken
  while (left() > 0) {
    long long seen = stamp(file);
    std::vector<std::string> problems = problems_of(file, package_schema, data_root);
    if (problems.empty()) good = forms::load_package(file);
    for (auto& p : problems) err << file << ":" << p << "\n";
    report["loads"].push_back({{"lintErrors", problems.size()}, {"shown", good ? good->version : ""}});
    if (!good) {
      // Nothing to show yet: wait for the author's next save.
      while (left() > 0 && stamp(file) == seen) std::this_thread::sleep_for(std::chrono::milliseconds(200));
      continue;
    }
    std::string banner;
    if (!problems.empty())
      banner = std::to_string(problems.size()) + " lint error(s), showing the last good version: " + problems[0];
    std::string error;
    std::unique_ptr<Kiosk> kiosk = open_form_kiosk(*good, data_root, scratch, lang, window, banner, error);
    if (!kiosk) {
      err << "motcua: cannot show the form: " << error << "\n";
      return 2;
    }
    report["loads"].back()["banner"] = !banner.empty();
    // The author clicks through the form; a save reloads it from the start.
    while (left() > 0 && stamp(file) == seen) kiosk->run(std::min(0.3, std::max(0.01, left())));
  }
  out << report.dump() << "\n";
  return 0;
}

}  // namespace

int preview_command(const std::vector<std::string>& args, const std::string& data_root, std::ostream& out,
                    std::ostream& err) {
  try {
    return preview(args, data_root, out, err);
  } catch (const std::exception& e) {  // the schema file, a scratch folder, a form that stopped loading
    err << "motcua: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace motcua
