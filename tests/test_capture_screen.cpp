// The papers step on the real kiosk under Xvfb, with SANE's own `test` backend as the scanner
// (a private SANE_CONFIG_DIR whose dll.conf holds `test`): khai-tu filled as its fixture run
// does, its death notice scanned, scanned again, a page added and deleted after asking, the other
// paper skipped, submitted to the reference intake server, and the papers checked there.
#include <doctest/doctest.h>

#include <stb_image.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "terminal/core/pin_hash.h"
#include "terminal/ui/kiosk.h"
#include "terminal/ui/script.h"
#include "tests/intake/credentials.h"
#include "tests/intake/intake_server.h"
#include "tests/support/barcode_reader.h"
#include "tests/support/fake_camera.h"
#include "tests/support/files.h"
#include "tests/support/screen_kiosk.h"
#include "tests/support/xvfb.h"

using namespace motcua;
using nlohmann::json;

namespace {

const std::string root = MOTCUA_SOURCE_ROOT;

std::string temp_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "motcua-capture-XXXXXX").string();
  REQUIRE(mkdtemp(pattern.data()) != nullptr);
  return pattern;
}

void use_sane_test_backend() {
  static test::TempDir dir;
  dir.write("dll.conf", "test\n");
  dir.write("test.conf", "number_of_devices 2\n");
  setenv("SANE_CONFIG_DIR", dir.path.c_str(), 1);
}

std::unique_ptr<Kiosk> open_kiosk(KioskConfig config) {
  use_sane_test_backend();
  if (config.data_dir.empty() || config.data_dir == KioskConfig{}.data_dir) config.data_dir = temp_dir();
  return test::open_screen_kiosk(config);
}


// khai-tu's fixture run (tests/fixtures/runs/khai-tu.json) up to its last form step's Next, shots left out.
json fill_khai_tu() {
  std::ifstream in(root + "/tests/fixtures/runs/khai-tu.json");
  json run = json::parse(in), steps = json::array();
  for (auto& s : run["steps"]) {
    if (s.contains("expect") && s["expect"].value("step", "") == "review") break;
    if (!s.contains("shot")) steps.push_back(s);
  }
  steps.push_back({{"expect", {{"step", "capture"}}}});
  return steps;
}

// The kiosk's loop runs until the scan in progress has ended (the scan process has a deadline).
void wait_for_scan(Kiosk& k) {
  for (int i = 0; i < 600 && k.session().scanning(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    k.frame();
  }
  REQUIRE_FALSE(k.session().scanning());
  k.settle();
}

std::string label(Kiosk& k, const std::string& id) {
  auto it = k.widgets().find(id);
  return it == k.widgets().end() ? std::string("(not drawn)") : it->second.label;
}

void keep_shots(const std::string& dir) {
  const char* keep = std::getenv("MOTCUA_KEEP_SHOTS");
  if (!keep) return;
  std::filesystem::create_directories(keep);
  for (auto& e : std::filesystem::directory_iterator(dir))  // the shots only, not the kiosk's data folder
    if (e.path().extension() == ".png")
      std::filesystem::copy_file(e.path(), std::filesystem::path(keep) / e.path().filename(),
                                 std::filesystem::copy_options::overwrite_existing);
}

}  // namespace

