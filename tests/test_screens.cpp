// The real kiosk in a real window under Xvfb: scenarios, pixels read back, idle behaviour.
#include <doctest/doctest.h>

#include <imgui.h>
#include <imgui_internal.h>
#include <stb_image.h>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <deque>
#include <filesystem>
#include <thread>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>

#include "terminal/ui/kiosk.h"
#include "terminal/ui/screens/screens.h"
#include "terminal/ui/script.h"
#include "devices/printer/vietqr.h"
#include "forms/text.h"
#include "terminal/services/volunteers.h"
#include "tests/intake/credentials.h"
#include "tests/intake/intake_server.h"
#include "tests/support/barcode_reader.h"
#include "tests/support/escpos_decoder.h"
#include "tests/support/fake_printer.h"
#include "tests/support/files.h"
#include "tests/support/history_generator.h"
#include "tests/support/small_disk.h"
#include "terminal/core/input.h"
#include "terminal/services/stats.h"
#include "tests/support/xvfb.h"

using namespace motcua;
using nlohmann::json;

namespace {

const std::string root = MOTCUA_SOURCE_ROOT;

// A test's folders go when its process exits, after every kiosk, portal and printer thread that
// wrote into them has stopped: removed at the test's end, one raced a receipt still being written.
// MOTCUA_KEEP_SHOTS keeps them to be looked at.
struct TestFolders {
  std::deque<std::string> paths;
  ~TestFolders() {
    if (std::getenv("MOTCUA_KEEP_SHOTS")) return;
    std::error_code ec;
    for (auto& p : paths) std::filesystem::remove_all(p, ec);
  }
};

std::string temp_dir() {
  static TestFolders made;
  std::string pattern = (std::filesystem::temp_directory_path() / "motcua-shots-XXXXXX").string();
  REQUIRE(mkdtemp(pattern.data()) != nullptr);
  return made.paths.emplace_back(pattern);
}

KioskConfig quiet_printer() {
  KioskConfig c;
  c.printer = "file:" + (std::filesystem::temp_directory_path() / "motcua-test-receipts").string();
  c.data_dir = temp_dir();  // each kiosk its own history: no evaluation left over from another run
  return c;
}

std::unique_ptr<Kiosk> open_kiosk(const std::string& backend = "glfw", double redraw_every = 0,
                                  KioskConfig config = quiet_printer(), int width = 1080, int height = 1920,
                                  std::optional<CardPort> card_port = {}) {
  test::ensure_xvfb();  // its screen is 1920x1920: room for a portrait or a landscape window
  KioskOptions o;
  o.backend = backend;
  o.window.fullscreen = false;
  o.window.hide_cursor = false;
  o.window.width = width;
  o.window.height = height;
  o.data_root = root;
  o.redraw_every = redraw_every;
  // A reader only when given (the kiosk then offers the card): never the machine's own pcscd, which
  // a demo run or a developer's reader would put in every visit.
  o.card_port = card_port ? *card_port : CardPort{};
  // Nor the machine's own data folder (~/.local/state/motcua): a kiosk running there holds its lock.
  if (config.data_dir.empty() || config.data_dir == KioskConfig{}.data_dir) config.data_dir = temp_dir();
  if (config.printer == KioskConfig{}.printer) config.printer = "file:" + config.data_dir + "/receipts";
  auto k = std::make_unique<Kiosk>(config, Strings::load(root + "/locales", config.locales),
                                   Catalog::load(root + "/assets/forms"), o);
  std::string error;
  REQUIRE_MESSAGE(k->open(error), error);
  return k;
}

// A tap on a widget as a finger gives it (hover, press, release: three frames) and nothing after:
// no settling, so a test sees the picture of the release itself.
void finger_tap(Kiosk& k, const std::string& id) {
  const ImVec2 at = k.widgets().at(id).center();
  k.session().on_input(k.now());
  for (bool down : {false, true, false}) {
    k.inject({at, down});
    k.frame();
  }
  k.inject({});
}

int play(Kiosk& k, const json& steps, const std::string& dir, std::string* err_out = nullptr) {
  std::ostringstream out, err;
  int rc = run_script(k, parse_script(json{{"steps", steps}}, "test"), dir, out, err);
  if (err_out) *err_out = err.str();
  else if (rc != 0) MESSAGE(err.str());
  return rc;
}

struct Image {
  int w = 0, h = 0;
  std::vector<unsigned char> rgb;
  std::array<int, 3> at(float x, float y) const {
    size_t i = (static_cast<size_t>(y) * w + static_cast<size_t>(x)) * 3;
    return {rgb[i], rgb[i + 1], rgb[i + 2]};
  }
};

Image load_png(const std::string& path) {
  Image img;
  int n = 0;
  unsigned char* p = stbi_load(path.c_str(), &img.w, &img.h, &n, 3);
  REQUIRE_MESSAGE(p != nullptr, path);
  img.rgb.assign(p, p + static_cast<size_t>(img.w) * img.h * 3);
  stbi_image_free(p);
  return img;
}

json load_json(const std::string& path) {
  std::ifstream in(path);
  return json::parse(in);
}

bool near(std::array<int, 3> px, ImU32 col, int tol = 6) {
  ImVec4 c = ImGui::ColorConvertU32ToFloat4(col);
  int want[3] = {int(c.x * 255 + 0.5f), int(c.y * 255 + 0.5f), int(c.z * 255 + 0.5f)};
  for (int i = 0; i < 3; ++i)
    if (std::abs(px[i] - want[i]) > tol) return false;
  return true;
}

// Share of pixels that differ from the page background: a blank frame scores 0.
double ink_share(const Image& img) {
  size_t ink = 0;
  for (int y = 0; y < img.h; y += 4)
    for (int x = 0; x < img.w; x += 4) ink += !near(img.at(x, y), palette(false).background, 2);
  return static_cast<double>(ink) / ((img.w / 4) * (img.h / 4));
}

// Tapping a field opens the kiosk keyboard; typing goes in as from a hardware keyboard, and Done
// closes the kiosk keyboard again so the fields below are not under it.
json typed(const std::string& field, const std::string& text) {
  return json::array({{{"tap", "field" + field}}, {{"type", text}}, {{"tap", "key.done"}}});
}

json close_keyboard_after_typing(const json& steps) {
  json out = json::array();
  for (auto& s : steps) {
    out.push_back(s);
    if (s.contains("type")) out.push_back({{"tap", "key.done"}});
  }
  return out;
}

// The birth registration after the child's name and date of birth: on the same step, the child's
// sex, ethnic group, place of birth and of origin (nationality defaults to Việt Nam), the mother,
// no father, ending on the last step (the pledge and copies, nothing to fill).
json birth_rest() {
  // The step is long (seven questions): the page is scrolled up as a citizen would, at 200 % too.
  json s = json::array({{{"tap", "option/child/sex.0"}}, {{"scroll", -3}}, {{"tap", "search/child/ethnicity"}},
                        {{"type", "kinh"}}, {{"tap", "option/child/ethnicity.0"}}, {{"scroll", -10}}});
  for (auto& x : typed("/child/placeOfBirth", "Bệnh viện Phụ sản Hà Nội")) s.push_back(x);
  for (auto& x : typed("/child/hometown", "Xã Tân Phong, Tỉnh Lai Châu")) s.push_back(x);
  s.push_back({{"tap", "nav.next"}});
  for (auto& x : typed("/mother/fullName", "Nguyễn Thị Lan")) s.push_back(x);
  for (auto& x : typed("/mother/birthYear", "1995")) s.push_back(x);
  for (json x : {json{{"tap", "search/mother/ethnicity"}}, json{{"type", "kinh"}}, json{{"tap", "option/mother/ethnicity.0"}},
                 json{{"scroll", -5}}})
    s.push_back(x);
  for (auto& x : typed("/mother/placeOfResidence", "Số 12 phố Hàng Bạc, Hà Nội")) s.push_back(x);
  s.push_back({{"tap", "nav.next"}});
  s.push_back({{"tap", "nav.next"}});
  return s;
}

// Steps 2 to 5 of the birth registration, filled correctly, up to the last step's Next.
json child_step() {
  json s = json::array();
  for (auto& x : typed("/child/fullName", "Trần Minh An")) s.push_back(x);
  s.push_back({{"tap", "date/child/dateOfBirth.year.minus"}});  // the picker starts at today: a year ago
  for (auto& x : birth_rest()) s.push_back(x);
  return s;
}

json tour(const std::string& lang) {
  json head = close_keyboard_after_typing(json::array({
      {{"shot", lang + "-attract"}},
      {{"tap", "attract.start"}},
      {{"shot", lang + "-language"}},
      {{"tap", "language." + lang}},
      {{"shot", lang + "-catalog"}},
      {{"tap", "catalog.form.khai-sinh"}},
      {{"shot", lang + "-procedure"}},
      {{"tap", "procedure.start"}},
      {{"shot", lang + "-identify"}},
      // This kiosk has no card reader: no card button that leads to "not here", one way on.
      {{"expect", {{"widget", "identify.no_reader"}, {"noWidget", "identify.card"}}}},
      {{"tap", "identify.manual"}},
      {{"tap", "field/declarant/fullName"}},
      {{"type", "Nguyễn Thị Ánh Tuyết"}},
      {{"tap", "nav.next"}},  // incomplete: Next shows what is missing instead of moving on
      {{"expect", {{"step", "form"}, {"formStep", 0}, {"widget", "error/declarant/idNumber"}}}},
      {{"shot", lang + "-form"}},
      {{"tap", "field/declarant/idNumber"}}, {{"type", "12345"}}, {{"tap", "nav.next"}},
      {{"expect", {{"formStep", 0}, {"widget", "error/declarant/idNumber"}}}},
      {{"tap", "field/declarant/fullName"}},  // finishing a field re-checks it at once
      {{"expect", {{"widget", "error/declarant/idNumber"}}}},
      {{"tap", "key.done"}},  // at 200 % the keyboard would cover the number field tapped next
      {{"tap", "field/declarant/idNumber"}}, {{"type", "6789012"}},
      {{"tap", "option/declarant/relationship.1"}},  // Mẹ
      {{"tap", "nav.next"}},
      {{"expect", {{"formStep", 1}, {"noWidget", "error/declarant/idNumber"}}}},
      {{"tap", "field/child/fullName"}}, {{"type", "Trần Minh An"}},
      {{"tap", "date/child/dateOfBirth.day.minus"}}, {{"tap", "date/child/dateOfBirth.year.minus"}},
  }));
  for (auto& x : birth_rest()) head.push_back(x);
  for (auto& x : close_keyboard_after_typing(json::array({
      {{"tap", "nav.next"}},
      {{"shot", lang + "-review"}},
      {{"tap", "review.consent"}}, {{"tap", "review.confirm"}},
      {{"expect", {{"step", "receipt"}}}},
      {{"shot", lang + "-receipt"}},
      {{"tap", "receipt.next"}},
      {{"shot", lang + "-evaluation"}},
      {{"tap", "evaluation.rate.1"}}, {{"tap", "evaluation.rate.2"}}, {{"tap", "evaluation.rate.1"}},
      {{"tap", "evaluation.rate.3"}},
      {{"shot", lang + "-evaluation-comment"}},
      {{"tap", "evaluation.send"}},
      {{"shot", lang + "-thank_you"}},
      {{"tap", "thank_you.finish"}},
      {{"expect", {{"step", "attract"}, {"personalDataEmpty", true}}}},
  })))
    head.push_back(x);
  return head;
}

}  // namespace

TEST_CASE("a scripted visit draws every screen in vi and en, laid out where the widgets say") {
  std::string dir = temp_dir();
  for (std::string lang : {"vi", "en"}) {
    auto k = open_kiosk();
    REQUIRE(play(*k, tour(lang), dir) == 0);
    for (const char* screen : {"attract", "language", "catalog", "identify", "form", "review",
                               "receipt", "evaluation", "thank_you"}) {
      std::string base = dir + "/" + lang + "-" + screen;
      CAPTURE(base);
      Image img = load_png(base + ".png");
      json meta = load_json(base + ".json");
      CHECK(img.w == 1080);
      CHECK(img.h == 1920);
      CHECK(ink_share(img) > 0.02);
      CHECK(near(img.at(4, 4), palette(false).bar));  // the top bar is drawn
      // Language switch on every screen; the attract screen is drawn before a language is chosen.
      std::string other = meta["language"] == "vi" ? "en" : "vi";
      CHECK(meta["widgets"].contains("chrome.lang." + other));
      CHECK(meta["widgets"].contains("chrome.help"));  // "Cần giúp đỡ" for everyone, everywhere
      for (auto& [id, w] : meta["widgets"].items()) {
        CAPTURE(id);
        // The whole birth declaration's review is taller than the screen: what starts below it is
        // scrolled content, not a layout that leaves the screen.
        if (screen == std::string("review") && w["y"].get<double>() >= img.h) continue;
        CHECK(w["x"].get<double>() >= 0);
        CHECK(w["x"].get<double>() + w["w"].get<double>() <= img.w + 0.5);
        CHECK(w["y"].get<double>() + w["h"].get<double>() <= img.h + 0.5);
        if (w["interactive"] == true)  // touch targets keep the minimum size; text may be smaller
          CHECK(w["h"].get<double>() >= meta["pixelsPerMm"].get<double>() * KioskConfig().min_touch_mm - 0.5);
      }
    }
    // Pixels where the layout put the primary buttons carry the primary colour.
    json attract = load_json(dir + "/" + lang + "-attract.json")["widgets"]["attract.start"];
    Image img = load_png(dir + "/" + lang + "-attract.png");
    CHECK(near(img.at(attract["x"].get<float>() + 10, attract["y"].get<float>() + 10), palette(false).primary));
    json next = load_json(dir + "/" + lang + "-form.json")["widgets"]["nav.next"];
    Image form = load_png(dir + "/" + lang + "-form.png");
    CHECK(near(form.at(next["x"].get<float>() + 8, next["y"].get<float>() + 8), palette(false).primary));
  }
  // The receipt shows the reference the sink issued, in either language.
  CHECK(load_json(dir + "/en-receipt.json")["widgets"]["receipt.code"]["label"].get<std::string>().rfind("DEMO-KIOSK-01-", 0) == 0);
  // A demo kiosk never says "received": its receipt screen says it is a demo.
  CHECK(load_json(dir + "/vi-receipt.json")["widgets"]["receipt.title"]["label"] == "demo");
  CHECK(load_json(dir + "/en-receipt.json")["widgets"]["receipt.title"]["label"] == "demo");
  CHECK_FALSE(load_json(dir + "/vi-receipt.json")["widgets"].contains("receipt.pending"));
  // Without a card reader nothing promises the card: the start screen's second step and the
  // procedure page say the answers are typed.
  Strings strings = Strings::load(root + "/locales", {"vi", "en"});
  CHECK(load_json(dir + "/vi-attract.json")["widgets"]["attract.step.2"]["label"] == strings.get("vi", "attract.step_card_none"));
  CHECK(load_json(dir + "/vi-procedure.json")["widgets"]["procedure.card"]["label"] == strings.get("vi", "procedure.card_no_reader"));
  CHECK(load_json(dir + "/vi-catalog.json")["widgets"]["catalog.search"]["label"] == "Tìm thủ tục (gõ không dấu cũng được)");
  CHECK(load_json(dir + "/en-catalog.json")["widgets"]["catalog.search"]["label"] == "Search procedures (accents optional)");
}

TEST_CASE("search typed on the catalog screen ignores diacritics") {
  auto k = open_kiosk();
  std::string dir = temp_dir();
  CHECK(play(*k, {{{"tap", "attract.start"}}, {{"tap", "language.vi"}}, {{"tap", "catalog.search"}},
                  {{"type", "ly lich"}},
                  {{"expect", {{"widget", "catalog.form.ly-lich-tu-phap"}, {"noWidget", "catalog.form.khai-sinh"}}}}},
             dir) == 0);
}

