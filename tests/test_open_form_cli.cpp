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
  if (!extra.contains("speechOutput")) extra["speechOutput"] = "none";
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
      {"tap": "nav.back"}, {"expect": {"step": "identify", "widget": "identify.manual"}},
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

// A birth registration khai-sinh accepts, for form print.
std::string birth_data_file() {
  return write_temp("motcua-birth-data.json", R"({
    "declarant": {"fullName": "Nguyễn Thị Hương", "idNumber": "001190012345", "relationship": "Mẹ"},
    "child": {"fullName": "Trần Minh Khuê", "dateOfBirth": "2026-11-20", "placeOfBirth": "Bệnh viện Phụ sản Hà Nội",
              "sex": "Nữ", "ethnicity": "Kinh", "nationality": "Việt Nam", "hometown": "Xã Tân Phong, Tỉnh Lai Châu"},
    "mother": {"fullName": "Nguyễn Thị Hương", "birthYear": 1990, "ethnicity": "Kinh", "nationality": "Việt Nam",
               "placeOfResidence": "Số 12 phố Hàng Bạc, phường Hoàn Kiếm, Hà Nội"}})");
}

// What the dynamic loader initialised in the process `command` started (LD_DEBUG=libs, one file
// per process), a line per library.
std::string libraries_loaded(const fs::path& dir, const std::string& command, int& status) {
  fs::remove_all(dir / "ld");
  fs::create_directories(dir / "ld");
  status = motcua::test::run_capture("LD_DEBUG=libs LD_DEBUG_OUTPUT=" + (dir / "ld" / "out").string() + " " +
                                     std::string(MOTCUA_BINARY) + " " + command).first;
  std::string inits;
  for (auto& f : fs::directory_iterator(dir / "ld")) {
    std::ifstream in(f.path());
    for (std::string line; std::getline(in, line);)
      if (auto at = line.find("calling init: "); at != std::string::npos) inits += line.substr(at + 14) + "\n";
  }
  return inits;
}

TEST_CASE("the kiosk starts without Pango, Cairo and libcurl: the first paper opens them") {
  // Issue 22: 21 libraries and about 3 MB that most visits never use stay out of the start, and
  // libcurl's 24 wait for the first request (tests/test_intake.cpp has that side).
  motcua::test::ensure_xvfb();
  auto dir = fs::temp_directory_path() / "motcua-start-libraries";
  fs::remove_all(dir);
  std::string config = config_in(dir);
  std::string script = write_temp("motcua-start-libraries.json",
                                  R"({"steps": [{"expect": {"step": "form", "widget": "field/declarant/fullName"}}]})");
  int status = -1;
  std::string loaded = libraries_loaded(dir, "--windowed 1080x1920 --config " + config + " --form khai-sinh --script " + script, status);
  INFO(loaded);
  CHECK(status == 0);
  CHECK(loaded.find("libglfw") != std::string::npos);  // the loader did report what it loaded
  CHECK(loaded.find("libpango") == std::string::npos);
  CHECK(loaded.find("libcairo") == std::string::npos);
  CHECK(loaded.find("libharfbuzz") == std::string::npos);
  CHECK(loaded.find("libcurl") == std::string::npos);  // nothing to send, no help address: never asked
  CHECK(loaded.find("libgnutls") == std::string::npos);
  // Nor SDL2, espeak-ng and the sound stack they bring, nor libsystemd (sd_notify is the kiosk's own).
  CHECK(loaded.find("libSDL2") == std::string::npos);
  CHECK(loaded.find("libespeak-ng") == std::string::npos);
  CHECK(loaded.find("libpulse") == std::string::npos);
  CHECK(loaded.find("libasound") == std::string::npos);
  CHECK(loaded.find("libsndfile") == std::string::npos);
  CHECK(loaded.find("libsystemd") == std::string::npos);
  // Nor the printer's FreeType, libzint and libqrencode: the first receipt opens them.
  CHECK(loaded.find("libfreetype") == std::string::npos);
  CHECK(loaded.find("libzint") == std::string::npos);
  CHECK(loaded.find("libqrencode") == std::string::npos);
  // Nor the card's OpenPACE and OpenJPEG (the first read), nor libjpeg (the first scanned page).
  CHECK(loaded.find("libeac") == std::string::npos);
  CHECK(loaded.find("libopenjp2") == std::string::npos);
  CHECK(loaded.find("libjpeg") == std::string::npos);

  std::string data = birth_data_file();
  std::string pdf = (dir / "tk.pdf").string();
  loaded = libraries_loaded(dir, "form print " + std::string(MOTCUA_SOURCE_ROOT) + "/assets/forms/khai-sinh.json --data " +
                                     data + " --out " + pdf, status);
  INFO(loaded);
  CHECK(status == 0);
  CHECK(loaded.find("libpangocairo") != std::string::npos);
  CHECK(fs::file_size(pdf) > 1000);
  fs::remove_all(dir);
}