TEST_CASE("the papers screen: scan, scan again, delete after asking, skip, submit, and the portal has the papers") {
  std::string dir = temp_dir();
  intake::CredentialFiles keys = intake::make_demo_credentials(dir + "/keys");
  intake::IntakeConfig server_config = intake::demo_intake_config(keys, dir + "/intake.sqlite");
  server_config.holidays_file = root + "/assets/holidays/vn.json";
  intake::IntakeServer server(server_config);
  server.start();
  KioskConfig config;
  config.printer = "file:" + dir + "/paper";
  config.printer_profile = "80mm-raster";
  config.data_dir = dir + "/kiosk";
  config.endpoint = server.url();
  config.portal_token = server_config.kiosks.at("KIOSK-01");
  config.portal_ca_file = keys.ca_cert;
  config.envelope_key_file = keys.envelope_public;
  config.portal_wait_seconds = 5;
  config.scanner = "test:0";
  config.scanner_options = {{"test-picture", "Grid"}};
  auto k = open_kiosk(config);
  Strings strings = Strings::load(root + "/locales", {"vi", "en"});

  REQUIRE(test::play_scenario(*k, fill_khai_tu(), dir) == 0);
  CHECK(label(*k, "capture.document") == "giay-bao-tu");
  CHECK(label(*k, "capture.status") == strings.get("vi", "capture.no_pages"));
  REQUIRE(test::play_scenario(*k, {{{"shot", "capture-vi-1-first"}}, {{"tap", "chrome.lang.en"}}, {{"shot", "capture-en-1-first"}},
                    {{"tap", "chrome.lang.vi"}}, {{"tap", "capture.scan"}}}, dir) == 0);
  wait_for_scan(*k);
  CHECK(label(*k, "capture.status") == "Đã quét 1 trang");
  CHECK(k->widgets().count("capture.problem") == 0);
  CHECK(k->widgets().count("capture.skip") == 0);  // a paper with a page is not skipped
  REQUIRE(test::play_scenario(*k, {{{"tap", "capture.retake.0"}}}, dir) == 0);
  wait_for_scan(*k);
  CHECK(label(*k, "capture.status") == "Đã quét 1 trang");
  REQUIRE(test::play_scenario(*k, {{{"tap", "capture.scan"}}}, dir) == 0);
  wait_for_scan(*k);
  CHECK(label(*k, "capture.status") == "Đã quét 2 trang");
  CHECK(label(*k, "capture.page.0") == "picture");  // the page as scanned, not a drawn sheet
  CHECK(label(*k, "capture.page.1") == "picture");
  CHECK(k->widgets().count("capture.scan") == 0);  // maxPages 2: no third page offered
  REQUIRE(test::play_scenario(*k, {{{"shot", "capture-vi-2-two-pages"}}, {{"tap", "chrome.contrast"}}, {{"shot", "capture-vi-2-contrast"}},
                    {{"tap", "chrome.contrast"}}, {{"tap", "chrome.lang.en"}},
                    {{"expect", {{"label", {{"capture.status", "2 pages scanned"}}}}}}, {{"shot", "capture-en-2-two-pages"}},
                    {{"tap", "chrome.lang.vi"}}, {{"tap", "capture.remove.1"}},
                    {{"expect", {{"widget", "ask.yes"}}}}, {{"shot", "capture-vi-3-ask"}}, {{"tap", "ask.yes"}},
                    {{"expect", {{"label", {{"capture.status", "Đã quét 1 trang"}}}}}},
                    {{"tap", "capture.next"}}, {{"expect", {{"label", {{"capture.document", "uy-quyen"}}}}}},
                    {{"shot", "capture-vi-4-optional"}}, {{"tap", "capture.skip"}},
                    {{"expect", {{"step", "review"}, {"noWidget", "review.missing.giay-bao-tu"}}}},
                    {{"tap", "review.consent"}}, {{"tap", "review.confirm"}}, {{"expect", {{"step", "receipt"}}}}},
               dir) == 0);
  // The picture is the scanned page: the test device's grid, black and white squares, in the tile.
  {
    std::ifstream meta_in(dir + "/capture-vi-2-two-pages.json");
    json tile = json::parse(meta_in)["widgets"]["capture.page.0"];
    int w = 0, h = 0, n = 0;
    unsigned char* px = stbi_load((dir + "/capture-vi-2-two-pages.png").c_str(), &w, &h, &n, 3);
    REQUIRE(px != nullptr);
    long dark = 0, light = 0, area = 0;
    for (int y = int(tile["y"].get<double>()) + 4; y < int(tile["y"].get<double>() + tile["h"].get<double>()) - 4; ++y)
      for (int x = int(tile["x"].get<double>()) + 4; x < int(tile["x"].get<double>() + tile["w"].get<double>()) - 4; ++x, ++area) {
        int v = px[(static_cast<size_t>(y) * w + x) * 3];
        dark += v < 60;
        light += v > 200;
      }
    stbi_image_free(px);
    REQUIRE(area > 1000);
    CHECK(dark > area / 5);
    CHECK(light > area / 5);
  }
  CHECK(k->session().receipt().from_portal);
  std::string uuid = k->session().dossier_uuid();
  auto papers = server.stored_documents();
  REQUIRE(papers.count(uuid) == 1);
  CHECK(papers[uuid]["giay-bao-tu"].first == 1);
  CHECK(papers[uuid]["uy-quyen"] == std::make_pair(0, std::string("counter")));
  keep_shots(dir);
  server.stop();
}