TEST_CASE("an idle kiosk sleeps instead of redrawing") {
  auto k = open_kiosk();
  std::string dir = temp_dir();
  REQUIRE(play(*k, {{{"tap", "attract.start"}}, {{"tap", "language.vi"}}, {{"tap", "catalog.form.khai-sinh"}}, {{"tap", "procedure.start"}},
                    {{"tap", "identify.manual"}}, {{"expect", {{"step", "form"}}}}},
               dir) == 0);
  LoopStats idle = k->run(1.5);
  CHECK(idle.frames <= 2);   // at most an expose from the X server; no input, no deadline
  CHECK(idle.wakeups <= 2);  // nothing to wake for: the idle deadline is 90 s away
  CHECK(k->session().step() == Step::Form);
  k.reset();  // one kiosk (one ImGui context, one window) at a time

  // The fixed-tick baseline does redraw: 40 ticks in 2 s; a loaded machine draws fewer, never 2.
  auto ticking = open_kiosk("glfw", 0.05);
  CHECK(ticking->run(2.0).frames >= 6);
}

TEST_CASE("under systemd's watchdog the idle loop pings without drawing, after READY at the first frame") {
  // A stand-in for systemd's notify socket; the kiosk reads the watchdog settings when made.
  std::string dir = temp_dir();
  std::string sock_path = dir + "/notify";
  int sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  REQUIRE(sock >= 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, sock_path.c_str(), sizeof addr.sun_path - 1);
  REQUIRE(bind(sock, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  setenv("NOTIFY_SOCKET", sock_path.c_str(), 1);
  setenv("WATCHDOG_USEC", "200000", 1);  // pings every 0.1 s
  // As under motcua-kiosk.service: the watchdog is cage's, the kiosk is cage's child.
  setenv("WATCHDOG_PID", std::to_string(getppid()).c_str(), 1);
  // Like systemd, read as they come: a datagram queue holds only a few before the sender blocks.
  std::vector<std::string> messages;
  std::atomic<bool> listening{true};
  std::thread listener([&] {
    char buf[256];
    while (listening) {
      ssize_t n = recv(sock, buf, sizeof buf, MSG_DONTWAIT);
      if (n > 0) messages.emplace_back(buf, n);
      else std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });
  auto k = open_kiosk();
  REQUIRE(play(*k, {{{"tap", "attract.start"}}, {{"tap", "language.vi"}}}, dir) == 0);
  LoopStats idle = k->run(1.5);
  unsetenv("NOTIFY_SOCKET");  // sd_notify reads it at every call
  unsetenv("WATCHDOG_USEC");
  unsetenv("WATCHDOG_PID");
  listening = false;
  listener.join();
  CHECK(idle.frames <= 2);     // the pings wake the loop but draw nothing
  CHECK(idle.wakeups >= 10);
  REQUIRE_FALSE(messages.empty());
  CHECK(messages.front().rfind("READY=1", 0) == 0);
  CHECK(std::count(messages.begin(), messages.end(), "WATCHDOG=1") >= 10);
  close(sock);
}

TEST_CASE("the idle countdown wipes typed text, including ImGui's own edit buffers") {
  auto k = open_kiosk();
  std::string dir = temp_dir();
  const int idle = KioskConfig().idle_seconds, more = KioskConfig().more_time_seconds;
  REQUIRE(play(*k, {{{"tap", "attract.start"}}, {{"tap", "language.vi"}}, {{"tap", "catalog.form.khai-sinh"}}, {{"tap", "procedure.start"}},
                    {{"tap", "identify.manual"}}, {{"tap", "field/declarant/fullName"}}, {{"type", "Đặng Thùy Trâm"}}},
               dir) == 0);
  ImGuiInputTextState& st = ImGui::GetCurrentContext()->InputTextState;
  CHECK(st.CurLenW > 0);  // ImGui holds a copy while the field is being edited
  CHECK(*k->session().data().find("/declarant/fullName") == "Đặng Thùy Trâm");

  REQUIRE(play(*k, {{{"advance", idle}},
                    {{"expect", {{"moreTime", true}, {"widget", "more_time.continue"}, {"noWidget", "field/declarant/fullName"}}}},
                    {{"expect", {{"label", {{"more_time.seconds", std::to_string(more)}}}}}}},
               dir) == 0);
  // "End and erase" lies far below "more time": a shaking finger meant for one does not hit the other.
  CHECK(k->widgets().at("more_time.end").min.y - k->widgets().at("more_time.continue").max.y >= 12 * k->pixels_per_mm());
  REQUIRE(play(*k, {{{"advance", 5}},
                    {{"expect", {{"label", {{"more_time.seconds", std::to_string(more - 5)}}}}}},
                    {{"shot", "more-time"}},
                    {{"advance", more - 5}},
                    {{"expect", {{"step", "attract"}, {"personalDataEmpty", true}}}}},
               dir) == 0);
  CHECK(k->session().last_end_reason() == EndReason::Timeout);
  CHECK(st.CurLenW == 0);
  CHECK(st.TextW.Size == 0);
  CHECK(st.TextA.Size == 0);
  CHECK(st.InitialTextA.Size == 0);
  CHECK(ink_share(load_png(dir + "/more-time.png")) > 0.02);
}

TEST_CASE("the text size switch rebuilds the font atlas at the new pixel size") {
  auto k = open_kiosk();
  std::string dir = temp_dir();
  float base = ImGui::GetIO().Fonts->Fonts[0]->FontSize;
  CHECK(base == doctest::Approx(std::round(KioskConfig().text_mm * k->pixels_per_mm())));
  // The button says what a tap does: larger until the largest, then back to normal.
  REQUIRE(play(*k, {{{"tap", "attract.start"}}, {{"tap", "language.vi"}},
                    {{"expect", {{"label", {{"chrome.text_size", "Chữ to hơn"}}}}}}, {{"tap", "chrome.text_size"}},
                    {{"expect", {{"textPercent", 150}, {"label", {{"chrome.text_size", "Chữ to hơn"}}}}}}, {{"tap", "chrome.text_size"}},
                    {{"expect", {{"textPercent", 200}, {"label", {{"chrome.text_size", "Chữ cỡ thường"}}}}}}, {{"shot", "catalog-200"}},
                    {{"tap", "catalog.form.thuong-tru"}}, {{"tap", "procedure.start"}}, {{"tap", "identify.manual"}}, {{"shot", "form-200"}}},
               dir) == 0);
  CHECK(ImGui::GetIO().Fonts->Fonts[0]->FontSize == doctest::Approx(std::round(base * 2)).epsilon(0.02));
  for (const char* shot : {"catalog-200", "form-200"}) {
    json meta = load_json(dir + "/" + shot + ".json");
    for (auto& [id, w] : meta["widgets"].items()) {
      CAPTURE(id);
      CHECK(w["x"].get<double>() + w["w"].get<double>() <= 1080.5);
    }
    // The centre name wraps onto its own line above the buttons instead of being cut.
    json name = meta["widgets"]["chrome.center"], lang = meta["widgets"]["chrome.lang.en"];
    CHECK(name["y"].get<double>() + name["h"].get<double>() <= lang["y"].get<double>());
  }
  // A date's year stands level with its buttons, which grow with the text.
  json form = load_json(dir + "/form-200.json")["widgets"];
  json year = form["date/applicant/dateOfBirth.year.grid"], minus = form["date/applicant/dateOfBirth.year.minus"];
  CHECK(year["y"].get<double>() == doctest::Approx(minus["y"].get<double>()));
  CHECK(year["h"].get<double>() == doctest::Approx(minus["h"].get<double>()));
  REQUIRE(play(*k, {{{"tap", "chrome.end"}}, {{"tap", "ask.yes"}}, {{"expect", {{"step", "attract"}, {"textPercent", 100}}}}}, dir) == 0);
  CHECK(ImGui::GetIO().Fonts->Fonts[0]->FontSize == doctest::Approx(base));
}

TEST_CASE("the font atlas is built once, before the window opens: the first frames neither build it again nor keep its pixels") {
  auto k = open_kiosk();
  std::string dir = temp_dir();
  // Drawn with the fonts: the start button's label is on screen (ink of the button's text colour).
  REQUIRE(play(*k, {{{"shot", "attract"}}}, dir) == 0);
  ImFontAtlas& atlas = *ImGui::GetIO().Fonts;
  CHECK(atlas.TexID != ImTextureID{});
  CHECK(atlas.Fonts.Size == 3);
  // The GPU holds the texture; a CPU copy still here after the first frames means the renderer
  // built the whole atlas a second time for its own upload (2.5 MB at 512x1024, and the time).
  CHECK(atlas.TexPixelsAlpha8 == nullptr);
  CHECK(atlas.TexPixelsRGBA32 == nullptr);
  Image img = load_png(dir + "/attract.png");
  json w = load_json(dir + "/attract.json")["widgets"]["attract.start"];
  int text_px = 0;  // inside the button, clear of its rounded corners
  const float x0 = w["x"].get<float>(), y0 = w["y"].get<float>(), bw = w["w"].get<float>(), bh = w["h"].get<float>();
  for (float y = y0 + bh * 0.15f; y < y0 + bh * 0.85f; y += 1)
    for (float x = x0 + bw * 0.1f; x < x0 + bw * 0.9f; x += 1) text_px += !near(img.at(x, y), palette(false).primary);
  CHECK(text_px > 500);
}

// Height in pixels of the first run of rows inside a widget's rectangle that hold pixels `ink`
// says are text: the first line's letters, measured on the screen as drawn.
int first_line_ink(const Image& img, const json& w, const std::function<bool(std::array<int, 3>)>& ink) {
  int x0 = static_cast<int>(w["x"].get<double>()) + 4, x1 = static_cast<int>(w["x"].get<double>() + w["w"].get<double>()) - 4;
  int y0 = static_cast<int>(w["y"].get<double>()) + 2, y1 = static_cast<int>(w["y"].get<double>() + w["h"].get<double>()) - 2;
  int run = 0;
  for (int y = std::max(y0, 0); y < std::min(y1, img.h); ++y) {
    bool any = false;
    for (int x = std::max(x0, 0); x < std::min(x1, img.w) && !any; ++x) any = ink(img.at(x, y));
    if (any) ++run;
    else if (run > 0) break;
  }
  return run;
}

TEST_CASE("at 200 % the keyboard's letters grow and the receipt code is never smaller than at 100 %") {
  auto dark = [](std::array<int, 3> px) { return px[0] + px[1] + px[2] < 3 * 110; };
  auto primary = [](std::array<int, 3> px) { return near(px, palette(false).primary, 40); };
  std::map<int, int> letter, code_line, code_h;
  for (int percent : {100, 200}) {
    std::string dir = temp_dir();
    auto k = open_kiosk();  // one kiosk at a time: ImGui has one context
    json size_taps = json::array();
    for (int p = 100; p < percent; p += 50) size_taps.push_back({{"tap", "chrome.text_size"}});
    json steps = json::array({{{"tap", "attract.start"}}, {{"tap", "language.en"}}});
    for (auto& t : size_taps) steps.push_back(t);
    for (auto& t : json::array({{{"expect", {{"textPercent", percent}}}}, {{"tap", "catalog.form.khai-sinh"}},
                                {{"tap", "procedure.start"}}, {{"tap", "identify.manual"}},
                                {{"tap", "field/declarant/fullName"}}, {{"shot", "keyboard"}}}))
      steps.push_back(t);
    REQUIRE(play(*k, steps, dir) == 0);
    json kb = load_json(dir + "/keyboard.json")["widgets"];
    Image img = load_png(dir + "/keyboard.png");
    letter[percent] = first_line_ink(img, kb["key.q"], dark);
    for (auto& [id, w] : kb.items())  // every key on the screen, however large
      if (id.rfind("key.", 0) == 0) CHECK_MESSAGE(w["x"].get<double>() + w["w"].get<double>() <= img.w + 0.5, id);

    // The receipt of a whole visit, shown at this text size.
    k.reset();
    auto k2 = open_kiosk();
    json visit = tour("en");
    json sized = json::array();
    for (auto& step : visit) {
      if (step.contains("shot") && step["shot"] == "en-receipt")
        for (auto& t : size_taps) sized.push_back(t);
      sized.push_back(step);
    }
    REQUIRE(play(*k2, sized, dir) == 0);
    json code = load_json(dir + "/en-receipt.json")["widgets"]["receipt.code"];
    Image receipt = load_png(dir + "/en-receipt.png");
    code_line[percent] = first_line_ink(receipt, code, primary);
    code_h[percent] = static_cast<int>(code["h"].get<double>());
    CHECK(code["x"].get<double>() + code["w"].get<double>() <= receipt.w + 0.5);
    }
  INFO("key letter ink: ", letter[100], " px at 100 %, ", letter[200], " px at 200 %");
  INFO("receipt code first line: ", code_line[100], " px at 100 %, ", code_line[200], " px at 200 %; block ",
       code_h[100], " and ", code_h[200], " px");
  CHECK(letter[100] > 10);
  CHECK(letter[200] >= letter[100] * 1.7);  // the letters themselves, not only the keys
  CHECK(code_line[100] > 20);
  CHECK(code_line[200] >= code_line[100]);  // never smaller
  CHECK(code_h[200] <= code_h[100] * 3);    // and on few lines, not one part a line in giant type
}

TEST_CASE("small 1280x800: the start button is on screen without scrolling, the typed field and its label above the keyboard") {
  auto k = open_kiosk("glfw", 0, quiet_printer(), 1280, 800);
  std::string dir = temp_dir();
  REQUIRE(play(*k, {{{"shot", "attract"}}, {{"tap", "attract.start"}}, {{"tap", "language.vi"}},
                    {{"tap", "catalog.form.khai-sinh"}}, {{"tap", "procedure.start"}}, {{"tap", "identify.manual"}},
                    {{"tap", "field/declarant/fullName"}}, {{"type", "Nguyễn Văn An"}}, {{"shot", "form"}}},
               dir) == 0);
  json attract = load_json(dir + "/attract.json")["widgets"];
  REQUIRE(attract.contains("attract.start"));
  CHECK(attract["attract.start"]["y"].get<double>() + attract["attract.start"]["h"].get<double>() <= 800);
  CHECK(attract["attract.start"]["h"].get<double>() >= 2.5 * KioskConfig().min_touch_mm * k->pixels_per_mm() - 1);
  json form = load_json(dir + "/form.json")["widgets"];
  double keyboard_top = 800;
  for (auto& [id, w] : form.items())
    if (id.rfind("key.", 0) == 0) keyboard_top = std::min(keyboard_top, w["y"].get<double>());
  REQUIRE(keyboard_top < 800);
  json field = form["field/declarant/fullName"];
  CHECK(field["y"].get<double>() >= 100);  // below the top bar, not scrolled away
  CHECK(field["y"].get<double>() + field["h"].get<double>() <= keyboard_top);
  // Its label is drawn above it, inside the visible part of the form: text pixels in the strip.
  Image img = load_png(dir + "/form.png");
  int ink = 0;
  for (int y = static_cast<int>(field["y"].get<double>()) - 40; y < static_cast<int>(field["y"].get<double>()) - 4; ++y)
    for (int x = static_cast<int>(field["x"].get<double>()); x < static_cast<int>(field["x"].get<double>()) + 300; ++x)
      ink += !near(img.at(x, y), palette(false).background, 24);
  CHECK(ink > 200);
}

TEST_CASE("landscape 1920x1080: the content, the keyboard and Back and Next stand in a centred readable column") {
  auto k = open_kiosk("glfw", 0, quiet_printer(), 1920, 1080);
  std::string dir = temp_dir();
  REQUIRE(play(*k, {{{"tap", "attract.start"}}, {{"tap", "language.vi"}}, {{"shot", "catalog"}},
                    {{"tap", "catalog.form.khai-sinh"}}, {{"tap", "procedure.start"}}, {{"tap", "identify.manual"}},
                    {{"tap", "field/declarant/fullName"}}, {{"shot", "form"}}},
               dir) == 0);
  const double column = std::min(1920.0, static_cast<double>(kColumnMm * k->pixels_per_mm()));
  const double left = (1920 - column) / 2, right = left + column;
  for (const char* shot : {"catalog", "form"}) {
    json meta = load_json(dir + "/" + shot + ".json");
    Image img = load_png(dir + "/" + shot + ".png");
    CHECK(img.w == 1920);
    int inside = 0;
    for (auto& [id, w] : meta["widgets"].items()) {
      bool content = id.rfind("catalog.form.", 0) == 0 || id.rfind("field/", 0) == 0 || id.rfind("key.", 0) == 0 ||
                     id.rfind("nav.", 0) == 0;  // Back and Next under the column, not at the panel's far ends
      if (!content) continue;
      CAPTURE(id);
      CHECK(w["x"].get<double>() >= left - 2);  // widgets sit on whole pixels
      CHECK(w["x"].get<double>() + w["w"].get<double>() <= right + 2);
      // The keyboard and Back and Next on the screen; a field may be below, to scroll to.
      if (id.rfind("field/", 0) != 0) CHECK(w["y"].get<double>() + w["h"].get<double>() <= 1080.5);
      ++inside;
    }
    CHECK(inside >= 5);
    CHECK(meta["widgets"].contains("nav.back"));
    if (std::string(shot) == "form") CHECK(meta["widgets"].contains("nav.next"));
    // Nothing is drawn in the margins beside the column below the header (only the page colour).
    int blank = 0, seen = 0;
    for (int y = 400; y < 880; y += 10)
      for (int x = 20; x < static_cast<int>(left) - 20; x += 10) {
        ++seen;
        blank += near(img.at(x, y), palette(false).background, 2) || near(img.at(x, y), palette(false).track, 2);
      }
    CHECK(blank == seen);
  }
}

TEST_CASE("a scenario cannot tap what a finger cannot reach: a widget off the screen") {
  // At 200 % on a landscape panel the catalog runs below the screen's edge: a finger must scroll.
  auto k = open_kiosk("glfw", 0, quiet_printer(), 1920, 1080);
  std::string dir = temp_dir();
  REQUIRE(play(*k, {{{"tap", "attract.start"}}, {{"tap", "language.vi"}}, {{"tap", "chrome.text_size"}},
                    {{"tap", "chrome.text_size"}}, {{"expect", {{"textPercent", 200}}}}, {{"shot", "catalog"}}},
               dir) == 0);
  std::string below;
  const json shot = load_json(dir + "/catalog.json");
  for (auto& [id, w] : shot["widgets"].items())
    if (id.rfind("catalog.form.", 0) == 0 && w["y"].get<double>() + w["h"].get<double>() / 2 > 1080) below = id;
  REQUIRE_FALSE(below.empty());
  std::string err;
  CHECK(play(*k, {{{"tap", below}}}, dir, &err) == 1);
  CHECK(err.find("off the screen") != std::string::npos);
  CHECK(k->session().step() == Step::Catalog);
}

TEST_CASE("a scenario cannot tap what a finger cannot reach: a field scrolled under the top bar") {
  // Found looking at 1280x800: a tap on a choice scrolled under the top bar pressed "English".
  auto k = open_kiosk("glfw", 0, quiet_printer(), 1280, 800);
  std::string dir = temp_dir();
  REQUIRE(play(*k, {{{"tap", "attract.start"}}, {{"tap", "language.vi"}}, {{"tap", "catalog.form.khai-sinh"}},
                    {{"tap", "procedure.start"}}, {{"tap", "identify.manual"}}, {{"scroll", -3}}, {{"shot", "scrolled"}}},
               dir) == 0);
  std::string covered;
  const json shot = load_json(dir + "/scrolled.json");
  for (auto& [id, w] : shot["widgets"].items()) {
    if (id.rfind("option/", 0) != 0 && id.rfind("field/", 0) != 0) continue;
    double cx = w["x"].get<double>() + w["w"].get<double>() / 2, cy = w["y"].get<double>() + w["h"].get<double>() / 2;
    for (auto& [bar, b] : shot["widgets"].items())
      if (bar.rfind("chrome.", 0) == 0 && b["interactive"] == true && cx >= b["x"].get<double>() &&
          cx <= b["x"].get<double>() + b["w"].get<double>() && cy >= b["y"].get<double>() && cy <= b["y"].get<double>() + b["h"].get<double>())
        covered = id;
  }
  REQUIRE_FALSE(covered.empty());
  std::string err;
  CHECK(play(*k, {{{"tap", covered}}}, dir, &err) == 1);
  CHECK(err.find("is under \"chrome.") != std::string::npos);
  CHECK(k->session().language() == "vi");
}

TEST_CASE("the SDL2 backend runs the same kiosk") {
  auto k = open_kiosk("sdl2");
  std::string dir = temp_dir();
  REQUIRE(play(*k, {{{"shot", "sdl-attract"}}, {{"tap", "attract.start"}}, {{"expect", {{"step", "language"}}}}}, dir) == 0);
  Image img = load_png(dir + "/sdl-attract.png");
  json w = load_json(dir + "/sdl-attract.json")["widgets"]["attract.start"];
  CHECK(img.w == 1080);
  CHECK(near(img.at(w["x"].get<float>() + 10, w["y"].get<float>() + 10), palette(false).primary));
  CHECK(k->run(1.0).frames <= 3);  // event-driven on SDL2 as well
}

TEST_CASE("a scenario step that cannot run says which step and what is on screen") {
  auto k = open_kiosk();
  std::string dir = temp_dir();
  std::string err;
  CHECK(play(*k, {{{"tap", "attract.start"}}, {{"tap", "no.such.button"}}}, dir, &err) == 1);
  CHECK(err.find("/steps/1") != std::string::npos);
  CHECK(err.find("language.vi") != std::string::npos);
  CHECK(play(*k, {{{"expect", {{"step", "review"}}}}}, dir, &err) == 1);
  CHECK(err.find("\"language\"") != std::string::npos);
  CHECK_THROWS_WITH_AS(parse_script(json{{"steps", {{{"tapp", "x"}}}}}, "s.json"), doctest::Contains("s.json: /steps/0"),
                       ScriptError);
  CHECK_THROWS_AS(parse_script(json{{"steps", {{{"advance", "soon"}}}}}, "s.json"), ScriptError);
}

namespace {
json to_receipt() {
  json steps = {{{"tap", "attract.start"}}, {{"tap", "language.vi"}}, {{"tap", "catalog.form.khai-sinh"}}, {{"tap", "procedure.start"}}, {{"tap", "identify.manual"}}};
  for (auto& x : typed("/declarant/fullName", "Nguyễn Thị Lan")) steps.push_back(x);
  for (auto& x : typed("/declarant/idNumber", "001190012345")) steps.push_back(x);
  steps.push_back({{"tap", "option/declarant/relationship.1"}});  // Mẹ
  steps.push_back({{"tap", "nav.next"}});
  for (auto& x : child_step()) steps.push_back(x);
  for (json x : {json{{"tap", "nav.next"}}, json{{"tap", "review.consent"}}, json{{"tap", "review.confirm"}},
                 json{{"expect", {{"step", "receipt"}}}}, json{{"idle", 3}}})
    steps.push_back(x);
  return steps;
}
}  // namespace

TEST_CASE("a chip ID card left on the reader once the dossier is in is asked back on every screen after, until it is lifted") {
  std::string dir = temp_dir();
  auto card_on = std::make_shared<std::atomic<bool>>(true);
  CardPort reader;
  reader.presence = [card_on] { return CardPresence{true, card_on->load()}; };
  reader.start = [](std::string_view, std::string_view, std::string_view) {};
  reader.poll = [] { return std::optional<CardReadResult>(); };
  reader.progress = [] { return 0.0f; };
  reader.cancel = [] {};
  auto k = open_kiosk("glfw", 0, quiet_printer(), 1080, 1920, reader);
  json steps = to_receipt();
  json before = json::array(), after = json::array();
  bool confirmed = false;
  for (auto& x : steps) {
    if (x == json{{"tap", "review.confirm"}}) confirmed = true;
    (confirmed ? after : before).push_back(x);
  }
  // Until the dossier is in, the card belongs on the reader (the form's card answers go with it).
  REQUIRE(play(*k, before, dir) == 0);
  CHECK_FALSE(k->widgets().count("card.take_back"));
  REQUIRE(play(*k, after, dir) == 0);
  REQUIRE(k->widgets().count("card.take_back"));
  CHECK(k->widgets().at("card.take_back").label == "Xin ông/bà lấy lại thẻ căn cước trên đầu đọc.");
  CHECK(k->widgets().at("card.take_back").max.y < k->widgets().at("receipt.code").min.y);  // above the code, in view
  REQUIRE(play(*k, {{{"tap", "receipt.next"}}, {{"expect", {{"step", "evaluation"}, {"widget", "card.take_back"}}}}}, dir) == 0);
  card_on->store(false);
  k->frame();
  CHECK_FALSE(k->widgets().count("card.take_back"));
  // Laid back and left there when the visit ends: the start screen asks for it until it is lifted.
  card_on->store(true);
  REQUIRE(play(*k, {{{"tap", "evaluation.skip"}}, {{"expect", {{"step", "thank_you"}, {"widget", "card.take_back"}}}},
                    {{"tap", "thank_you.finish"}}, {{"expect", {{"step", "attract"}, {"widget", "card.take_back"}}}}},
               dir) == 0);
  card_on->store(false);
  k->frame();
  k->frame();
  CHECK_FALSE(k->widgets().count("card.take_back"));
  card_on->store(true);  // a card laid down later is the next citizen's: not asked back
  k->frame();
  CHECK_FALSE(k->widgets().count("card.take_back"));
}

TEST_CASE("the receipt prints in the background and carries the dossier code") {
  std::string dir = temp_dir();
  KioskConfig config;
  config.printer = "file:" + dir + "/receipts";
  config.printer_profile = "80mm-raster";
  auto k = open_kiosk("glfw", 0, config);
  REQUIRE(play(*k, to_receipt(), dir) == 0);
  // Printing runs beside the screen; a loaded machine may need longer than the run's 3 s idle.
  // A file target cannot confirm anything: "sent", never "printed".
  for (int i = 0; i < 100 && k->paper_printer().state() != PaperPrinter::State::Sent; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    k->frame();
  }
  k->frame();
  CHECK(k->paper_printer().state() == PaperPrinter::State::Sent);
  CHECK(k->widgets().at("receipt.print_status").label == std::to_string(static_cast<int>(PaperPrinter::State::Sent)));
  CHECK(k->widgets().count("receipt.qr") == 1);  // not confirmed on paper: the code stays on screen
  std::vector<std::filesystem::path> jobs;
  for (auto& e : std::filesystem::directory_iterator(dir + "/receipts")) jobs.push_back(e.path());
  REQUIRE(jobs.size() == 1);
  std::ifstream in(jobs[0], std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
  auto paper = test::decode_escpos(bytes, 576).paper;
  // The kiosk's own reference is too long for a readable Code128 on 80 mm: text and QR carry it.
  auto qrs = test::symbols_of(paper, "QR-Code");
  CHECK(std::find(qrs.begin(), qrs.end(), k->session().reference()) != qrs.end());
  CHECK(test::symbols_of(paper, "CODE-128").empty());
}

TEST_CASE("when the printer fails the code is shown as a QR that a camera can read off the screen") {
  std::string dir = temp_dir();
  KioskConfig config;
  config.printer = "tcp:127.0.0.1:1";  // nothing listens there
  auto k = open_kiosk("glfw", 0, config);
  json steps = to_receipt();
  steps.push_back({{"expect", {{"widget", "receipt.qr"}}}});
  steps.push_back({{"shot", "receipt-no-printer"}});
  REQUIRE(play(*k, steps, dir) == 0);
  CHECK(k->paper_printer().state() == PaperPrinter::State::Failed);
  CHECK(test::symbols_of(test::screen_as_paper(dir + "/receipt-no-printer.png"), "QR-Code") ==
        std::vector<std::string>{k->session().reference()});
}

TEST_CASE("a printer that takes the receipt but never confirms it: the screen keeps the code and QR, not \"printed\"") {
  std::string dir = temp_dir();
  test::FakePrinter mute({.mute = true});
  KioskConfig config;
  config.printer = "tcp:127.0.0.1:" + std::to_string(mute.port());
  config.printer_profile = "80mm-raster";
  auto k = open_kiosk("glfw", 0, config);
  REQUIRE(play(*k, to_receipt(), dir) == 0);
  for (int i = 0; i < 300 && k->paper_printer().state() == PaperPrinter::State::Printing; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    k->frame();
  }
  k->frame();
  CHECK(k->paper_printer().state() == PaperPrinter::State::NotConfirmed);
  CHECK(k->paper_printer().problem().find("did not confirm") != std::string::npos);
  CHECK(k->widgets().count("receipt.qr") == 1);
  CHECK(k->widgets().at("receipt.code").label == k->session().reference());
  CHECK_FALSE(mute.received().empty());  // the bytes went out; nobody said they were printed
}

// "Mời ông/bà đến quầy số 1 hoặc 2", where staff call by number: the number is taken on the
// receipt, printed after it, and the ticket's printing never changes what the receipt says of its own.
TEST_CASE("the receipt hands out a queue number and the ticket's printing leaves the receipt's words alone") {
  std::string dir = temp_dir();
  test::FakePrinter printer({.bytes_per_second = 20000});  // confirms each job once drained
  KioskConfig config;
  config.data_dir = dir + "/data";
  config.printer = "tcp:127.0.0.1:" + std::to_string(printer.port());
  config.printer_profile = "80mm-raster";
  config.speech_output = "file:" + dir + "/speech";
  auto k = open_kiosk("glfw", 0, config);
  REQUIRE(play(*k, {{{"tap", "attract.read_aloud"}}}, dir) == 0);  // the number must be heard, not only seen
  REQUIRE(play(*k, to_receipt(), dir) == 0);
  auto settle_until = [&](auto done) {
    for (int i = 0; i < 600 && !done(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      k->frame();
    }
    k->frame();
  };
  const std::string printed = std::to_string(static_cast<int>(PaperPrinter::State::Printed));
  settle_until([&] { return k->widgets().at("receipt.print_status").label == printed; });
  REQUIRE(k->widgets().at("receipt.print_status").label == printed);
  CHECK(k->widgets().count("receipt.ticket_number") == 0);
  CHECK(k->widgets().count("receipt.ticket_priority") == 1);
  // A damaged queue state hands out nothing: "ask staff", and the offer stays to try again.
  std::ofstream(dir + "/data/queue.json") << "garbage";
  REQUIRE(play(*k, {{{"tap", "receipt.take_ticket"}}}, dir) == 0);
  CHECK(k->widgets().count("receipt.ticket_failed") == 1);
  CHECK(k->widgets().count("receipt.ticket_number") == 0);
  CHECK(k->session().ticket_number().empty());
  std::filesystem::remove(dir + "/data/queue.json");
  REQUIRE(play(*k, {{{"tap", "receipt.take_ticket"}}}, dir) == 0);
  CHECK(k->widgets().count("receipt.ticket_failed") == 0);
  std::string number = k->session().ticket_number();
  CHECK(number.rfind("A", 0) == 0);  // Hộ tịch's queue
  CHECK(k->widgets().at("receipt.ticket_number").label == number);
  CHECK(k->widgets().count("receipt.take_ticket") == 0);   // one number a visit
  CHECK(k->widgets().at("receipt.print_status").label == printed);  // still the receipt's own news
  settle_until([&] { return k->widgets().at("receipt.ticket_print_status").label == printed; });
  CHECK(k->widgets().at("receipt.ticket_print_status").label == printed);
  CHECK(k->widgets().at("receipt.print_status").label == printed);
  REQUIRE(play(*k, {{{"shot", "receipt-ticket"}}}, dir) == 0);
  REQUIRE(k->speaker() != nullptr);  // its history holds what it was asked to say
  auto said = k->speaker()->history();
  CHECK(std::any_of(said.begin(), said.end(), [&](const std::string& line) { return line.find(spelled(number)) != std::string::npos; }));
  // The printer's news is read alone: "printed" comes without the dossier's code spelled out
  // again. The code is read when the receipt comes and again with each tap's answer (the number
  // refused, then given: a tap's answer reads the screen again); before, once more for each of the
  // receipt's and the ticket's printer states.
  const std::string code = spelled(k->session().reference());
  auto count_saying = [&](const std::string& words) {
    return std::count_if(said.begin(), said.end(), [&](const std::string& line) { return line.find(words) != std::string::npos; });
  };
  CHECK(count_saying(code) == 3);
  CHECK(count_saying(spelled(number)) == 1);
  // The damaged queue's "ask staff" was said too (it answers a tap).
  CHECK(count_saying("Chưa lấy được số thứ tự") >= 1);
  CHECK(printer.confirmations() == 2);  // the receipt, then the ticket
  auto paper = test::decode_escpos(printer.received(), 576).paper;
  CHECK(paper.height > 400);
  // The next visit starts with no number and no priority carried over.
  REQUIRE(play(*k, {{{"tap", "receipt.done"}}, {{"expect", {{"step", "attract"}}}}}, dir) == 0);
  CHECK(k->session().ticket_number().empty());
  CHECK_FALSE(k->session().ticket_priority());
}

TEST_CASE("the queue's fields name the procedures the catalog files under each, so a first visitor knows which to pick") {
  std::string dir = temp_dir();
  auto k = open_kiosk();
  REQUIRE(play(*k, {{{"tap", "attract.ticket"}}, {{"expect", {{"step", "ticket"}}}}}, dir) == 0);
  for (const Category& c : k->session().catalog().categories()) {
    CAPTURE(c.id);
    const WidgetRect& button = k->widgets().at("ticket.service." + c.id);
    CHECK(button.label.rfind(c.title.in("vi"), 0) == 0);
    auto forms = k->session().catalog().find(c.id, "");
    REQUIRE_FALSE(forms.empty());  // each bundled field serves some procedure
    for (const forms::FormPackage* f : forms) CHECK(button.label.find(f->title.in("vi")) != std::string::npos);
  }
  // Birth registration is filed under civil status, and only there.
  CHECK(k->widgets().at("ticket.service.ho_tich").label.find("Đăng ký khai sinh") != std::string::npos);
  CHECK(k->widgets().at("ticket.service.tu_phap").label.find("Đăng ký khai sinh") == std::string::npos);
}

TEST_CASE("a field with many procedures names the first three on its queue button and counts the rest") {
  std::string dir = temp_dir();
  std::filesystem::create_directories(dir + "/forms");
  std::filesystem::copy_file(root + "/assets/forms/categories.json", dir + "/forms/categories.json");
  json birth = json::parse(std::ifstream(root + "/assets/forms/khai-sinh.json"));
  for (int i = 1; i <= 5; ++i) {  // five civil-status procedures
    json f = birth;
    f["meta"]["id"] = "khai-sinh-" + std::to_string(i);
    f["meta"]["title"]["vi"] = "Thủ tục hộ tịch số " + std::to_string(i);
    std::ofstream(dir + "/forms/" + f["meta"]["id"].get<std::string>() + ".json") << f.dump();
  }
  test::ensure_xvfb();
  KioskOptions o;
  o.window.fullscreen = false;
  o.window.width = 1080;
  o.window.height = 1920;
  o.data_root = root;
  o.card_port = CardPort{};
  KioskConfig config = quiet_printer();
  auto k = std::make_unique<Kiosk>(config, Strings::load(root + "/locales", config.locales), Catalog::load(dir + "/forms"), o);
  std::string error;
  REQUIRE_MESSAGE(k->open(error), error);
  REQUIRE(k->session().catalog().find("ho_tich", "").size() == 5);
  REQUIRE(play(*k, {{{"tap", "attract.ticket"}}, {{"expect", {{"step", "ticket"}}}}}, dir) == 0);
  const std::string& label = k->widgets().at("ticket.service.ho_tich").label;
  CHECK(label.find("Thủ tục hộ tịch số 1, Thủ tục hộ tịch số 2, Thủ tục hộ tịch số 3 và 2 thủ tục khác") != std::string::npos);
  CHECK(label.find("số 4") == std::string::npos);
  k.reset();
}

TEST_CASE("the kiosk hands out queue numbers that continue across restarts and prints them") {
  std::string dir = temp_dir();
  KioskConfig config;
  config.data_dir = dir + "/state";
  config.printer = "file:" + dir + "/paper";
  config.printer_profile = "58mm";
  json take = {{{"tap", "attract.ticket"}}, {{"tap", "ticket.service.ho_tich"}}, {{"idle", 2}}};
  {
    auto k = open_kiosk("glfw", 0, config);
    REQUIRE(play(*k, take, dir) == 0);
    CHECK(k->widgets().at("ticket_done.number").label == "A001");
    CHECK(k->paper_printer().state() == PaperPrinter::State::Sent);
  }
  auto k = open_kiosk("glfw", 0, config);  // a restarted kiosk continues the day's numbers
  REQUIRE(play(*k, take, dir) == 0);
  CHECK(k->widgets().at("ticket_done.number").label == "A002");
  int jobs = 0;
  for (auto& e : std::filesystem::directory_iterator(dir + "/paper")) {
    std::ifstream in(e.path(), std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
    CHECK(test::decode_escpos(bytes, 384).paper.black_dots() > 5000);
    ++jobs;
  }
  CHECK(jobs == 2);
}

TEST_CASE("colour contrast: high contrast keeps every text pair at 7:1 or more, the calm theme its body text") {
  auto pairs = [](const Palette& p) {
    return std::vector<std::pair<const char*, double>>{
        {"text/background", contrast_ratio(p.text, p.background)}, {"text/surface", contrast_ratio(p.text, p.surface)},
        {"muted/background", contrast_ratio(p.muted, p.background)}, {"on_primary/primary", contrast_ratio(p.on_primary, p.primary)},
        {"primary/surface", contrast_ratio(p.primary, p.surface)}, {"on_bar/bar", contrast_ratio(p.on_bar, p.bar)},
        {"danger/background", contrast_ratio(p.danger, p.background)}, {"success/background", contrast_ratio(p.success, p.background)}};
  };
  for (auto& [name, ratio] : pairs(palette(true))) CHECK_MESSAGE(ratio >= 7.0, "high contrast ", name, " = ", ratio);
  for (auto& [name, ratio] : pairs(palette(false))) CHECK_MESSAGE(ratio >= 4.5, "calm ", name, " = ", ratio);
  CHECK(contrast_ratio(palette(false).text, palette(false).background) >= 7.0);
  CHECK(contrast_ratio(IM_COL32(0, 0, 0, 255), IM_COL32(255, 255, 255, 255)) == doctest::Approx(21.0));
}

// A band's words must read on its fill in both palettes: high contrast's fills are light (yellow,
// light green, pink), where the white ink of the calm palette all but vanished (1.4:1 on green).
TEST_CASE("the help banner's words read on its band in high contrast: dark ink on the light fill") {
  std::string dir = temp_dir();
  auto k = open_kiosk();  // no help signal: the band asks the citizen to find a person nearby
  REQUIRE(play(*k, {{{"tap", "chrome.contrast"}}, {{"tap", "attract.start"}}, {{"tap", "chrome.help"}}, {{"shot", "help-hc"}}},
               dir) == 0);
  REQUIRE(k->session().high_contrast());
  json band = load_json(dir + "/help-hc.json")["widgets"]["help.ask_nearby"];
  REQUIRE(band.is_object());
  Image img = load_png(dir + "/help-hc.png");
  int dark = 0, light = 0;
  for (float y = band["y"].get<float>(); y < band["y"].get<float>() + band["h"].get<float>(); y += 1)
    for (float x = band["x"].get<float>(); x < band["x"].get<float>() + band["w"].get<float>(); x += 1) {
      auto px = img.at(x, y);
      if (near(px, palette(true).primary, 40)) continue;  // the fill
      if (px[0] + px[1] + px[2] < 200) ++dark;
      else if (px[0] > 235 && px[1] > 235 && px[2] > 235) ++light;
    }
  CHECK(dark > 500);         // the words, in black
  CHECK(light < dark / 20);  // not white on yellow
}

TEST_CASE("high contrast and 200% text on every screen of a visit: pixels follow the theme, nothing leaves the screen") {
  std::string dir = temp_dir();
  auto k = open_kiosk();
  json steps = {{{"tap", "chrome.contrast"}}, {{"tap", "chrome.text_size"}}, {{"tap", "chrome.text_size"}}};
  for (auto& s : tour("vi")) steps.push_back(s);
  steps.erase(steps.end() - 2, steps.end());  // stop on the thank-you screen, before the reset
  REQUIRE(play(*k, steps, dir) == 0);
  CHECK(k->session().high_contrast());
  for (const char* screen : {"attract", "catalog", "procedure", "identify", "form", "review", "receipt", "evaluation", "thank_you"}) {
    CAPTURE(screen);
    json meta = load_json(dir + "/vi-" + std::string(screen) + ".json");
    Image img = load_png(dir + "/vi-" + std::string(screen) + ".png");
    CHECK(meta["textPercent"] == 200);
    CHECK(near(img.at(img.w - 3, img.h - 3), palette(true).background));
    for (auto& [id, w] : meta["widgets"].items()) {
      CAPTURE(id);
      CHECK(w["x"].get<double>() >= -0.5);
      CHECK(w["x"].get<double>() + w["w"].get<double>() <= img.w + 0.5);
    }
  }
}

namespace {
// Reads a WAV written by the file sink: returns the samples.
std::vector<int16_t> wav_samples(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), {});
  if (bytes.size() < 44 || std::string(bytes.data(), 4) != "RIFF") return {};
  std::vector<int16_t> s((bytes.size() - 44) / 2);
  std::memcpy(s.data(), bytes.data() + 44, s.size() * 2);
  return s;
}

void wait_quiet(Kiosk& k) {
  for (int i = 0; i < 100 && k.speaker() && k.speaker()->busy(); ++i) k.run(0.05);
}
}  // namespace

TEST_CASE("read-aloud speaks each screen in Vietnamese, field labels on request, and forgets it all at the end") {
  std::string dir = temp_dir();
  KioskConfig config = quiet_printer();
  config.speech_output = "file:" + dir + "/speech";
  auto k = open_kiosk("glfw", 0, config);
  REQUIRE(play(*k, {{{"tap", "attract.read_aloud"}}}, dir) == 0);
  wait_quiet(*k);
  REQUIRE(k->speaker() != nullptr);
  auto said = k->speaker()->history();
  REQUIRE_FALSE(said.empty());
  CHECK(said.back().find("Nộp hồ sơ thủ tục hành chính tại đây") != std::string::npos);
  CHECK(said.back().find("Chạm vào đây để bắt đầu") != std::string::npos);

  REQUIRE(play(*k, {{{"tap", "attract.start"}}, {{"tap", "language.vi"}}, {{"tap", "catalog.form.khai-sinh"}}, {{"tap", "procedure.start"}},
                    {{"tap", "identify.manual"}}, {{"expect", {{"widget", "speak.field/declarant/fullName"}}}},
                    {{"tap", "speak.field/declarant/fullName"}}},
               dir) == 0);
  wait_quiet(*k);
  said = k->speaker()->history();
  CHECK(said.back() == "Họ, chữ đệm, tên");
  bool step_announced = std::any_of(said.begin(), said.end(), [](auto& s) { return s.find("Người yêu cầu") != std::string::npos; });
  CHECK(step_announced);
  CHECK(k->speaker()->samples_played() > 22050);  // more than a second of real speech

  // The audio files hold speech, not silence.
  int files = 0;
  long loud = 0;
  for (auto& e : std::filesystem::directory_iterator(dir + "/speech")) {
    ++files;
    for (int16_t v : wav_samples(e.path().string())) loud += std::abs(v) > 1000;
  }
  CHECK(files >= 2);
  CHECK(loud > 1000);

  // Errors found on Next are read out too.
  REQUIRE(play(*k, {{{"tap", "nav.next"}}, {{"expect", {{"widget", "error/declarant/idNumber"}}}}}, dir) == 0);
  wait_quiet(*k);
  CHECK(k->speaker()->history().back().find("Vui lòng điền mục bắt buộc \"Số định danh cá nhân\"") != std::string::npos);
  // Refused again with the keyboard open: the screen is read again, but not the keyboard's keys.
  REQUIRE(play(*k, {{{"tap", "field/declarant/idNumber"}}, {{"type", "12345"}}, {{"tap", "nav.next"}}}, dir) == 0);
  wait_quiet(*k);
  REQUIRE(k->widgets().count("key.done") == 1);
  const std::string again = k->speaker()->history().back();
  CHECK(again.find("Số định danh cá nhân") != std::string::npos);
  CHECK(again.find(". Xong") == std::string::npos);  // the keyboard's "done" key
  CHECK(again.find(". 7. 8. 9") == std::string::npos);  // its digits

  REQUIRE(play(*k, {{{"tap", "chrome.end"}}, {{"tap", "ask.yes"}}, {{"expect", {{"step", "attract"}}}}}, dir) == 0);
  CHECK(k->speaker()->history().empty());
  CHECK_FALSE(k->session().read_aloud());  // on for one visit only
}

TEST_CASE("a new utterance cancels the one in progress, and the receipt code is spelled out") {
  Speaker speaker("vi", "none");
  std::string long_text(2000, 'a');
  speaker.say("Một đoạn rất dài " + long_text, "vi");
  speaker.say("Ngắn", "vi");
  for (int i = 0; i < 200 && speaker.busy(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK_FALSE(speaker.busy());
  CHECK(speaker.history().back() == "Ngắn");
  CHECK(spelled("HK-0042") == "H K, 0 0 4 2");
}

// The printer's news must not cut the screen's reading short: it is said after it, in full.
TEST_CASE("news said next waits for the utterance in progress, which a new utterance would cancel") {
  const std::string screen = "Biên nhận hồ sơ. Mã hồ sơ H K, 0 0 4 2. Ngày hẹn trả kết quả hai mươi tháng mười hai";
  auto samples_of = [&](auto say_both) {
    Speaker speaker("vi", "none");
    say_both(speaker);
    for (int i = 0; i < 500 && speaker.busy(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    CHECK_FALSE(speaker.busy());
    return speaker.samples_played();
  };
  const size_t alone = samples_of([&](Speaker& s) { s.say(screen, "vi"); });
  const size_t news = samples_of([&](Speaker& s) { s.say("Đã in xong", "vi"); });
  const size_t after = samples_of([&](Speaker& s) {
    s.say(screen, "vi");
    s.say_next("Đã in xong", "vi");
  });
  const size_t cancelled = samples_of([&](Speaker& s) {
    s.say(screen, "vi");
    s.say("Đã in xong", "vi");
  });
  REQUIRE(alone > 0);
  CHECK(after >= alone + news * 9 / 10);  // the whole screen, then the news (pauses may differ)
  CHECK(cancelled < alone);               // what say() does instead
}

// What the speaker asks of the sound card: news is queued after what plays, never clearing it;
// stop() clears it even with nothing new to say (the next visitor must not hear the last one's code).
TEST_CASE("the speaker queues news after what plays and silences the sound card on stop") {
  struct Calls {
    std::mutex m;
    std::vector<std::string> log;
    size_t size() {
      std::lock_guard<std::mutex> l(m);
      return log.size();
    }
  };
  auto calls = std::make_shared<Calls>();
  struct RecordingSink : AudioSink {
    std::shared_ptr<Calls> calls;
    void play(const std::vector<int16_t>&, int, bool after) override {
      std::lock_guard<std::mutex> l(calls->m);
      calls->log.push_back(after ? "play after" : "play");
    }
    void stop() override {
      std::lock_guard<std::mutex> l(calls->m);
      calls->log.push_back("stop");
    }
  };
  Speaker speaker("vi", [calls](int) {
    auto sink = std::make_unique<RecordingSink>();
    sink->calls = calls;
    return sink;
  });
  auto wait_for = [&](size_t n) {
    for (int i = 0; i < 250 && (speaker.busy() || calls->size() < n); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  };
  speaker.say("Biên nhận hồ sơ", "vi");
  wait_for(2);
  speaker.say_next("Đã in xong", "vi");
  wait_for(3);
  speaker.stop();
  wait_for(4);
  std::lock_guard<std::mutex> l(calls->m);
  CHECK(calls->log == std::vector<std::string>{"stop", "play", "play after", "stop"});
}

TEST_CASE("a volunteer signs in with a PIN, the banner and tools show on every screen, signing out wipes") {
  std::string dir = temp_dir();
  KioskConfig config = quiet_printer();
  config.volunteers = {{"TNV-07", hash_pin("2468", kOldestPinIterations)}};
  config.speech_output = "file:" + dir + "/speech";
  auto k = open_kiosk("glfw", 0, config);
  REQUIRE(play(*k, {{{"tap", "attract.volunteer"}}, {{"tap", "volunteer.digit.1"}}, {{"tap", "volunteer.ok"}},
                    {{"expect", {{"step", "volunteer"}, {"widget", "volunteer.digit.5"}}}},
                    {{"tap", "volunteer.digit.2"}}, {{"tap", "volunteer.digit.4"}}, {{"tap", "volunteer.digit.6"}},
                    {{"tap", "volunteer.digit.8"}}, {{"shot", "pin"}}, {{"tap", "volunteer.ok"}},
                    {{"expect", {{"step", "language"}, {"widget", "volunteer.banner"}}}},
                    {{"tap", "language.vi"}}, {{"tap", "catalog.form.khai-sinh"}}, {{"tap", "procedure.start"}}, {{"tap", "identify.manual"}},
                    {{"tap", "field/declarant/fullName"}}, {{"type", "Lò Thị Xuân"}},
                    {{"expect", {{"label", {{"volunteer.banner", "Đang được hỗ trợ bởi tình nguyện viên TNV-07"}}}}}},
                    {{"tap", "volunteer.read"}}, {{"tap", "volunteer.call_staff"}},
                    {{"expect", {{"label", {{"volunteer.call_staff", "Chưa gọi được cán bộ"}}}}}},  // no help signal here: only a log line
                    {{"shot", "assisted-form"}},
                    {{"tap", "volunteer.restart"}}, {{"expect", {{"personalDataEmpty", false}, {"widget", "ask.yes"}}}},
                    {{"tap", "ask.yes"}}},
               dir) == 0);
  // The step starts over as it first showed: the typed name is gone, the form's defaults stand.
  const auto* name = k->session().data().find("/declarant/fullName");
  CHECK((name == nullptr || name->empty()));
  auto defaults = forms::default_values(*k->session().form());
  CHECK(!defaults.empty());  // the birth declaration presets nationality and the number of copies
  for (const auto& d : defaults) {
    const auto* kept = k->session().data().find(d.first);
    REQUIRE_MESSAGE(kept != nullptr, d.first);
    CHECK(std::string(kept->data(), kept->size()) == (d.second.is_string() ? d.second.get<std::string>() : d.second.dump()));
  }
  for (int i = 0; i < 100 && k->speaker() && k->speaker()->busy(); ++i) k->run(0.05);
  REQUIRE(k->speaker() != nullptr);
  CHECK(k->speaker()->history().back().find("Người yêu cầu") != std::string::npos);  // read-aloud was off: once only
  Image img = load_png(dir + "/assisted-form.png");
  json banner = load_json(dir + "/assisted-form.json")["widgets"]["volunteer.banner"];
  CHECK(near(img.at(banner["x"].get<float>() + 3, banner["y"].get<float>() + 3), palette(false).success));
  REQUIRE(play(*k, {{{"tap", "chrome.end"}}, {{"tap", "ask.yes"}}, {{"expect", {{"step", "attract"}, {"noWidget", "volunteer.banner"}}}}}, dir) == 0);
  CHECK(k->speaker()->history().empty());
}

TEST_CASE("every character of every UI text is in the kiosk's font (no '?' boxes)") {
  auto k = open_kiosk();
  ImFont* body = ImGui::GetIO().Fonts->Fonts[0];
  ImFont* title = ImGui::GetIO().Fonts->Fonts[1];
  for (const char* lang : {"vi", "en"}) {
    std::ifstream in(root + "/locales/" + lang + ".json");
    json texts = json::parse(in);
    for (auto& [key, value] : texts.items()) {
      std::u32string cps = text::code_points(value.get<std::string>());
      for (char32_t c : cps) {
        bool ok = body->FindGlyphNoFallback(static_cast<ImWchar>(c)) && title->FindGlyphNoFallback(static_cast<ImWchar>(c));
        CHECK_MESSAGE(ok, lang, ".json ", key, ": U+", std::hex, static_cast<unsigned>(c), " is not in the font");
      }
    }
  }
}

TEST_CASE("speech plays through SDL2 audio (SDL's disk driver stands in for a sound card)") {
  std::string dir = temp_dir();
  std::string raw = dir + "/sdl-audio.raw";
  setenv("SDL_AUDIODRIVER", "disk", 1);
  setenv("SDL_DISKAUDIOFILE", raw.c_str(), 1);
  {
    Speaker speaker("vi", "sdl2");
    speaker.say("Xin chào. Mời ông bà đặt thẻ căn cước lên đầu đọc.", "vi");
    for (int i = 0; i < 200 && speaker.busy(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // the device drains its queue in real time
  }
  unsetenv("SDL_AUDIODRIVER");
  unsetenv("SDL_DISKAUDIOFILE");
  std::ifstream in(raw, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), {});
  long loud = 0;
  for (size_t i = 0; i + 1 < bytes.size(); i += 2) {
    int16_t v;
    std::memcpy(&v, bytes.data() + i, 2);
    loud += std::abs(v) > 1000;
  }
  CHECK(bytes.size() > 22050);  // at least half a second of 16-bit mono reached the device
  CHECK(loud > 1000);
}

TEST_CASE("a field shows its error once the citizen leaves it, untouched fields stay quiet until Next") {
  std::string dir = temp_dir();
  auto k = open_kiosk();
  REQUIRE(play(*k, {{{"tap", "attract.start"}}, {{"tap", "language.en"}}, {{"tap", "catalog.form.khai-sinh"}}, {{"tap", "procedure.start"}},
                    {{"tap", "identify.manual"}}, {{"tap", "field/declarant/idNumber"}}, {{"type", "0012"}},
                    {{"tap", "field/declarant/placeOfResidence"}},
                    {{"expect", {{"widget", "error/declarant/idNumber"}, {"noWidget", "error/declarant/fullName"}}}},
                    {{"shot", "touched"}}},
               dir) == 0);
  CHECK(load_json(dir + "/touched.json")["widgets"]["error/declarant/idNumber"]["label"] == "The personal ID number is exactly 12 digits, printed on the citizen ID card.");
  // Right under the box it is about, above the field's "Help" button, not after it.
  CHECK(k->widgets().at("error/declarant/idNumber").min.y >= k->widgets().at("field/declarant/idNumber").max.y);
  CHECK(k->widgets().at("error/declarant/idNumber").max.y <= k->widgets().at("help/declarant/idNumber").min.y);
  // Next is refused: every error shows, and the summary at the top names the fields in form order.
  REQUIRE(play(*k, {{{"tap", "nav.next"}}, {{"expect", {{"step", "form"}, {"widget", "error/declarant/fullName"}}}}}, dir) == 0);
  const auto& controls = k->session().form()->steps[0].controls;
  CHECK(k->session().refused_nexts() == 1);
  CHECK(k->widgets().at("form.errors").label.find(controls[1]->label.in("en")) != std::string::npos);
  CHECK(k->widgets().at("form.errors").label.find(controls[0]->label.in("en")) != std::string::npos);
}

TEST_CASE("an optional field typed wrong says under it that it may be left empty, and clearing it clears the error") {
  std::string dir = temp_dir();
  auto k = open_kiosk();
  // The declarant's phone on the death registration is optional ("^0[0-9]{9}$" when given).
  REQUIRE(play(*k, {{{"tap", "attract.start"}}, {{"tap", "language.vi"}}, {{"tap", "catalog.form.khai-tu"}}, {{"tap", "procedure.start"}},
                    {{"tap", "identify.manual"}}, {{"tap", "field/declarant/phone"}}, {{"type", "0912"}},
                    {{"tap", "field/declarant/fullName"}}, {{"expect", {{"widget", "error/declarant/phone"}}}}, {{"shot", "optional"}}},
               dir) == 0);
  std::string shown = load_json(dir + "/optional.json")["widgets"]["error/declarant/phone"]["label"];
  CHECK(shown.find("Mục này không bắt buộc: nếu không có, ông/bà có thể xoá hết để bỏ trống.") != std::string::npos);
  // What it says is true: cleared, the field has nothing left to fix.
  REQUIRE(play(*k, {{{"tap", "field/declarant/phone"}}, {{"tap", "key.backspace"}}, {{"tap", "key.backspace"}}, {{"tap", "key.backspace"}},
                    {{"tap", "key.backspace"}}, {{"tap", "field/declarant/fullName"}}, {{"expect", {{"noWidget", "error/declarant/phone"}}}}},
               dir) == 0);
}

namespace {

// A reference portal on 127.0.0.1 with its own keys, and a kiosk configuration that uses it.
struct LocalPortal {
  std::string dir;
  intake::CredentialFiles keys = intake::make_demo_credentials(dir + "/keys");
  intake::IntakeConfig server_config = make_server_config();
  std::unique_ptr<intake::IntakeServer> server = std::make_unique<intake::IntakeServer>(server_config);
  int port = server->start();

  intake::IntakeConfig make_server_config() const {
    intake::IntakeConfig c = intake::demo_intake_config(keys, dir + "/intake.sqlite");
    c.holidays_file = root + "/assets/holidays/vn.json";
    return c;
  }
  KioskConfig kiosk_config() const {
    KioskConfig config;
    config.printer = "file:" + dir + "/paper";
    config.printer_profile = "80mm-raster";
    config.data_dir = dir + "/kiosk";
    config.endpoint = server->url();
    config.portal_token = server_config.kiosks.at("KIOSK-01");
    config.portal_ca_file = keys.ca_cert;
    config.envelope_key_file = keys.envelope_public;
    return config;
  }
};

// The code the printed receipt carries, read back from the paper as a barcode.
std::string printed_code(const std::string& receipts_dir) {
  std::vector<std::filesystem::path> jobs;
  for (auto& e : std::filesystem::directory_iterator(receipts_dir)) jobs.push_back(e.path());
  std::sort(jobs.begin(), jobs.end());
  if (jobs.empty()) return "";
  std::ifstream in(jobs.back(), std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
  auto paper = test::decode_escpos(bytes, 576).paper;
  auto codes = test::symbols_of(paper, "CODE-128");
  if (!codes.empty()) return codes[0];
  // A code too long for a readable Code128 is on paper as text and QR only.
  for (auto& q : test::symbols_of(paper, "QR-Code"))
    if (q.rfind("000201", 0) != 0) return q;
  return "";
}

}  // namespace

// The criminal record certificate (200,000 đồng) from the catalog to its receipt, in English.
json record_certificate_to_receipt() {
  json steps = {{{"tap", "attract.start"}}, {{"tap", "language.en"}}, {{"tap", "catalog.form.ly-lich-tu-phap"}}, {{"tap", "procedure.start"}},
                {{"tap", "identify.manual"}}};
  for (auto& x : typed("/applicant/fullName", "Hoàng Văn Nam")) steps.push_back(x);
  for (auto& x : typed("/applicant/idNumber", "001088054321")) steps.push_back(x);
  steps.push_back({{"tap", "option/applicant/sex.0"}});
  steps.push_back({{"tap", "date/applicant/dateOfBirth.year.minus"}});
  for (auto& x : typed("/applicant/placeOfBirth", "Xã Tân Phong, Tỉnh Lai Châu")) steps.push_back(x);
  for (json x : {json{{"tap", "nav.next"}}, json{{"tap", "nav.next"}}, json{{"tap", "nav.next"}},
                 json{{"tap", "repeat.add/residenceHistory"}}, json{{"tap", "date/residenceHistory/0/from.year.minus"}},
                 json{{"scroll", -5}}})
    steps.push_back(x);
  for (auto& x : typed("/residenceHistory/0/place", "Xã Tân Phong, Tỉnh Lai Châu")) steps.push_back(x);
  steps.push_back({{"tap", "nav.next"}});
  steps.push_back({{"tap", "option/certificateType.0"}});
  for (auto& x : typed("/purpose", "Xin việc")) steps.push_back(x);
  for (json x : {json{{"tap", "nav.next"}}, json{{"tap", "review.consent"}}, json{{"tap", "review.confirm"}}, json{{"idle", 2}},
                 json{{"expect", {{"step", "receipt"}}}}})
    steps.push_back(x);
  return steps;
}

// Between the top bar and the survey's button: seen without scrolling.
bool in_first_view(const Kiosk& k, const std::string& id) {
  const WidgetRect& w = k.widgets().at(id);
  return w.min.y >= k.widgets().at("chrome.help").max.y && w.max.y <= k.widgets().at("receipt.next").min.y;
}

TEST_CASE("a procedure's fee is in view on the receipt with where to pay, and its VietQR, last on the page, pays this dossier") {
  std::string dir = temp_dir();
  LocalPortal portal{dir};
  KioskConfig config = portal.kiosk_config();
  config.payment_bank_bin = "970436";
  config.payment_account = "0011004123456";
  auto k = open_kiosk("glfw", 0, config);
  REQUIRE(play(*k, record_certificate_to_receipt(), dir) == 0);
  // The receipt's own QR comes once its job ends (a file target: "sent"), above the VietQR.
  for (int i = 0; i < 300 && !k->widgets().count("receipt.qr"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    k->frame();
  }
  REQUIRE(k->widgets().count("receipt.qr"));
  REQUIRE(k->widgets().count("receipt.fee"));
  CHECK(k->widgets().at("receipt.fee").label.find("200,000") != std::string::npos);
  CHECK(k->widgets().at("receipt.fee").label.find("fee counter") != std::string::npos);
  CHECK(in_first_view(*k, "receipt.fee"));  // even with the printer's news and QR on the page
  CHECK_FALSE(in_first_view(*k, "receipt.fee_qr"));
  CHECK(k->widgets().at("receipt.fee_qr").min.y > k->widgets().at("receipt.qr").max.y);
  // A finger drags the page up by the receipt's QR to reach the VietQR.
  json drag_up = {{"widget", "receipt.qr"}, {"path", {{0.5, 1.0}, {0.5, 0.5}, {0.5, 0.0}}}};
  REQUIRE(play(*k, {{{"drag", drag_up}}, {{"idle", 1}}, {{"expect", {{"widget", "receipt.fee_qr"}}}}, {{"shot", "fee"}}}, dir) == 0);
  std::vector<std::string> payments;
  for (auto& s : test::symbols_of(test::screen_as_paper(dir + "/fee.png"), "QR-Code"))
    if (s.rfind("000201", 0) == 0) payments.push_back(s);
  REQUIRE(payments.size() == 1);
  printer::VietQr q = printer::parse_vietqr(payments[0]);
  CHECK(q.amount == 200000);
  CHECK(q.account == "0011004123456");
  CHECK(q.purpose == k->session().reference());
  CHECK(k->session().receipt().from_portal);  // a real dossier: the portal's code
  k.reset();
}

TEST_CASE("a demo kiosk shows a procedure's fee but asks nobody to pay for a dossier that goes nowhere") {
  std::string dir = temp_dir();
  KioskConfig config = quiet_printer();  // endpoint "demo"
  config.payment_bank_bin = "970436";
  config.payment_account = "0011004123456";
  auto k = open_kiosk("glfw", 0, config);
  REQUIRE(play(*k, record_certificate_to_receipt(), dir) == 0);
  for (int i = 0; i < 300 && !k->widgets().count("receipt.qr"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    k->frame();
  }
  REQUIRE(k->widgets().count("receipt.fee"));
  const std::string& fee = k->widgets().at("receipt.fee").label;
  CHECK(fee.find("200,000") != std::string::npos);
  CHECK(fee.find("demo") != std::string::npos);
  CHECK(fee.find("pay at") == std::string::npos);
  CHECK_FALSE(k->widgets().count("receipt.fee_qr"));
}

TEST_CASE("a full disk: the citizen is told the dossier was not kept and prints the answers for the counter") {
  std::string dir = temp_dir();
  test::SmallDisk disk(dir + "/disk", "16m");
  if (!disk.mounted) {
    MESSAGE("skipped: cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN)");
    return;
  }
  LocalPortal portal{dir};
  test::FakePrinter printer({});
  KioskConfig config = portal.kiosk_config();
  config.data_dir = disk.path;
  config.printer = "tcp:127.0.0.1:" + std::to_string(printer.port());
  auto k = open_kiosk("glfw", 0, config);
  json to_review = to_receipt();
  for (int i = 0; i < 4; ++i) to_review.erase(to_review.size() - 1);  // up to the review, not yet confirmed
  REQUIRE(play(*k, to_review, dir) == 0);
  std::string filler = disk.fill();
  json steps = {{{"tap", "review.consent"}}, {{"tap", "review.confirm"}}, {{"expect", {{"step", "submit"}}}},
                {{"expect", {{"widget", "submit.print_answers"}}}}, {{"shot", "not-kept"}},
                {{"tap", "submit.print_answers"}}, {{"idle", 1}}};
  REQUIRE(play(*k, steps, dir) == 0);
  for (int i = 0; i < 300 && k->paper_printer().state() == PaperPrinter::State::Printing; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    k->frame();
  }
  k->frame();
  CHECK(k->session().submit_error().size() > 0);
  CHECK(k->paper_printer().state() == PaperPrinter::State::Printed);  // the fake printer confirmed the whole job
  CHECK(k->widgets().at("submit.print_status").label == std::to_string(static_cast<int>(PaperPrinter::State::Printed)));
  REQUIRE(play(*k, {{{"shot", "answers-printed"}}}, dir) == 0);
  auto paper = test::decode_escpos(printer.received(), 576).paper;
  CHECK(paper.height > 600);  // header, six answers and the footer: a sheet, not a blank feed
  // The answers stay on screen: with room on the disk again, the same dossier is kept on retry.
  std::filesystem::remove(filler);
  std::filesystem::remove(filler + "2");
  REQUIRE(play(*k, {{{"tap", "submit.retry"}}, {{"expect", {{"step", "receipt"}}}}}, dir) == 0);
  std::filesystem::remove_all(dir + "/paper");
}

TEST_CASE("the answers sheet is never written to a file target: it is personal data") {
  std::string dir = temp_dir();
  KioskConfig config;
  config.printer = "file:" + dir + "/paper";
  Strings strings = Strings::load(root + "/locales", {"vi"});
  PaperPrinter printer(config, strings, root, {});
  printer.start("answers", json{{"centerName", "Trung tâm"}, {"procedureName", "Đăng ký khai sinh"},
                                {"printedAt", "2026-11-21T09:30:00"},
                                {"answers", json::array({json{{"label", "Họ, chữ đệm, tên"}, {"value", "Nguyễn Thị Lan"}}})}},
                "vi");
  for (int i = 0; i < 100 && printer.state() == PaperPrinter::State::Printing; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK(printer.state() == PaperPrinter::State::Failed);
  CHECK(printer.problem().find("never written to a file") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir + "/paper"));
}

TEST_CASE("a slow portal: the submit screen stays live while its code is awaited, says the dossier is kept, and the receipt carries the code") {
  std::string dir = temp_dir();
  LocalPortal portal{dir};
  KioskConfig config = portal.kiosk_config();
  config.portal_wait_seconds = 10;
  portal.server->set_fault(intake::Fault::parse("delay=1500:1"));  // the first answer takes 1.5 s
  auto k = open_kiosk("glfw", 0, config);
  json steps = to_receipt();
  while (steps.back() != json{{"tap", "review.confirm"}}) steps.erase(steps.size() - 1);
  steps.erase(steps.size() - 1);
  REQUIRE(play(*k, steps, dir) == 0);
  REQUIRE(k->widgets().count("review.confirm") == 1);

  // The citizen's tap on "Gửi hồ sơ", frame by frame as a finger gives it, and no waiting after.
  finger_tap(*k, "review.confirm");
  const auto tapped = SteadyClock::now();
  double longest_frame = 0;
  int frames_waiting = 0;
  bool said_kept = false, offered_end = false;
  while (k->session().step() != Step::Receipt && SteadyClock::now() - tapped < std::chrono::seconds(12)) {
    auto t0 = SteadyClock::now();
    k->frame();
    longest_frame = std::max(longest_frame, std::chrono::duration<double>(SteadyClock::now() - t0).count());
    if (k->session().waiting_for_portal()) {
      ++frames_waiting;
      said_kept = said_kept || k->widgets().count("submit.sending") == 1;
      offered_end = offered_end || k->widgets().count("chrome.end") == 1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const double waited = std::chrono::duration<double>(SteadyClock::now() - tapped).count();
  REQUIRE(k->session().step() == Step::Receipt);
  CHECK(waited > 1.0);        // the portal's 1.5 s...
  CHECK(frames_waiting > 10);  // ...were frames drawn, not a screen held
  CHECK(longest_frame < 0.5);
  CHECK(said_kept);           // "Hồ sơ đã được lưu. Đang gửi…": kept is already true
  CHECK_FALSE(offered_end);   // no "Kết thúc" between the dossier and its receipt
  CHECK(k->session().receipt().from_portal);
  CHECK(k->session().reference().rfind("000.00.00.H00-", 0) == 0);
  k->settle();
  CHECK(k->widgets().at("receipt.title").label == "accepted");
}

TEST_CASE("a dossier the portal refuses: the receipt and the slip say so and send the citizen to the counter, never 'sent when connected'") {
  std::string dir = temp_dir();
  LocalPortal portal{dir};
  KioskConfig config = portal.kiosk_config();
  config.portal_wait_seconds = 5;
  portal.server->set_fault(intake::Fault::parse("status=413:1"));  // too large: the portal refuses it for good
  auto k = open_kiosk("glfw", 0, config);
  json steps = to_receipt();
  steps.push_back({{"shot", "refused-receipt"}});
  REQUIRE(play(*k, steps, dir + "/shots") == 0);
  CHECK(k->session().receipt().refused);
  CHECK_FALSE(k->session().receipt().from_portal);
  CHECK(k->widgets().count("receipt.refused") == 1);
  CHECK(k->widgets().count("receipt.pending") == 0);  // "sẽ tự động gửi lên sau" would not be true
  CHECK(k->widgets().count("receipt.come_back") == 0);  // nor a date to come back for a result
  CHECK(k->widgets().at("receipt.title").label == "kept");
  Strings strings = Strings::load(root + "/locales", {"vi"});
  CHECK(k->widgets().at("receipt.keep_code").label == strings.get("vi", "receipt.keep_code_counter"));  // no result to look up
  CHECK(k->widgets().at("receipt.heading").label == strings.get("vi", "receipt.title_held"));  // the news first
  CHECK(k->widgets().at("receipt.refused").min.y < k->widgets().at("receipt.counter").min.y);  // before where to go
  CHECK(k->submission()->store().find(k->session().dossier_uuid())->state == "rejected");
  CHECK(printed_code(dir + "/paper") == k->session().reference());

  // Looked up later, it is still not "sent automatically later".
  std::string reference = k->session().reference();
  k->session().apply({Intent::Kind::EndSession}, k->now());
  REQUIRE(play(*k, json::array({{{"tap", "attract.lookup"}}, {{"tap", "lookup.code"}}, {{"type", reference}},
                                {{"tap", "lookup.submit"}}, {{"idle", 1}}, {{"shot", "refused-lookup"}}}), dir + "/shots") == 0);
  CHECK(k->widgets().at("lookup.result").label == "refused-at-kiosk");
  if (std::getenv("MOTCUA_KEEP_SHOTS")) MESSAGE("shots kept in " << dir);
}

TEST_CASE("a kiosk the portal refuses (its queue paused): the receipt and the lookup say staff must act, never 'sent automatically later'") {
  std::string dir = temp_dir();
  LocalPortal portal{dir};
  KioskConfig config = portal.kiosk_config();
  config.portal_wait_seconds = 5;
  config.portal_token = "not-this-kiosks-token";  // 401: the whole queue pauses until staff retry
  auto k = open_kiosk("glfw", 0, config);
  json steps = to_receipt();
  steps.push_back({{"shot", "paused-receipt"}});
  REQUIRE(play(*k, steps, dir + "/shots") == 0);
  CHECK_FALSE(k->submission()->store().paused().empty());
  CHECK(k->session().receipt().paused);
  CHECK_FALSE(k->session().receipt().from_portal);
  CHECK(k->widgets().count("receipt.paused") == 1);
  CHECK(k->widgets().count("receipt.pending") == 0);     // "sẽ tự động gửi lên sau" would not be true
  CHECK(k->widgets().count("receipt.come_back") == 0);   // nor a date, while nothing moves
  CHECK(k->widgets().at("receipt.title").label == "kept");
  Strings strings = Strings::load(root + "/locales", {"vi"});
  CHECK(k->widgets().at("receipt.keep_code").label == strings.get("vi", "receipt.keep_code_counter"));
  CHECK(k->widgets().at("receipt.heading").label == strings.get("vi", "receipt.title_held"));
  std::string reference = k->session().reference();
  CHECK(k->submission()->store().find(reference)->state == "waiting");  // kept, to go once staff act
  CHECK(printed_code(dir + "/paper") == reference);

  k->session().apply({Intent::Kind::EndSession}, k->now());
  REQUIRE(play(*k, json::array({{{"tap", "attract.lookup"}}, {{"tap", "lookup.code"}}, {{"type", reference}},
                                {{"tap", "lookup.submit"}}, {{"idle", 1}}, {{"shot", "paused-lookup"}}}), dir + "/shots") == 0);
  CHECK(k->widgets().at("lookup.result").label == "paused-at-kiosk");
  CHECK(k->widgets().count("lookup.evaluate") == 1);  // the service can still be rated

  if (std::getenv("MOTCUA_KEEP_SHOTS")) MESSAGE("shots kept in " << dir);
}

TEST_CASE("with a portal, the receipt carries the portal's code, and with the portal down the kiosk's own, sent later") {
  std::string dir = temp_dir();
  LocalPortal portal{dir};
  auto& server = portal.server;
  KioskConfig config = portal.kiosk_config();
  config.portal_wait_seconds = 5;
  Strings strings = Strings::load(root + "/locales", {"vi"});

  {
    auto k = open_kiosk("glfw", 0, config);
    REQUIRE(play(*k, to_receipt(), dir + "/online") == 0);
    std::string code = k->session().reference();
    CHECK(code.rfind("000.00.00.H00-", 0) == 0);
    CHECK(k->session().receipt().from_portal);
    CHECK(k->widgets().count("receipt.pending") == 0);
    CHECK(k->widgets().at("receipt.title").label == "accepted");  // "tiếp nhận": the portal has it
    // The portal's own date, not the kiosk's count: shown without "dự kiến".
    CHECK_FALSE(k->session().receipt().estimated);
    std::string date = k->submission()->store().find(k->session().dossier_uuid())->portal_appointment;
    CHECK(k->widgets().at("receipt.appointment").label == strings.format("vi", "receipt.appointment", {{"date", display_date(date)}}));
    CHECK(printed_code(dir + "/paper") == code);
    CHECK(server->stats().dossiers == 1);
  }

  server->stop();  // the portal goes away
  std::filesystem::remove_all(dir + "/paper");
  {
    auto k = open_kiosk("glfw", 0, config);
    json steps = to_receipt();
    steps.push_back({{"shot", "offline-receipt"}});
    REQUIRE(play(*k, steps, dir + "/offline") == 0);
    std::string reference = k->session().reference();
    CHECK(reference.rfind("KIOSK-01-", 0) == 0);
    CHECK_FALSE(k->session().receipt().from_portal);
    CHECK(k->widgets().count("receipt.pending") == 1);
    CHECK(k->widgets().at("receipt.title").label == "kept");  // "đã lưu tại kiosk", never "tiếp nhận"
    CHECK(k->session().receipt().appointment.size() == 10);
    // Nobody has received it: the date is the kiosk's count, shown as an estimate, and so is the
    // day to come back.
    std::string date = display_date(k->session().receipt().appointment);
    CHECK(k->widgets().at("receipt.appointment").label == strings.format("vi", "receipt.appointment_estimated", {{"date", date}}));
    CHECK(k->widgets().at("receipt.come_back").label == strings.format("vi", "receipt.come_back_estimated", {{"date", date}, {"counter", "1 hoặc 2"}}));
    CHECK(k->widgets().count("receipt.keep_code") == 0);  // the estimate's note asks for the look-up already
    CHECK(k->widgets().at("receipt.heading").label == strings.get("vi", "receipt.title_kept"));
    // Where it stands ("chưa tiếp nhận") before the estimated date it qualifies.
    CHECK(k->widgets().at("receipt.pending").min.y < k->widgets().at("receipt.appointment").min.y);
    CHECK(printed_code(dir + "/paper") == reference);
    std::string uuid = k->session().dossier_uuid();

    // The portal returns: the kiosk's sender delivers the dossier on its own, same key.
    intake::IntakeConfig sc = portal.server_config;
    sc.port = portal.port;
    intake::IntakeServer again(sc);
    again.start();
    k->submission()->store().retry_now();
    k->submission()->sender().kick();
    std::optional<outbox::Item> item;
    for (int i = 0; i < 250 && (item = k->submission()->store().find(uuid))->state != "sent"; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    CHECK(item->state == "sent");
    CHECK(item->kiosk_reference == reference);
    CHECK(again.stored_keys().count(uuid) == 1);
    again.stop();
  }
  if (std::getenv("MOTCUA_KEEP_SHOTS")) MESSAGE("shots kept in " << dir);
}

// The fleet-health file as node_exporter's textfile collector reads it: one value per metric.
std::map<std::string, double> read_metrics(const std::string& file) {
  std::map<std::string, double> m;
  std::ifstream in(file);
  REQUIRE_MESSAGE(in, file);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    auto space = line.rfind(' ');
    std::string key = line.substr(0, space);
    // Only the printer's state carries a second label; keep it, drop the kiosk label.
    std::string name = key.substr(0, key.find('{'));
    auto state = key.find("state=\"");
    if (state != std::string::npos) name.append(":").append(key.substr(state + 7, key.find('"', state + 7) - state - 7));
    m[name] = std::stod(line.substr(space + 1));
  }
  return m;
}

TEST_CASE("the kiosk's metrics file follows its outbox, sessions, printer and restarts") {
  std::string dir = temp_dir();
  LocalPortal portal{dir};
  KioskConfig config = portal.kiosk_config();
  config.metrics_dir = dir + "/textfile";
  std::filesystem::create_directories(config.metrics_dir);
  config.portal_wait_seconds = 1;
  const std::string file = config.metrics_dir + "/motcua.prom";
  portal.server->stop();  // offline: the dossier waits at the kiosk

  std::string uuid;
  {
    auto k = open_kiosk("glfw", 0, config);
    REQUIRE(play(*k, to_receipt(), dir + "/offline") == 0);
    uuid = k->session().dossier_uuid();
  }
  auto m = read_metrics(file);
  CHECK(m["motcua_outbox_waiting"] == 1);
  CHECK(m["motcua_outbox_oldest_waiting_seconds"] >= 0);
  CHECK(m["motcua_outbox_last_sent_timestamp_seconds"] == 0);
  CHECK(m["motcua_sessions_today"] == 1);
  CHECK(m["motcua_submissions_today"] == 1);
  CHECK(m["motcua_printer_state:sent"] == 1);  // the receipt went to its file, which cannot confirm
  CHECK(m["motcua_printer_state:ok"] == 0);
  CHECK(m.count("motcua_card_reader_present") == 1);  // reading is on ("auto"), no reader here
  CHECK(m["motcua_card_reader_present"] == 0);
  CHECK(m["motcua_starts_total"] == 1);
  CHECK(m["motcua_unclean_exits_total"] == 0);
  CHECK(m["motcua_build_info"] == 1);
  CHECK_FALSE(std::filesystem::exists(config.metrics_dir + "/.motcua.prom.tmp"));
  CHECK((std::filesystem::status(file).permissions() & std::filesystem::perms::others_read) != std::filesystem::perms::none);

  // The portal is back: once the dossier is sent the figures say so. A run that ended without
  // a clean exit (kill -9, watchdog) counts as unclean at the next start.
  intake::IntakeConfig sc = portal.server_config;
  sc.port = portal.port;
  intake::IntakeServer again(sc);
  again.start();
  {
    std::ofstream(config.data_dir + "/starts.json") << R"({"starts": 1, "uncleanExits": 0, "running": true})";
    auto k = open_kiosk("glfw", 0, config);
    k->submission()->store().retry_now();
    k->submission()->sender().kick();
    for (int i = 0; i < 250 && k->submission()->store().find(uuid)->state != "sent"; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    REQUIRE(k->submission()->store().find(uuid)->state == "sent");
  }
  m = read_metrics(file);
  CHECK(m["motcua_outbox_waiting"] == 0);
  CHECK(m["motcua_outbox_last_sent_timestamp_seconds"] > 1.7e9);
  CHECK(m["motcua_starts_total"] == 2);
  CHECK(m["motcua_unclean_exits_total"] == 1);
  again.stop();
}

TEST_CASE("status lookup by code: the portal's answer in plain words, an overdue dossier's apology printed, the kiosk's own waiting dossier") {
  std::string dir = temp_dir();
  LocalPortal portal{dir};
  auto& server = portal.server;
  KioskConfig config = portal.kiosk_config();
  std::string code;
  {
    auto k = open_kiosk("glfw", 0, config);
    REQUIRE(play(*k, to_receipt(), dir) == 0);
    code = k->session().reference();
  }
  intake::IntakeServer::set_status(portal.server_config.db_path, code, "overdue", "Chờ xác minh thông tin từ địa phương khác", "2026-12-04");
  auto look_up = [&](const std::string& what, const std::string& shot) {
    return json::array({{{"tap", "attract.lookup"}}, {{"expect", {{"step", "lookup"}}}}, {{"tap", "lookup.code"}},
                        {{"type", what}}, {{"tap", "lookup.submit"}}, {{"shot", shot}}});
  };
  {
    auto k = open_kiosk("glfw", 0, config);
    json steps = look_up(code, "lookup-overdue");
    steps.push_back({{"tap", "lookup.print_apology"}});
    steps.push_back({{"idle", 2}});
    steps.push_back({{"shot", "lookup-apology-printed"}});
    REQUIRE(play(*k, steps, dir + "/shots") == 0);
    CHECK(k->widgets().at("lookup.result").label == "overdue");
    CHECK(k->paper_printer().state() == PaperPrinter::State::Sent);
    std::string words = k->widgets().at("lookup.result").label;
    CHECK(k->session().lookup_result()->new_appointment == "2026-12-04");
  }
  {
    auto k = open_kiosk("glfw", 0, config);
    REQUIRE(play(*k, look_up("000.00.00.H00-000000-9999", "lookup-not-found"), dir + "/shots") == 0);
    CHECK(k->widgets().at("lookup.result").label == "not-found");
  }
  server->stop();
  {
    // The portal is down: a dossier confirmed now waits in the outbox and the lookup says so.
    auto k = open_kiosk("glfw", 0, config);
    REQUIRE(play(*k, to_receipt(), dir) == 0);
    std::string reference = k->session().reference();
    k->session().apply({Intent::Kind::EndSession}, k->now());
    REQUIRE(play(*k, look_up(reference, "lookup-waiting"), dir + "/shots") == 0);
    CHECK(k->widgets().at("lookup.result").label == "waiting-at-kiosk");
    CHECK(k->widgets().at("lookup.appointment").label.find("(dự kiến)") != std::string::npos);
    k->session().apply({Intent::Kind::EndSession}, k->now());
    REQUIRE(play(*k, look_up(code, "lookup-unavailable"), dir + "/shots") == 0);
    CHECK(k->widgets().at("lookup.result").label == "unavailable");
  }
  if (std::getenv("MOTCUA_KEEP_SHOTS")) MESSAGE("shots kept in " << dir);
}

TEST_CASE("while the portal is asked the lookup button says so and cannot be pressed again, and the keyboard has gone") {
  std::string dir = temp_dir();
  LocalPortal portal{dir};
  auto k = open_kiosk("glfw", 0, portal.kiosk_config());
  REQUIRE(play(*k, {{{"tap", "attract.lookup"}}, {{"tap", "lookup.code"}}, {{"type", "000.00.00.H00-000000-9999"}}}, dir) == 0);
  REQUIRE(k->session().keyboard().target == "lookup.code");
  CHECK(k->widgets().at("lookup.submit").interactive);
  CHECK(k->widgets().count("key.done") == 1);
  portal.server->set_fault(intake::Fault::parse("delay=1500"));  // every answer takes 1.5 s
  k->session().apply({Intent::Kind::LookupSubmit}, k->now());
  k->run(0.3);
  CHECK_FALSE(k->widgets().at("lookup.submit").interactive);  // grey: asking
  CHECK(k->widgets().at("lookup.submit").label == "Đang tra cứu…");
  CHECK(k->session().keyboard().target.empty());
  CHECK(k->widgets().count("key.done") == 0);  // the keyboard is not drawn
  k->capture_next_frame(dir + "/lookup-asking.png");
  k->frame();
  CHECK(k->capture_error().empty());
  portal.server->set_fault(intake::Fault::parse("none"));
  // Up to the lookup's own 5 s and more: on a loaded CI machine the delayed answer once took over
  // 4 s to arrive. The wait ends with the answer.
  for (int i = 0; i < 100 && k->session().lookup_pending(); ++i) k->run(0.1);
  k->run(0.2);
  CHECK(k->widgets().at("lookup.submit").interactive);
  CHECK(k->widgets().at("lookup.result").label == "not-found");
  if (std::getenv("MOTCUA_KEEP_SHOTS")) MESSAGE("shots kept in " << dir);
}

TEST_CASE("a lookup the portal is slow to answer does not hold the kiosk's stop") {
  std::string dir = temp_dir();
  LocalPortal portal{dir};
  auto k = open_kiosk("glfw", 0, portal.kiosk_config());
  REQUIRE(play(*k, {{{"tap", "attract.lookup"}}, {{"tap", "lookup.code"}}, {{"type", "000.00.00.H00-000000-9999"}}}, dir) == 0);
  portal.server->set_fault(intake::Fault::parse("delay=8000"));  // longer than the lookup's 5 s timeout
  k->session().apply({Intent::Kind::LookupSubmit}, k->now());
  k->run(0.5);
  REQUIRE(k->session().lookup_pending());
  auto started = std::chrono::steady_clock::now();
  k.reset();  // the kiosk stops: restart, update, systemctl stop
  // Cut short within about a second (libcurl's progress callback); without it, 4.5 s.
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(3500));
  portal.server->set_fault(intake::Fault::parse("none"));
}

TEST_CASE("the staff screen behind its PIN shows today's and this month's figures as bars and exports the month as CSV") {
  std::string dir = temp_dir();
  std::string today = local_time("%Y-%m-%d");
  int day_of_month = std::atoi(today.substr(8).c_str());
  test::generate_history(dir + "/data", 400, 5, today.substr(0, 8) + "01", day_of_month);
  KioskConfig config = quiet_printer();
  config.data_dir = dir + "/data";
  config.export_dir = dir + "/usb";
  config.staff = {{"CB-01", hash_pin("2468", kOldestPinIterations)}};  // renewed to 600,000 at sign-in
  std::filesystem::create_directories(config.export_dir);
  auto k = open_kiosk("glfw", 0, config);
  struct Umask {  // as main() sets it for the data folder; restored however the test ends
    mode_t before = ::umask(077);
    ~Umask() { ::umask(before); }
  } umask_077;
  json steps = {{{"tap", "attract.staff"}}, {{"expect", {{"step", "staff_pin"}}}},
                {{"tap", "volunteer.digit.1"}}, {{"tap", "volunteer.ok"}},  // a wrong PIN
                {{"expect", {{"step", "staff_pin"}}}},
                {{"tap", "volunteer.digit.2"}}, {{"tap", "volunteer.digit.4"}}, {{"tap", "volunteer.digit.6"}},
                {{"tap", "volunteer.digit.8"}}, {{"tap", "volunteer.ok"}},
                {{"expect", {{"step", "staff"}}}}, {{"shot", "staff"}},
                {{"tap", "nav.more"}}, {{"shot", "staff-more"}},  // the export is under the month's figures
                {{"tap", "staff.export"}}, {{"idle", 1}}};
  REQUIRE(play(*k, steps, dir + "/shots") == 0);
  Stats month = compute_stats(config.data_dir + "/history.sqlite", config.data_dir + "/outbox/outbox.sqlite",
                              {today.substr(0, 8) + "01", today, "day"});
  std::string visits = k->widgets().at("staff.month.visits").label;
  CHECK(visits.find("=" + std::to_string(month.total.submitted) + ";") != std::string::npos);
  std::string path = config.export_dir + "/motcua-KIOSK-01-" + today.substr(0, 7) + ".csv";
  CHECK(k->widgets().at("staff.export_result").label == path);
  std::string csv = test::slurp(path);
  CHECK(csv.rfind("group,sessions,", 0) == 0);
  CHECK(csv.find("\nTOTAL," + std::to_string(month.total.sessions) + ",") != std::string::npos);
  // For other computers: readable by all, whatever the kiosk's own umask (counts only, no names).
  using std::filesystem::perms;
  CHECK((std::filesystem::status(path).permissions() & perms::all) ==
        (perms::owner_read | perms::owner_write | perms::group_read | perms::others_read));

  // A full stick: "failed", and the file already on it is left whole.
  {
    test::SmallDisk stick(config.export_dir, "256k");
    if (!stick.mounted) {
      MESSAGE("not root: the full stick is not tried");
    } else {
      REQUIRE(play(*k, {{{"tap", "staff.export"}}, {{"idle", 1}}}, dir + "/shots") == 0);
      CHECK(k->widgets().at("staff.export_result").label == path);
      std::string before = test::slurp(path);
      stick.fill();
      REQUIRE(play(*k, {{{"tap", "staff.export"}}, {{"idle", 1}}}, dir + "/shots") == 0);
      CHECK(k->widgets().at("staff.export_result").label == "failed");
      CHECK(test::slurp(path) == before);
      CHECK_FALSE(std::filesystem::exists(path + ".tmp"));
    }
  }

  // The stick pulled out: a clear message, nothing half-written.
  std::filesystem::remove_all(config.export_dir);
  REQUIRE(play(*k, {{{"tap", "staff.export"}}, {{"idle", 1}}}, dir + "/shots") == 0);
  CHECK(k->widgets().at("staff.export_result").label == "failed");
  REQUIRE(play(*k, {{{"tap", "nav.back"}}, {{"expect", {{"step", "attract"}}}}}, dir + "/shots") == 0);
  if (std::getenv("MOTCUA_KEEP_SHOTS")) MESSAGE("shots kept in " << dir);
}

TEST_CASE("the kiosk keyboard types Vietnamese into the touched field, a digit pad for numbers, and closes with Done") {
  std::string dir = temp_dir();
  auto k = open_kiosk();
  json steps = {{{"tap", "attract.start"}}, {{"tap", "language.vi"}}, {{"tap", "catalog.form.khai-sinh"}}, {{"tap", "procedure.start"}},
                {{"tap", "identify.manual"}}, {{"tap", "field/declarant/fullName"}},
                {{"expect", {{"widget", "key.a"}}}}};
  for (const char* key : {"l", "e", "shape:circumflex", "space", "v", "a", "n", "shape:breve", "space", "t", "h", "u", "o", "n",
                          "g", "shape:horn", "tone:hook"})
    steps.push_back({{"tap", std::string("key.") + key}});
  steps.push_back({{"shot", "keyboard-letters"}});
  steps.push_back({{"tap", "field/declarant/idNumber"}});
  steps.push_back({{"expect", {{"widget", "key.0"}, {"noWidget", "key.a"}}}});
  for (const char* key : {"0", "0", "1", "1", "9", "0", "0", "1", "2", "3", "4", "5", "backspace", "5"})
    steps.push_back({{"tap", std::string("key.") + key}});
  steps.push_back({{"shot", "keyboard-digits"}});
  steps.push_back({{"tap", "key.done"}});
  steps.push_back({{"expect", {{"noWidget", "keyboard"}}}});
  REQUIRE(play(*k, steps, dir) == 0);
  CHECK(*k->session().data().find("/declarant/fullName") == "Lê Văn Thưởng");
  CHECK(*k->session().data().find("/declarant/idNumber") == "001190012345");
  if (std::getenv("MOTCUA_KEEP_SHOTS")) MESSAGE("shots kept in " << dir);
}

TEST_CASE("a field's help sheet opens under it with an example and closes again") {
  std::string dir = temp_dir();
  auto k = open_kiosk();
  REQUIRE(play(*k, {{{"tap", "attract.start"}}, {{"tap", "language.vi"}}, {{"tap", "catalog.form.khai-sinh"}}, {{"tap", "procedure.start"}},
                    {{"tap", "identify.manual"}}, {{"tap", "help/declarant/idNumber"}}, {{"shot", "help"}}},
               dir) == 0);
  std::string sheet = k->widgets().at("help.sheet").label;
  CHECK(sheet.find("12 chữ số") != std::string::npos);
  CHECK(sheet.find("Ví dụ: 001190012345") != std::string::npos);
  REQUIRE(play(*k, {{{"tap", "help/declarant/idNumber"}}, {{"expect", {{"noWidget", "help.sheet"}}}}}, dir) == 0);
  json steps = json::array();
  for (auto& [f, v] : std::vector<std::pair<std::string, std::string>>{
           {"/declarant/fullName", "Nguyễn Thị Lan"}, {"/declarant/idNumber", "001190012345"}})
    for (auto& x : typed(f, v)) steps.push_back(x);
  steps.push_back({{"tap", "option/declarant/relationship.1"}});  // Mẹ
  steps.push_back({{"tap", "help/declarant/fullName"}});
  steps.push_back({{"expect", {{"widget", "help.sheet"}}}});
  steps.push_back({{"tap", "nav.next"}});
  steps.push_back({{"expect", {{"formStep", 1}, {"noWidget", "help.sheet"}}}});  // a new step starts with help closed
  REQUIRE(play(*k, steps, dir) == 0);
  if (std::getenv("MOTCUA_KEEP_SHOTS")) MESSAGE("shots kept in " << dir);
}

// The criminal record certificate's residence step with two places lived added.
json to_two_places_lived() {
  json steps = record_certificate_to_receipt();
  while (steps.back() != json{{"tap", "repeat.add/residenceHistory"}}) steps.erase(steps.size() - 1);
  steps.push_back({{"tap", "repeat.add/residenceHistory"}});
  return steps;
}

TEST_CASE("each repeat item's help button opens the sheet under its own field, not every item's at once") {
  std::string dir = temp_dir();
  auto k = open_kiosk();
  json steps = to_two_places_lived();
  steps.push_back({{"scroll", -10}});
  steps.push_back({{"tap", "help/residenceHistory/1/place"}});
  steps.push_back({{"shot", "repeat-help"}});
  REQUIRE(play(*k, steps, dir) == 0);
  const auto& w = k->widgets();
  REQUIRE(w.count("help/residenceHistory/0/place") == 1);
  REQUIRE(w.count("help/residenceHistory/1/place") == 1);
  Strings strings = Strings::load(root + "/locales", {"en"});
  CHECK(w.at("help/residenceHistory/0/place").label == strings.get("en", "help.open"));
  CHECK(w.at("help/residenceHistory/1/place").label == strings.get("en", "help.close"));
  REQUIRE(w.count("help.sheet") == 1);
  CHECK(w.at("help.sheet").min.y >= w.at("help/residenceHistory/1/place").max.y);  // under the second item's button
  CHECK(w.at("help.sheet").min.y > w.at("help/residenceHistory/0/place").max.y);
  // The first item's: that one opens instead.
  REQUIRE(play(*k, {{{"scroll", 10}}, {{"tap", "help/residenceHistory/0/place"}}, {{"shot", "repeat-help-first"}}}, dir) == 0);
  CHECK(k->widgets().at("help/residenceHistory/0/place").label == strings.get("en", "help.close"));
  CHECK(k->widgets().at("help/residenceHistory/1/place").label == strings.get("en", "help.open"));
  CHECK(k->widgets().at("help.sheet").max.y <= k->widgets().at("help/residenceHistory/1/place").min.y);
  // Three places, the second's help open; the first removed: the sheet does not move to the third,
  // which takes the second's number.
  REQUIRE(play(*k, {{{"tap", "help/residenceHistory/0/place"}}, {{"scroll", -40}}, {{"tap", "repeat.add/residenceHistory"}}}, dir) == 0);
  auto scroll_to = [&](const std::string& id) {  // a notch at a time, up or down, until it is between the bars
    for (int notch = 0; notch < 40; ++notch) {
      float y = k->widgets().at(id).center().y, top = k->widgets().at("chrome.help").max.y, bottom = k->widgets().at("nav.back").min.y;
      if (k->widgets().count("nav.more")) bottom = k->widgets().at("nav.more").min.y;
      if (y > top + 20 && y < bottom - 20) return;
      REQUIRE(play(*k, {{{"scroll", y <= top + 20 ? 1 : -1}}}, dir) == 0);
    }
  };
  scroll_to("help/residenceHistory/1/place");
  REQUIRE(play(*k, {{{"tap", "help/residenceHistory/1/place"}}, {{"expect", {{"widget", "help.sheet"}}}}}, dir) == 0);
  scroll_to("repeat.remove/residenceHistory/0");
  REQUIRE(play(*k, {{{"tap", "repeat.remove/residenceHistory/0"}}, {{"tap", "ask.yes"}}, {{"expect", {{"noWidget", "help.sheet"}}}}}, dir) == 0);
  CHECK(k->session().item_count("/residenceHistory") == 2);
  if (std::getenv("MOTCUA_KEEP_SHOTS")) MESSAGE("shots kept in " << dir);
}

TEST_CASE("a page taller than the screen says there is more below, and each tap on it shows the next part until the end") {
  std::string dir = temp_dir();
  auto k = open_kiosk();
  json steps = to_two_places_lived();  // a page taller than the screen
  steps.push_back({{"scroll", 30}});       // back to its top
  steps.push_back({{"shot", "more-below"}});
  REQUIRE(play(*k, steps, dir) == 0);
  REQUIRE(k->widgets().count("nav.more") == 1);
  CHECK(k->widgets().at("nav.more").max.y <= k->widgets().at("nav.next").min.y);  // between the page and Next
  CHECK(k->widgets().at("nav.more").min.y >= k->widgets().at("field/residenceHistory/0/place").min.y);
  // A tap is answered by the frame that sees it: the page has moved in the picture of its release.
  const float before = k->widgets().at("repeat.add/residenceHistory").min.y;
  finger_tap(*k, "nav.more");
  CHECK(k->widgets().at("repeat.add/residenceHistory").min.y < before - 1000);
  REQUIRE(play(*k, {{{"scroll", 30}}}, dir) == 0);  // back to the top
  int taps = 0;
  float last_y = k->widgets().at("repeat.add/residenceHistory").min.y;
  while (k->widgets().count("nav.more") && taps < 10) {
    REQUIRE(play(*k, {{{"tap", "nav.more"}}}, dir) == 0);
    ++taps;
    float y = k->widgets().at("repeat.add/residenceHistory").min.y;
    CHECK(y < last_y - (taps == 1 ? 1000 : 0));  // the page moved up, the first time by most of a screen
    last_y = y;
  }
  CHECK(taps >= 1);
  CHECK_FALSE(k->widgets().count("nav.more"));  // at the end of the page it goes
  // The last button of the page is in view: above the strip's room and Next.
  CHECK(k->widgets().at("repeat.add/residenceHistory").max.y <= k->widgets().at("nav.next").min.y);
  REQUIRE(play(*k, {{{"tap", "repeat.add/residenceHistory"}}, {{"shot", "more-below-end"}}}, dir) == 0);
  // The place just added comes into view, from its first field to the add button under it.
  const WidgetRect& added = k->widgets().at("date/residenceHistory/2/from.day.minus");
  CHECK(added.min.y >= k->widgets().at("chrome.help").max.y);
  CHECK(k->widgets().at("repeat.add/residenceHistory").max.y <= k->widgets().at("nav.next").min.y);
  CHECK_FALSE(k->widgets().count("nav.more"));  // it is the last thing on the page: nothing more below
  // A page that fits has no such strip: the first step with the form's few fields.
  REQUIRE(play(*k, {{{"tap", "nav.back"}}, {{"tap", "nav.back"}}, {{"tap", "nav.back"}}, {{"expect", {{"formStep", 0}}}}}, dir) == 0);
  CHECK_FALSE(k->widgets().count("nav.more"));
  if (std::getenv("MOTCUA_KEEP_SHOTS")) MESSAGE("shots kept in " << dir);
}

TEST_CASE("the review's consent box stays put while 'Xem thêm bên dưới' shows the rest of the answers") {
  std::string dir = temp_dir();
  auto k = open_kiosk();
  json steps = to_receipt();
  while (steps.back() != json{{"tap", "review.consent"}}) steps.erase(steps.size() - 1);
  steps.erase(steps.size() - 1);
  REQUIRE(play(*k, steps, dir) == 0);
  REQUIRE(k->widgets().count("nav.more") == 1);  // a birth registration's answers are longer than the screen
  const WidgetRect consent = k->widgets().at("review.consent");
  CHECK(consent.min.y >= k->widgets().at("nav.more").max.y);
  for (int taps = 0; k->widgets().count("nav.more") && taps < 10; ++taps) REQUIRE(play(*k, {{{"tap", "nav.more"}}}, dir) == 0);
  CHECK_FALSE(k->widgets().count("nav.more"));  // the end of the answers
  CHECK(k->widgets().at("review.consent").min.y == doctest::Approx(consent.min.y));
  CHECK(k->widgets().at("review.consent").max.y <= k->widgets().at("review.confirm").min.y);
}

TEST_CASE("the marital status form is filled end to end on the real screens: options, a searchable list, a repeat, a signature") {
  std::string dir = temp_dir();
  auto k = open_kiosk();
  json steps = json::array({
      {{"tap", "attract.start"}}, {{"tap", "language.vi"}}, {{"tap", "catalog.search"}}, {{"type", "hon nhan"}},
      {{"tap", "key.done"}}, {{"tap", "catalog.form.xac-nhan-hon-nhan"}}, {{"tap", "procedure.start"}}, {{"tap", "identify.manual"}},
      {{"tap", "field/applicant/fullName"}}, {{"type", "Lê Thị Hoa"}}, {{"tap", "key.done"}},
      {{"tap", "field/applicant/idNumber"}}, {{"type", "001199012345"}}, {{"tap", "key.done"}},
      {{"tap", "date/applicant/dateOfBirth.year.minus10"}}, {{"tap", "date/applicant/dateOfBirth.year.minus10"}},
      {{"tap", "date/applicant/dateOfBirth.year.minus10"}}, {{"tap", "option/applicant/sex.1"}},
      {{"tap", "search/applicant/ethnicity"}}, {{"type", "ede"}},
      {{"expect", {{"widget", "option/applicant/ethnicity.10"}, {"noWidget", "option/applicant/ethnicity.0"}}}},
      {{"shot", "hn-1-search"}}, {{"tap", "option/applicant/ethnicity.10"}},
      {{"expect", {{"label", {{"field/applicant/ethnicity", "Ê Đê"}}}}}}, {{"scroll", -3}},
      {{"tap", "field/applicant/placeOfResidence"}}, {{"type", "Xã Tân Phong, Tỉnh Lai Châu"}}, {{"tap", "key.done"}},
      {{"shot", "hn-2-applicant"}}, {{"tap", "nav.next"}},
      {{"expect", {{"formStep", 1}}}},
      {{"tap", "option/maritalStatus.2"}}, {{"tap", "nav.next"}},
      {{"expect", {{"formStep", 1}, {"widget", "error/previousMarriages"}}}}, {{"shot", "hn-3-repeat-error"}},
      {{"tap", "repeat.add/previousMarriages"}}, {{"tap", "field/previousMarriages/0/spouseName"}},
      {{"type", "Trần Văn Bình"}}, {{"tap", "key.done"}}, {{"tap", "date/previousMarriages/0/endedOn.day.plus"}},
      {{"expect", {{"noWidget", "field/previousMarriages/0/divorceDecision"}}}},  // asked only once the item says divorce
      {{"tap", "option/previousMarriages/0/endedBy.0"}},
      {{"tap", "field/previousMarriages/0/divorceDecision"}}, {{"type", "12/2020/QĐST-HNGĐ"}}, {{"tap", "key.done"}},
      {{"shot", "hn-4-repeat"}}, {{"tap", "nav.next"}},
      {{"expect", {{"formStep", 2}}}},
      {{"tap", "option/purpose.0"}}, {{"tap", "field/intendedSpouse/fullName"}}, {{"type", "Kim Min Jun"}},
      {{"tap", "key.done"}}, {{"tap", "search/intendedSpouse/nationality"}}, {{"type", "han"}},
      {{"tap", "option/intendedSpouse/nationality.1"}}, {{"shot", "hn-5-purpose"}}, {{"tap", "nav.next"}},
      {{"expect", {{"formStep", 3}}}}, {{"tap", "nav.next"}},
      {{"expect", {{"formStep", 3}, {"widget", "error/signature"}}}}, {{"shot", "hn-6-unsigned"}},
      {{"drag", {{"widget", "field/signature"}, {"path", {{0.1, 0.7}, {0.2, 0.3}, {0.3, 0.7}, {0.45, 0.3}, {0.6, 0.6}, {0.85, 0.4}}}}}},
      {{"expect", {{"label", {{"field/signature", "signed"}}}, {"noWidget", "error/signature"}}}},
      {{"shot", "hn-7-signed"}}, {{"tap", "nav.next"}},
      {{"expect", {{"step", "review"}}}}, {{"shot", "hn-8-review"}}, {{"scroll", -10}}, {{"shot", "hn-9-review-end"}},
  });
  int rc = play(*k, steps, dir);
  if (const char* keep = std::getenv("MOTCUA_KEEP_SHOTS"))
    std::filesystem::copy(dir, keep, std::filesystem::copy_options::overwrite_existing | std::filesystem::copy_options::recursive);
  REQUIRE(rc == 0);
  // The ink is on the pad where the finger went: dark pixels inside the pad's rectangle.
  json meta = load_json(dir + "/hn-7-signed.json")["widgets"]["field/signature"];
  Image img = load_png(dir + "/hn-7-signed.png");
  int dark = 0;
  for (int y = int(meta["y"].get<double>()); y < int(meta["y"].get<double>() + meta["h"].get<double>()); ++y)
    for (int x = int(meta["x"].get<double>()); x < int(meta["x"].get<double>() + meta["w"].get<double>()); ++x) {
      auto c = img.at(float(x), float(y));
      if (c[0] < 80 && c[2] < 140) ++dark;
    }
  CHECK(dark > 500);
}

// Every bundled procedure filled end to end on the real screens, each with a refused Next and
// its correction, to the receipt (tests/fixtures/runs/<form>.json; the marital status form above).
TEST_CASE("each bundled procedure is filled end to end with an error and its correction") {
  for (const char* form : {"thuong-tru", "ly-lich-tu-phap", "khai-tu", "ho-kinh-doanh"}) {
    CAPTURE(form);
    std::string dir = temp_dir();
    auto k = open_kiosk();
    json run = load_json(root + "/tests/fixtures/runs/" + form + ".json");
    std::string err;
    int rc = play(*k, run["steps"], dir, &err);
    if (const char* keep = std::getenv("MOTCUA_KEEP_SHOTS"))
      std::filesystem::copy(dir, keep, std::filesystem::copy_options::overwrite_existing | std::filesystem::copy_options::recursive);
    CHECK_MESSAGE(rc == 0, err);
  }
}

TEST_CASE("a tap that changes the screen is answered by the frame that sees it, fully drawn, and settling redraws nothing") {
  auto k = open_kiosk();
  k->settle();
  std::string dir = temp_dir();
  // attract → language → catalog: each tap's own frame must already show the next screen.
  for (const char* id : {"attract.start", "language.vi"}) {
    CAPTURE(id);
    auto w = k->widgets().find(id);
    REQUIRE(w != k->widgets().end());
    ImVec2 p = w->second.center();
    Step before = k->session().step();
    k->inject({p, false});
    k->frame();
    k->inject({p, true});
    k->frame();
    k->inject({p, false});
    k->capture_next_frame(dir + "/answer.png");
    k->frame();
    k->inject({});
    CHECK(k->session().step() != before);
    std::uint64_t answer = k->shown_picture();
    long presented = k->frames_presented(), unchanged = k->frames_unchanged();
    k->settle();
    // The picture the tap's frame showed is the settled screen: same fingerprint, same pixels.
    CHECK(k->shown_picture() == answer);
    CHECK(k->frames_presented() == presented);
    CHECK(k->frames_unchanged() > unchanged);
    k->capture_next_frame(dir + "/settled.png");
    k->frame();
    CHECK(test::slurp(dir + "/answer.png") == test::slurp(dir + "/settled.png"));
  }
  CHECK(k->session().step() == Step::Catalog);
}

// The consent's tick box is part of what a finger can press, and it grows with the text: an
// elderly citizen who taps the little square itself must tick it, and see it at 200 %.
TEST_CASE("the review's consent box is inside its button and grows with the text size") {
  std::string dir = temp_dir();
  auto k = open_kiosk();
  json steps = to_receipt();
  for (int i = 0; i < 4; ++i) steps.erase(steps.size() - 1);  // up to the review, not yet ticked
  REQUIRE(play(*k, steps, dir) == 0);
  const ImU32 primary = palette(false).primary;
  std::map<int, float> box_height;
  for (int percent : {100, 150, 200}) {
    CAPTURE(percent);
    if (percent > 100) REQUIRE(play(*k, {{{"tap", "chrome.text_size"}}}, dir) == 0);
    const std::string name = "consent-" + std::to_string(percent);
    REQUIRE(play(*k, {{{"expect", {{"textPercent", percent}}}}, {{"shot", name}}}, dir) == 0);
    json w = load_json(dir + "/" + name + ".json")["widgets"]["review.consent"];
    Image img = load_png(dir + "/" + name + ".png");
    const float x0 = w["x"].get<float>(), y0 = w["y"].get<float>();
    const float x1 = x0 + w["w"].get<float>(), y1 = y0 + w["h"].get<float>();
    // Nothing of the control is drawn where a tap would not reach it.
    int outside = 0;
    for (float y = y0; y < y1; ++y)
      for (float x = 0; x + 1 < x0; ++x) outside += near(img.at(x, y), primary, 40);
    CHECK(outside == 0);
    // Unticked, the words are in the text colour: the primary-coloured pixels inside are the box.
    float top = y1, bottom = y0;
    for (float y = y0 + 4; y < y1 - 4; ++y)
      for (float x = x0 + 4; x < x1 - 4; ++x)
        if (near(img.at(x, y), primary, 40)) top = std::min(top, y), bottom = std::max(bottom, y);
    REQUIRE(bottom > top);
    box_height[percent] = bottom - top;
  }
  CHECK(box_height[200] >= 1.5f * box_height[100]);
  REQUIRE(play(*k, {{{"tap", "review.consent"}}, {{"tap", "review.confirm"}}, {{"expect", {{"step", "receipt"}}}}}, dir) == 0);
  if (std::getenv("MOTCUA_KEEP_SHOTS")) MESSAGE("shots kept in " << dir);
}