TEST_CASE("read-aloud and the SDL2 backend open their libraries when first used, and without them say which is missing") {
  motcua::test::ensure_xvfb();
  auto dir = fs::temp_directory_path() / "motcua-deferred-sound";
  fs::remove_all(dir);
  std::string config = config_in(dir, {{"speechOutput", "file:" + (dir / "speech").string()}});
  std::string speak = write_temp("motcua-deferred-sound.json", R"({"steps": [{"tap": "attract.read_aloud"}]})");
  const std::string kiosk = "--windowed 1080x1920 --config " + config + " --script " + speak;

  // The first utterance opens espeak-ng; the GLFW kiosk never opens SDL2.
  int status = -1;
  std::string loaded = libraries_loaded(dir, kiosk, status);
  INFO(loaded);
  CHECK(status == 0);
  CHECK(loaded.find("libespeak-ng") != std::string::npos);
  CHECK(loaded.find("libSDL2") == std::string::npos);

  // Without espeak-ng: the kiosk goes on, and its log names the library and the package.
  auto mute = motcua::test::run_capture("MOTCUA_ESPEAK_LIBRARY=" + (dir / "libespeak-gone.so").string() + " " +
                                std::string(MOTCUA_BINARY) + " " + kiosk);
  CHECK_MESSAGE(mute.first == 0, mute.second);
  CHECK_MESSAGE(mute.second.find("read-aloud unavailable: " + (dir / "libespeak-gone.so").string() +
                              " cannot be opened (install the libespeak-ng1 package)") != std::string::npos,
                mute.second);

  // --backend sdl2 opens SDL2 at its first call; without it, the window cannot open: exit 2, named.
  std::string first = write_temp("motcua-deferred-sdl.json", R"({"steps": [{"expect": {"step": "attract"}}]})");
  loaded = libraries_loaded(dir, "--backend sdl2 --windowed 1080x1920 --config " + config_in(dir) + " --script " + first, status);
  INFO(loaded);
  CHECK(status == 0);
  CHECK(loaded.find("libSDL2") != std::string::npos);
  auto windowless = motcua::test::run_capture("MOTCUA_SDL2_LIBRARY=" + (dir / "libSDL2-gone.so").string() + " " + std::string(MOTCUA_BINARY) +
                                " --backend sdl2 --windowed 1080x1920 --config " + config_in(dir) + " --script " + first);
  CHECK(windowless.first == 2);
  CHECK_MESSAGE(windowless.second.find("SDL2: " + (dir / "libSDL2-gone.so").string() +
                              " cannot be opened (install the libsdl2-2.0-0 package)") != std::string::npos,
                windowless.second);
  fs::remove_all(dir);
}

TEST_CASE("the first receipt opens FreeType, libzint and libqrencode, and without one says which package to install") {
  auto dir = fs::temp_directory_path() / "motcua-print-libraries";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string dossier = write_temp("motcua-print-libraries.json", R"({"centerName": "Trung tâm Phục vụ hành chính công",
      "procedureName": "Đăng ký khai sinh", "dossierCode": "HK-20261121-0042", "receivedAt": "2026-11-21T09:30:00+07:00",
      "appointmentAt": "2026-11-24T14:00:00+07:00"})");
  const std::string print = "print receipt " + dossier + " --profile 80mm-raster --to file:" + (dir / "r.bin").string();
  int status = -1;
  std::string loaded = libraries_loaded(dir, print, status);
  INFO(loaded);
  CHECK(status == 0);
  CHECK(loaded.find("libfreetype") != std::string::npos);  // the receipt's text
  CHECK(loaded.find("libzint") != std::string::npos);      // its Code128
  CHECK(loaded.find("libqrencode") != std::string::npos);  // its QR code
  CHECK(fs::file_size(dir / "r.bin") > 10000);

  const char* libraries[][2] = {{"FREETYPE", "libfreetype6"}, {"ZINT", "libzint2.11"}, {"QRENCODE", "libqrencode4"}};
  for (auto& library : libraries) {
    fs::remove(dir / "r.bin");
    std::string gone = (dir / "gone.so").string();
    auto without = motcua::test::run_capture("MOTCUA_" + std::string(library[0]) + "_LIBRARY=" + gone + " " +
                                             std::string(MOTCUA_BINARY) + " " + print);
    INFO(library[0]);
    CHECK(without.first == 2);  // the installation is broken, as for a missing font
    CHECK_MESSAGE(without.second.find(gone + " cannot be opened (install the " + library[1] + " package)") != std::string::npos,
                  without.second);
    CHECK_FALSE(fs::exists(dir / "r.bin"));  // no half receipt
  }
  fs::remove_all(dir);
}

TEST_CASE("form print without Pango says which library is missing, and nothing is written") {
  auto dir = fs::temp_directory_path() / "motcua-no-pango";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string data = birth_data_file();
  auto r = motcua::test::run_capture("MOTCUA_PAPER_LIBRARY=" + (dir / "libpangocairo-gone.so").string() + " " +
                                     std::string(MOTCUA_BINARY) + " form print " + MOTCUA_SOURCE_ROOT +
                                     "/assets/forms/khai-sinh.json --data " + data + " --out " + (dir / "tk.pdf").string());
  INFO(r.second);
  CHECK(r.first == 2);  // as for fonts that cannot be found: never the internal error (3), never a crash
  CHECK(r.second.find("libpangocairo-gone.so cannot be opened (install the libpangocairo-1.0-0 package)") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "tk.pdf"));

  // A declaration with its dossier code needs libqrencode for the code's QR: never a page without it.
  const std::string print = std::string(MOTCUA_BINARY) + " form print " + MOTCUA_SOURCE_ROOT + "/assets/forms/khai-sinh.json --data " +
                            data + " --code HK-20261121-0042 --out " + (dir / "tk.pdf").string();
  auto no_qr = motcua::test::run_capture("MOTCUA_QRENCODE_LIBRARY=" + (dir / "libqrencode-gone.so").string() + " " + print);
  INFO(no_qr.second);
  CHECK(no_qr.first == 2);
  CHECK(no_qr.second.find("libqrencode-gone.so cannot be opened (install the libqrencode4 package)") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "tk.pdf"));
  CHECK(motcua::test::run_capture(print).first == 0);  // with it, the same declaration is written
  CHECK(fs::file_size(dir / "tk.pdf") > 1000);
  fs::remove_all(dir);
}