// The kiosk's loop runs until the camera's live picture is on screen, or `state` is, at most 10 s.
void wait_for_live(Kiosk& k, const std::string& state = "picture") {
  for (int i = 0; i < 200 && label(k, "capture.live") != state; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    k.frame();
  }
  REQUIRE(label(k, "capture.live") == state);
  k.settle();
}

TEST_CASE("the papers screen with a document camera: the live picture is what the camera sees, a page is taken, its words are a camera's") {
  test::FakeCamera camera;
  std::string dir = temp_dir();
  KioskConfig config;
  config.scanner = camera.scan_device();
  config.scanner_options = {{"rotate", "90"}};
  auto k = open_kiosk(config);
  Strings strings = Strings::load(root + "/locales", {"vi", "en"});
  REQUIRE(test::play_scenario(*k, fill_khai_tu(), dir) == 0);
  wait_for_live(*k);
  CHECK(label(*k, "capture.status") == strings.get("vi", "capture.camera.no_pages"));
  CHECK(label(*k, "capture.scan") == strings.get("vi", "capture.camera.scan"));
  // Live: the kiosk's own loop keeps drawing the camera's new frames with no touch at all.
  long presented = k->frames_presented();
  k->run(1.5);
  CHECK(k->frames_presented() - presented >= 3);
  REQUIRE(test::play_scenario(*k, {{{"shot", "camera-vi-1-live"}}}, dir) == 0);
  // Real pixels: the QR code under the camera reads off the kiosk's screen.
  CHECK(test::symbols_of(test::screen_as_paper(dir + "/camera-vi-1-live.png"), "QR-Code") ==
        std::vector<std::string>{test::FakeCamera::kSceneText});
  // Taken and cancelled at once: the camera is not "busy" afterwards (the cancelled process is
  // reaped before the live picture starts again).
  REQUIRE(test::play_scenario(*k, {{{"tap", "capture.scan"}}, {{"tap", "capture.cancel"}}}, dir) == 0);
  wait_for_live(*k);
  CHECK(label(*k, "capture.status") == strings.get("vi", "capture.camera.no_pages"));
  REQUIRE(test::play_scenario(*k, {{{"tap", "capture.scan"}}}, dir) == 0);
  wait_for_scan(*k);
  CHECK(label(*k, "capture.status") == "Đã chụp 1 trang");
  CHECK(label(*k, "capture.page.0") == "picture");
  CHECK(label(*k, "capture.retake.0") == strings.get("vi", "capture.camera.retake"));
  const CapturedDocument* taken = k->session().data().documents().find("giay-bao-tu");
  REQUIRE(taken != nullptr);
  CHECK(taken->pages.at(0).dpi == 200);
  wait_for_live(*k);  // back for the next page
  // A one-page paper is finished here: the screen says so, naming both buttons as they are.
  CHECK(label(*k, "capture.more") == strings.format("vi", "capture.camera.more", {{"scan", "Chụp trang 2"}, {"next", "Tiếp tục"}}));
  REQUIRE(test::play_scenario(*k, {{{"shot", "camera-vi-2-one-page"}}, {{"tap", "chrome.lang.en"}},
                    {{"expect", {{"label", {{"capture.status", "1 page photographed"}, {"capture.scan", "Take page 2"}}}}}},
                    {{"shot", "camera-en-2-one-page"}}, {{"tap", "chrome.lang.vi"}}},
               dir) == 0);
  // Pulled out: the next picture's process and the live picture after it find no camera.
  camera.set("FAKE_V4L2_FAULT", "vanish:2");
  REQUIRE(test::play_scenario(*k, {{{"tap", "capture.scan"}}}, dir) == 0);
  wait_for_scan(*k);
  CHECK(label(*k, "capture.problem") == "no-scanner");
  // A page is there, so no "Bỏ qua" is on screen: the sentence names the button that goes on.
  CHECK(label(*k, "capture.problem_text") ==
        strings.format("vi", "capture.camera.error.go_on", {{"count", "1"}, {"next", strings.get("vi", "nav.next")}}));
  CHECK(k->widgets().count("capture.skip") == 0);
  wait_for_live(*k, "no-scanner");
  // The sentence is said once: no second box, no instruction about a picture that is not there,
  // and the camera's button is no longer the main one.
  CHECK(k->widgets().count("capture.live_text") == 0);
  CHECK(label(*k, "capture.scan") == strings.get("vi", "capture.camera.retry"));  // not "Chụp trang 2": nothing to take it
  CHECK(k->session().data().documents().find("giay-bao-tu")->pages.size() == 1);  // the page taken stays
  REQUIRE(test::play_scenario(*k, {{{"shot", "camera-vi-3-unplugged"}}, {{"tap", "chrome.lang.en"}},
                    {{"expect", {{"label", {{"capture.problem_text", strings.format("en", "capture.camera.error.go_on",
                                                                                    {{"count", "1"}, {"next", "Continue"}})}}}}}},
                    {{"shot", "camera-en-3-unplugged"}}, {{"tap", "capture.next"}},
                    {{"expect", {{"label", {{"capture.document", "uy-quyen"}}}}}}},
               dir) == 0);
  keep_shots(dir);
}

