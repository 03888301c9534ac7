// `motcua --form` and singleForm as an operator runs them: the kiosk's first frame is the form,
// an unknown form id exits 2 naming it.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/support/run_motcua.h"
#include "tests/support/xvfb.h"

namespace {

using motcua::test::run_motcua;
namespace fs = std::filesystem;

std::string write_temp(const std::string& name, const std::string& content) {
  auto path = fs::temp_directory_path() / name;
  std::ofstream(path) << content;
  return path.string();
}

// A configuration of its own: another kiosk (a test running beside) owns the default state folder.
std::string config_in(const fs::path& dir, nlohmann::json extra = nlohmann::json::object()) {
  fs::create_directories(dir);
  extra["dataDir"] = (dir / "state").string();
  extra["printer"] = "file:" + (dir / "receipts").string();
  extra["speechOutput"] = "none";
  extra["cardReader"] = "none";
  return write_temp(dir.filename().string() + "-config.json", extra.dump());
}

}  // namespace

TEST_CASE("--form with an unknown id, or singleForm naming no form, exits 2 naming it and the closest id") {
  auto dir = fs::temp_directory_path() / "motcua-form-unknown";
  std::string config = config_in(dir);
  auto r = run_motcua("--config " + config + " --form khai-sinhh --check");
  CHECK(r.status == 2);
  CHECK_MESSAGE(r.output.find("no form \"khai-sinhh\"") != std::string::npos, r.output);
  CHECK(r.output.find("did you mean \"khai-sinh\"?") != std::string::npos);
  CHECK(r.output.find("ly-lich-tu-phap") != std::string::npos);  // the forms there are, listed

  r = run_motcua("--config " + config + " --form giay-phep-lai-xe --check");  // nothing close: no guess
  CHECK(r.status == 2);
  CHECK(r.output.find("no form \"giay-phep-lai-xe\"") != std::string::npos);
  CHECK(r.output.find("did you mean") == std::string::npos);

  r = run_motcua("--config " + config + " --form khai-sinh --lang fr --check");
  CHECK(r.status == 2);
  CHECK(r.output.find("--lang: \"fr\"") != std::string::npos);
  CHECK(run_motcua("--config " + config + " --lang en --check").status == 2);  // --lang without --form
  CHECK(run_motcua("--config " + config + " --form").status == 2);
  CHECK(run_motcua("--config " + config + " --form khai-sinh --lang en --check").status == 0);

  std::string single = config_in(dir, {{"singleForm", "khai-tuu"}});
  r = run_motcua("--config " + single + " --check");
  CHECK(r.status == 2);
  CHECK_MESSAGE(r.output.find("key \"singleForm\": no form \"khai-tuu\"") != std::string::npos, r.output);
  CHECK(r.output.find("did you mean \"khai-tu\"?") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("--form draws the form's first step as the first screen, in the chosen language, and singleForm at start") {
  motcua::test::ensure_xvfb();
  auto dir = fs::temp_directory_path() / "motcua-form-direct";
  fs::remove_all(dir);
  std::string config = config_in(dir);
  std::string script = write_temp("motcua-form-direct.json", R"({"steps": [
      {"expect": {"step": "form", "formStep": 0, "language": "en", "widget": "field/declarant/fullName"}},
      {"shot": "form-direct"},
      {"tap": "nav.back"}, {"expect": {"step": "identify", "widget": "identify.card"}},
      {"tap": "nav.back"}, {"expect": {"step": "form", "formStep": 0}}]})");
  auto r = run_motcua("--windowed 1080x1920 --config " + config + " --form khai-sinh --lang en --script " + script +
                      " --shots " + (dir / "shots").string());
  CHECK_MESSAGE(r.status == 0, r.output);
  CHECK(fs::file_size(dir / "shots" / "form-direct.png") > 10000);
  auto meta = nlohmann::json::parse(std::ifstream(dir / "shots" / "form-direct.json"));
  CHECK(meta.dump().find("Full name") != std::string::npos);  // the English label, drawn

  // A single-procedure kiosk: the form at start; Kết thúc after typing comes back to it, empty.
  std::string single = config_in(dir, {{"singleForm", "khai-tu"}});
  script = write_temp("motcua-form-single.json", R"({"steps": [
      {"expect": {"step": "form", "formStep": 0, "language": "vi"}},
      {"shot": "single-form"},
      {"tap": "field/declarant/fullName"}, {"type": "Lê Văn Tám"},
      {"expect": {"personalDataEmpty": false}},
      {"tap": "chrome.end"}, {"tap": "ask.yes"},
      {"expect": {"step": "form", "formStep": 0, "personalDataEmpty": true}}]})");
  r = run_motcua("--windowed 1080x1920 --config " + single + " --script " + script + " --shots " + (dir / "shots").string());
  CHECK_MESSAGE(r.status == 0, r.output);
  fs::remove_all(dir / "state");
}
