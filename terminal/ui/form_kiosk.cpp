#include "terminal/ui/form_kiosk.h"

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "terminal/core/input.h"
#include "terminal/ui/script.h"

namespace motcua {

ScratchDir::ScratchDir(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (!mkdtemp(pattern.data())) throw InputError("cannot create a scratch folder in " + std::filesystem::temp_directory_path().string());
  path_ = pattern;
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::unique_ptr<Kiosk> open_form_kiosk(const forms::FormPackage& form, const std::string& data_root, const ScratchDir& scratch,
                                       const std::string& lang, const WindowOptions& window, const std::string& banner,
                                       std::string& error) {
  KioskConfig config;
  config.printer = "file:/dev/null";
  config.speech_output = "none";
  config.data_dir = scratch.path();  // an author's look is not a visit: nothing of it is kept
  Catalog catalog = Catalog::load(data_root + "/assets/forms"), only;
  for (auto& c : catalog.categories()) only.add_category(c);
  only.add(form);
  KioskOptions options;
  options.window = window;
  options.data_root = data_root;
  options.check_steps = false;
  options.banner = banner;
  auto kiosk = std::make_unique<Kiosk>(config, Strings::load(data_root + "/locales", config.locales), std::move(only), options);
  if (!kiosk->open(error)) {
    error += " (on a server, run under xvfb-run)";
    return nullptr;
  }
  nlohmann::json script = nlohmann::json::array({{{"tap", "attract.start"}}, {{"tap", "language." + lang}},
                                                 {{"tap", "catalog.form." + form.id}}, {{"tap", "procedure.start"}}, {{"tap", "identify.manual"}}});
  std::ostringstream out, err;
  if (run_script(*kiosk, parse_script(nlohmann::json{{"steps", script}}, "form"), scratch.path(), out, err) != 0) {
    error = err.str();
    return nullptr;
  }
  return kiosk;
}

}  // namespace motcua