TEST_CASE("the papers screen with no camera plugged in: the picture's place says so plainly and the paper can be skipped") {
  test::FakeCamera camera;
  camera.set("FAKE_V4L2_FAULT", "open-fails");
  std::string dir = temp_dir();
  KioskConfig config;
  config.scanner = camera.scan_device();
  auto k = open_kiosk(config);
  Strings strings = Strings::load(root + "/locales", {"vi", "en"});
  REQUIRE(test::play_scenario(*k, fill_khai_tu(), dir) == 0);
  wait_for_live(*k, "no-scanner");
  CHECK(label(*k, "capture.live_text") == strings.get("vi", "capture.camera.error.no_scanner"));
  CHECK(k->widgets().count("capture.problem") == 0);
  CHECK(label(*k, "capture.scan") == strings.get("vi", "capture.camera.retry"));
  REQUIRE(test::play_scenario(*k, {{{"shot", "camera-vi-4-absent"}}, {{"tap", "capture.skip"}},
                    {{"expect", {{"step", "capture"}, {"label", {{"capture.document", "uy-quyen"}}}}}}},
               dir) == 0);
  CHECK(k->session().data().documents().find("giay-bao-tu")->at_counter);
  keep_shots(dir);
}

TEST_CASE("the papers screen: Tiep tuc on a required paper with no page asks plainly, scan it or bring it, never passes it by") {
  std::string dir = temp_dir();
  KioskConfig config;
  config.scanner = "test:0";
  config.scanner_options = {{"test-picture", "Grid"}};
  auto k = open_kiosk(config);
  Strings strings = Strings::load(root + "/locales", {"vi", "en"});
  REQUIRE(test::play_scenario(*k, fill_khai_tu(), dir) == 0);
  REQUIRE(test::play_scenario(*k, {{{"tap", "capture.next"}},
                    {{"expect", {{"step", "capture"},
                                 {"label", {{"ask.title", strings.get("vi", "ask.paper_needed.title")}, {"ask.paper", "giay-bao-tu"},
                                            {"ask.no", strings.get("vi", "ask.paper_needed.scan")},
                                            {"ask.yes", strings.get("vi", "capture.skip")}}}}}},
                    {{"shot", "capture-vi-7-required"}}, {{"tap", "chrome.lang.en"}},
                    {{"expect", {{"label", {{"ask.title", strings.get("en", "ask.paper_needed.title")}}}}}},
                    {{"shot", "capture-en-7-required"}}, {{"tap", "chrome.lang.vi"}},
                    // "Quay lại quét giấy này": back on the same paper, its scan button there, nothing promised
                    {{"tap", "ask.no"}},
                    {{"expect", {{"step", "capture"}, {"noWidget", "ask.title"}, {"widget", "capture.scan"},
                                 {"label", {{"capture.document", "giay-bao-tu"}}}}}}},
               dir) == 0);
  CHECK(k->session().data().documents().find("giay-bao-tu") == nullptr);
  // Asked again, "Bỏ qua, tôi mang giấy đến quầy": promised, on to the optional paper, which
  // "Tiếp tục" passes by without a question; the review misses nothing.
  REQUIRE(test::play_scenario(*k, {{{"tap", "capture.next"}}, {{"expect", {{"widget", "ask.yes"}}}}, {{"tap", "ask.yes"}},
                    {{"expect", {{"step", "capture"}, {"noWidget", "ask.title"}, {"label", {{"capture.document", "uy-quyen"}}}}}},
                    {{"tap", "capture.next"}},
                    {{"expect", {{"step", "review"}, {"noWidget", "review.missing.giay-bao-tu"}}}},
                    {{"tap", "review.consent"}}, {{"tap", "review.confirm"}}, {{"expect", {{"step", "receipt"}}}}},
               dir) == 0);
  const CapturedDocument* promised = k->session().data().documents().find("giay-bao-tu");
  REQUIRE(promised != nullptr);
  CHECK(promised->at_counter);
  CHECK(promised->pages.empty());
  keep_shots(dir);
}

TEST_CASE("the papers screen: a jammed scanner gets its plain sentence in vi and en, and the paper can be skipped") {
  std::string dir = temp_dir();
  KioskConfig config;
  config.scanner = "test:0";
  config.scanner_options = {{"read-return-value", "SANE_STATUS_JAMMED"}};
  auto k = open_kiosk(config);
  Strings strings = Strings::load(root + "/locales", {"vi", "en"});
  REQUIRE(test::play_scenario(*k, fill_khai_tu(), dir) == 0);
  REQUIRE(test::play_scenario(*k, {{{"tap", "capture.scan"}}}, dir) == 0);
  wait_for_scan(*k);
  CHECK(label(*k, "capture.problem") == "jammed");
  CHECK(label(*k, "capture.problem_text") == strings.get("vi", "capture.error.jammed"));
  REQUIRE(test::play_scenario(*k, {{{"shot", "capture-vi-5-jammed"}}, {{"tap", "chrome.lang.en"}},
                    {{"expect", {{"label", {{"capture.problem_text", strings.get("en", "capture.error.jammed")}}}}}},
                    {{"shot", "capture-en-5-jammed"}}, {{"tap", "capture.skip"}},
                    {{"expect", {{"step", "capture"}, {"label", {{"capture.document", "uy-quyen"}}}}}}},
               dir) == 0);
  CHECK(k->session().data().documents().find("giay-bao-tu")->at_counter);
  keep_shots(dir);
}

TEST_CASE("the papers screen: while scanning it says so and offers Huy, which stops the scan") {
  std::string dir = temp_dir();
  KioskConfig config;
  config.scanner = "test:0";
  config.scanner_options = {{"read-delay", "true"}, {"read-delay-duration", "200000"}};
  auto k = open_kiosk(config);
  REQUIRE(test::play_scenario(*k, fill_khai_tu(), dir) == 0);
  REQUIRE(test::play_scenario(*k, {{{"tap", "capture.scan"}}, {{"expect", {{"widget", "capture.scanning"}, {"noWidget", "capture.next"}}}},
                    {{"shot", "capture-vi-6-scanning"}}, {{"tap", "chrome.lang.en"}}, {{"shot", "capture-en-6-scanning"}},
                    {{"tap", "capture.cancel"}},
                    {{"expect", {{"noWidget", "capture.scanning"}, {"widget", "capture.scan"}}}}},
               dir) == 0);
  CHECK_FALSE(k->session().scanning());
  CHECK(k->widgets().count("capture.problem") == 0);  // the citizen's own cancel needs no sentence
  keep_shots(dir);
}

TEST_CASE("the staff screen counts each dossier's papers: scanned, and to bring to the counter, never more than counts") {
  std::string dir = temp_dir();
  intake::CredentialFiles keys = intake::make_demo_credentials(dir + "/keys");
  intake::IntakeConfig server_config = intake::demo_intake_config(keys, dir + "/intake.sqlite");
  server_config.holidays_file = root + "/assets/holidays/vn.json";
  intake::IntakeServer server(server_config);
  server.start();
  KioskConfig config;
  config.printer = "file:" + dir + "/paper";
  config.printer_profile = "80mm-raster";
  config.data_dir = dir + "/kiosk";
  config.endpoint = server.url();
  config.portal_token = server_config.kiosks.at("KIOSK-01");
  config.portal_ca_file = keys.ca_cert;
  config.envelope_key_file = keys.envelope_public;
  config.portal_wait_seconds = 5;
  config.scanner = "test:0";
  config.scanner_options = {{"test-picture", "Grid"}};
  config.staff = {{"CB-01", hash_pin("2468", kOldestPinIterations)}};
  auto k = open_kiosk(config);
  Strings strings = Strings::load(root + "/locales", {"vi", "en"});

  // khai-tu: the death notice scanned (one page), the letter of authorisation brought to the counter.
  REQUIRE(test::play_scenario(*k, fill_khai_tu(), dir) == 0);
  REQUIRE(test::play_scenario(*k, {{{"tap", "capture.scan"}}}, dir) == 0);
  wait_for_scan(*k);
  REQUIRE(test::play_scenario(*k, {{{"tap", "capture.next"}}, {{"expect", {{"label", {{"capture.document", "uy-quyen"}}}}}},
                    {{"tap", "capture.skip"}}, {{"expect", {{"step", "review"}}}},
                    {{"tap", "review.consent"}}, {{"tap", "review.confirm"}}, {{"expect", {{"step", "receipt"}}}}},
               dir) == 0);
  std::string code = k->session().reference();
  REQUIRE_FALSE(code.empty());
  REQUIRE(test::play_scenario(*k, {{{"tap", "receipt.done"}}, {{"expect", {{"step", "attract"}}}},
                    {{"tap", "attract.staff"}}, {{"tap", "volunteer.digit.2"}}, {{"tap", "volunteer.digit.4"}},
                    {{"tap", "volunteer.digit.6"}}, {{"tap", "volunteer.digit.8"}}, {{"tap", "volunteer.ok"}},
                    {{"expect", {{"step", "staff"}}}}, {{"shot", "staff-vi-papers"}}},
               dir) == 0);
  std::string line = strings.format("vi", "staff.dossier_papers", {{"code", code}, {"procedure", "Đăng ký khai tử"},
                                                                    {"scanned", "1"}, {"counter", "1"}});
  CHECK(label(*k, "staff.dossier." + code) == line);
  CHECK(label(*k, "staff.dossiers") == "1");
  // Only counts: no name, no paper's name on the staff screen.
  for (const auto& widget : k->widgets()) {
    const std::string& where = widget.first;
    CHECK_MESSAGE(widget.second.label.find("Trần Văn") == std::string::npos, where);
    CHECK_MESSAGE(widget.second.label.find("Giấy báo tử") == std::string::npos, where);
  }
  REQUIRE(test::play_scenario(*k, {{{"tap", "chrome.lang.en"}}, {{"shot", "staff-en-papers"}}}, dir) == 0);
  keep_shots(dir);
  server.stop();
}
