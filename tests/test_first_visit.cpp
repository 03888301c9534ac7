// A first-time citizen alone at the kiosk (issue 19): nothing destructive happens on one touch,
// a blocked button says why, errors wait until the citizen tried, and help is one touch away on
// every screen. The real kiosk in a real window under Xvfb; assertions on what is on screen.
#include <doctest/doctest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "terminal/ui/kiosk.h"
#include "terminal/ui/script.h"
#include "tests/support/files.h"
#include "tests/support/screen_kiosk.h"
#include "tests/support/xvfb.h"

using namespace motcua;
using nlohmann::json;

namespace {

const std::string root = MOTCUA_SOURCE_ROOT;

KioskConfig config_in(const test::TempDir& dir) {
  KioskConfig c;
  c.printer = "file:" + dir / "paper";
  c.data_dir = dir / "kiosk";
  c.speech_output = "file:" + dir / "speech";
  return c;
}

int run(Kiosk& k, const json& steps, const std::string& dir) { return test::play_scenario(k, steps, dir); }

json shot(const std::string& path) {
  std::ifstream in(path);
  return json::parse(in);
}

// The birth registration filled correctly (the child's sex, ethnic group and place of origin, the
// mother; no father), ending on the review.
json to_review() {
  json s = json::array({{{"tap", "attract.start"}}, {{"tap", "language.vi"}}, {{"tap", "catalog.form.khai-sinh"}}, {{"tap", "procedure.start"}},
                        {{"tap", "identify.manual"}}});
  for (auto [field, text] : std::vector<std::pair<std::string, std::string>>{
           {"/declarant/fullName", "Nguyễn Thị Ánh Tuyết"}, {"/declarant/idNumber", "001190012345"}}) {
    s.push_back({{"tap", "field" + field}});
    s.push_back({{"type", text}});
    s.push_back({{"tap", "key.done"}});
  }
  s.push_back({{"tap", "option/declarant/relationship.1"}});  // Mẹ
  s.push_back({{"tap", "nav.next"}});
  for (json x : {json{{"tap", "field/child/fullName"}}, json{{"type", "Trần Minh An"}}, json{{"tap", "key.done"}},
                 json{{"tap", "date/child/dateOfBirth.year.minus"}}, json{{"tap", "option/child/sex.0"}},
                 json{{"tap", "search/child/ethnicity"}}, json{{"type", "kinh"}}, json{{"tap", "option/child/ethnicity.0"}},
                 json{{"scroll", -10}}, json{{"tap", "field/child/placeOfBirth"}}, json{{"type", "Bệnh viện Phụ sản Hà Nội"}},
                 json{{"tap", "key.done"}}, json{{"tap", "field/child/hometown"}},
                 json{{"type", "Xã Tân Phong, Tỉnh Lai Châu"}}, json{{"tap", "key.done"}}, json{{"tap", "nav.next"}},
                 json{{"tap", "field/mother/fullName"}}, json{{"type", "Nguyễn Thị Ánh Tuyết"}}, json{{"tap", "key.done"}},
                 json{{"tap", "field/mother/birthYear"}}, json{{"type", "1995"}}, json{{"tap", "key.done"}},
                 json{{"tap", "search/mother/ethnicity"}}, json{{"type", "kinh"}}, json{{"tap", "option/mother/ethnicity.0"}},
                 json{{"scroll", -5}}, json{{"tap", "field/mother/placeOfResidence"}},
                 json{{"type", "Số 12 phố Hàng Bạc, Hà Nội"}}, json{{"tap", "key.done"}}, json{{"tap", "nav.next"}},
                 json{{"tap", "nav.next"}}, json{{"tap", "nav.next"}}})
    s.push_back(x);
  s.push_back({{"expect", {{"step", "review"}}}});
  return s;
}

}  // namespace

TEST_CASE("Kết thúc asks first with Yes and No far apart: No keeps every answer, Yes wipes") {
  test::TempDir dir;
  auto k = test::open_screen_kiosk(config_in(dir));
  // Nothing typed yet: ending asks nothing.
  REQUIRE(run(*k, {{{"tap", "attract.start"}}, {{"tap", "language.vi"}}, {{"tap", "chrome.end"}}, {{"expect", {{"step", "attract"}}}}},
              dir.path) == 0);
  REQUIRE(run(*k, {{{"tap", "attract.start"}}, {{"tap", "language.vi"}}, {{"tap", "catalog.form.khai-sinh"}}, {{"tap", "procedure.start"}},
                   {{"tap", "identify.manual"}}, {{"tap", "field/declarant/fullName"}}, {{"type", "Lò Văn Páo"}},
                   {{"tap", "key.done"}}, {{"shot", "form"}}, {{"tap", "chrome.end"}},
                   {{"expect", {{"step", "form"}, {"widget", "ask.yes"}, {"noWidget", "field/declarant/fullName"}}}},
                   {{"shot", "ask-end"}}, {{"tap", "ask.no"}},
                   {{"expect", {{"step", "form"}, {"widget", "field/declarant/fullName"}}}}},
              dir.path) == 0);
  REQUIRE(k->session().data().find("/declarant/fullName") != nullptr);
  CHECK(*k->session().data().find("/declarant/fullName") == "Lò Văn Páo");  // No kept the answer
  json ask = shot(dir / "ask-end.json");
  double ppmm = ask["pixelsPerMm"].get<double>();
  json yes = ask["widgets"]["ask.yes"], no = ask["widgets"]["ask.no"];
  CHECK(ask["widgets"]["ask.title"]["label"] == "Kết thúc và xoá hồ sơ đang làm?");
  CHECK(yes["y"].get<double>() - (no["y"].get<double>() + no["h"].get<double>()) >= 30 * ppmm);  // far apart
  CHECK(no["h"].get<double>() >= 1.9 * KioskConfig().min_touch_mm * ppmm);                         // and big
  // "Kết thúc" keeps its distance from the other buttons of the bar.
  json form = shot(dir / "form.json")["widgets"];
  json end = form["chrome.end"];
  for (auto& [id, w] : form.items()) {
    if (id.rfind("chrome.", 0) != 0 || id == "chrome.end" || id == "chrome.center" ||
        std::abs(w["y"].get<double>() - end["y"].get<double>()) > 1)
      continue;
    CAPTURE(id);
    double gap = w["x"].get<double>() > end["x"].get<double>() ? w["x"].get<double>() - end["x"].get<double>() - end["w"].get<double>()
                                                               : end["x"].get<double>() - w["x"].get<double>() - w["w"].get<double>();
    CHECK(gap >= 9 * ppmm);
  }
  REQUIRE(run(*k, {{{"tap", "chrome.end"}}, {{"tap", "ask.yes"}}, {{"expect", {{"step", "attract"}, {"personalDataEmpty", true}}}}},
              dir.path) == 0);
}

TEST_CASE("removing a repeat item asks first") {
  test::TempDir dir;
  auto k = test::open_screen_kiosk(config_in(dir));
  REQUIRE(run(*k, {{{"tap", "attract.start"}}, {{"tap", "language.vi"}}, {{"tap", "catalog.search"}}, {{"type", "hon nhan"}},
                   {{"tap", "key.done"}}, {{"tap", "catalog.form.xac-nhan-hon-nhan"}}, {{"tap", "procedure.start"}}, {{"tap", "identify.manual"}},
                   {{"tap", "field/applicant/fullName"}}, {{"type", "Lê Thị Hoa"}}, {{"tap", "key.done"}},
                   {{"tap", "field/applicant/idNumber"}}, {{"type", "001199012345"}}, {{"tap", "key.done"}},
                   {{"tap", "date/applicant/dateOfBirth.year.minus10"}}, {{"tap", "date/applicant/dateOfBirth.year.minus10"}},
                   {{"tap", "date/applicant/dateOfBirth.year.minus10"}}, {{"tap", "option/applicant/sex.1"}},
                   {{"tap", "search/applicant/ethnicity"}}, {{"type", "ede"}}, {{"tap", "option/applicant/ethnicity.10"}},
                   {{"scroll", -3}}, {{"tap", "field/applicant/placeOfResidence"}}, {{"type", "Xã Tân Phong, Tỉnh Lai Châu"}},
                   {{"tap", "key.done"}}, {{"tap", "nav.next"}}, {{"expect", {{"formStep", 1}}}},
                   {{"tap", "option/maritalStatus.2"}}},
              dir.path) == 0);
  // The list names its items by the form's word for one ("cuộc hôn nhân trước"), not "mục".
  REQUIRE(run(*k, {{{"expect", {{"label", {{"repeat.add/previousMarriages", "+ Thêm cuộc hôn nhân trước"}}}}}},
                   {{"tap", "repeat.add/previousMarriages"}}, {{"tap", "field/previousMarriages/0/spouseName"}},
                   {{"type", "Trần Văn Bình"}}, {{"tap", "key.done"}},
                   {{"expect", {{"label", {{"repeat.remove/previousMarriages/0", "Xoá cuộc hôn nhân trước này"}}}}}},
                   {{"tap", "repeat.remove/previousMarriages/0"}},
                   {{"expect", {{"widget", "ask.yes"}, {"label", {{"ask.title", "Xoá cuộc hôn nhân trước 1?"}, {"ask.yes", "Có, xoá cuộc hôn nhân trước này"}}}}}},
                   {{"shot", "ask-remove"}},
                   {{"tap", "ask.no"}}, {{"expect", {{"widget", "field/previousMarriages/0/spouseName"}}}},
                   {{"tap", "repeat.remove/previousMarriages/0"}}, {{"tap", "ask.yes"}},
                   {{"expect", {{"noWidget", "field/previousMarriages/0/spouseName"}}}}},
              dir.path) == 0);
}

TEST_CASE("the blocked submit says why and frames the consent box, ticking it submits") {
  test::TempDir dir;
  auto k = test::open_screen_kiosk(config_in(dir));
  json steps = to_review();
  steps.push_back({{"expect", {{"noWidget", "review.consent_needed"}}}});
  steps.push_back({{"tap", "review.confirm"}});
  steps.push_back({{"expect", {{"step", "review"}, {"widget", "review.consent_needed"}}}});
  steps.push_back({{"shot", "blocked"}});
  REQUIRE(run(*k, steps, dir.path) == 0);
  json w = shot(dir / "blocked.json")["widgets"];
  CHECK(w["review.confirm"]["interactive"] == true);  // a target that answers, not a dead button
  // The explanation sits right above the box, and both are on screen.
  CHECK(w["review.consent_needed"]["y"].get<double>() < w["review.consent"]["y"].get<double>());
  CHECK(w["review.consent"]["y"].get<double>() + w["review.consent"]["h"].get<double>() <= w["review.confirm"]["y"].get<double>());
  CHECK(w["review.consent_needed"]["label"].get<std::string>().find("ô xác nhận") != std::string::npos);
  REQUIRE(run(*k, {{{"tap", "review.consent"}}, {{"expect", {{"noWidget", "review.consent_needed"}}}}, {{"tap", "review.confirm"}},
                   {{"expect", {{"step", "receipt"}}}}},
              dir.path) == 0);
}

TEST_CASE("a field passed without typing stays quiet, typed and left, or Next, shows its error") {
  test::TempDir dir;
  auto k = test::open_screen_kiosk(config_in(dir));
  REQUIRE(run(*k, {{{"tap", "attract.start"}}, {{"tap", "language.vi"}}, {{"tap", "catalog.form.khai-sinh"}}, {{"tap", "procedure.start"}},
                   {{"tap", "identify.manual"}}, {{"tap", "field/declarant/fullName"}}, {{"tap", "field/declarant/idNumber"}},
                   {{"tap", "field/declarant/placeOfResidence"}}, {{"tap", "key.done"}},
                   {{"expect", {{"noWidget", "error/declarant/fullName"}, {"noWidget", "error/declarant/idNumber"},
                                {"noWidget", "form.errors"}}}},
                   {{"shot", "passed"}},
                   {{"tap", "field/declarant/idNumber"}}, {{"type", "12"}}, {{"tap", "field/declarant/fullName"}},
                   {{"expect", {{"widget", "error/declarant/idNumber"}, {"noWidget", "error/declarant/fullName"}}}},
                   {{"tap", "key.done"}}, {{"tap", "nav.next"}},
                   {{"expect", {{"step", "form"}, {"widget", "error/declarant/fullName"}}}}},
              dir.path) == 0);
}

namespace {
// One HTTP request on 127.0.0.1, answered 204: the centre's help hook as a test sees it.
struct OneRequestServer {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  int port = 0;
  std::string request;
  std::thread thread;
  OneRequestServer() {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    socklen_t n = sizeof a;
    getsockname(fd, reinterpret_cast<sockaddr*>(&a), &n);
    port = ntohs(a.sin_port);
    listen(fd, 1);
    thread = std::thread([this] {
      int c = accept(fd, nullptr, nullptr);
      if (c < 0) return;
      char buf[4096];
      for (ssize_t got; (got = read(c, buf, sizeof buf)) > 0;) {
        request.append(buf, static_cast<size_t>(got));
        size_t head = request.find("\r\n\r\n");
        size_t len = request.find("Content-Length: ");
        if (head != std::string::npos && len != std::string::npos &&
            request.size() >= head + 4 + std::stoul(request.substr(len + 16)))
          break;
      }
      std::string answer = "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n";
      (void)!write(c, answer.data(), answer.size());
      close(c);
    });
  }
  ~OneRequestServer() {
    shutdown(fd, SHUT_RDWR);
    close(fd);
    if (thread.joinable()) thread.join();
  }
};
}  // namespace

TEST_CASE("Cần giúp đỡ on every screen: staff are called with the kiosk and step, the centre's signal rings, the screen is read aloud") {
  test::TempDir dir;
  OneRequestServer hook;
  KioskConfig config = config_in(dir);
  config.kiosk_id = "HN-HK-02";
  config.help_command = {"/bin/sh", "-c", "echo \"$MOTCUA_KIOSK_ID $MOTCUA_STEP\" >> " + dir / "rang"};
  config.help_url = "http://127.0.0.1:" + std::to_string(hook.port) + "/help";
  auto k = test::open_screen_kiosk(config);
  REQUIRE(run(*k, {{{"expect", {{"widget", "chrome.help"}, {"label", {{"attract.read_aloud", "Đọc to màn hình cho tôi nghe"}}}}}},
                   {{"tap", "attract.start"}}, {{"expect", {{"widget", "chrome.help"}}}}, {{"tap", "language.vi"}},
                   {{"tap", "catalog.form.khai-sinh"}}, {{"tap", "procedure.start"}}, {{"tap", "identify.manual"}},
                   {{"expect", {{"widget", "chrome.help"}, {"noWidget", "help.coming"}}}}, {{"tap", "chrome.help"}},
                   {{"idle", 1}},  // the signal rings on its own thread; the screen says so when it has
                   {{"expect", {{"widget", "help.coming"}, {"widget", "help.read"}, {"widget", "help.read_aloud"},
                                {"label", {{"chrome.help", "Đã gọi cán bộ"}}}}}},
                   {{"shot", "help-vi"}}, {{"tap", "help.read"}}},
              dir.path) == 0);
  for (int i = 0; i < 300 && !std::filesystem::exists(dir / "rang"); ++i) k->run(0.02);
  for (int i = 0; i < 300 && hook.request.find("\"kiosk\"") == std::string::npos; ++i) k->run(0.02);
  CHECK(test::slurp(dir / "rang") == "HN-HK-02 form:1\n");
  CHECK(hook.request.rfind("POST /help ", 0) == 0);
  CHECK(hook.request.find(R"({"event":"help","kiosk":"HN-HK-02","step":"form:1"})") != std::string::npos);
  CHECK(hook.request.find("Nguy") == std::string::npos);  // the step, never the citizen
  // "Đọc to màn hình này" reads the screen once, though read-aloud is off.
  for (int i = 0; i < 200 && (!k->speaker() || k->speaker()->busy()); ++i) k->run(0.05);
  REQUIRE(k->speaker() != nullptr);
  CHECK(k->speaker()->history().back().find("Họ, chữ đệm, tên") != std::string::npos);
  CHECK_FALSE(k->session().read_aloud());
  // A second touch does not call again; the next visit may.
  REQUIRE(run(*k, {{{"tap", "chrome.help"}}, {{"tap", "help.read_aloud"}}, {{"expect", {{"noWidget", "help.read_aloud"}}}}},
              dir.path) == 0);
  CHECK(k->session().read_aloud());
  k.reset();
  CHECK(test::slurp(dir / "rang") == "HN-HK-02 form:1\n");
}

TEST_CASE("Cần giúp đỡ says staff were told only when the signal rang: no signal or a failing one sends the citizen to a person nearby") {
  test::TempDir dir;
  const json to_identify = {{{"tap", "attract.start"}}, {{"tap", "language.vi"}}, {{"tap", "catalog.form.khai-sinh"}},
                            {{"tap", "procedure.start"}}, {{"tap", "chrome.help"}}, {{"idle", 1}}};
  {
    auto k = test::open_screen_kiosk(config_in(dir));  // no helpSignal: the kiosk's log is all that knows
    REQUIRE(run(*k, to_identify, dir.path) == 0);
    CHECK(k->widgets().count("help.ask_nearby") == 1);
    CHECK(k->widgets().count("help.coming") == 0);
    CHECK(k->widgets().at("chrome.help").label == "Cần giúp đỡ");
  }
  {
    KioskConfig config = config_in(dir);
    // The bell's command fails until the bell is back (the file appears); a press then rings again.
    const std::string bell = dir / "bell-back";
    config.help_command = {"/bin/sh", "-c", "test -f " + bell + " && echo rang >> " + dir / "rings"};
    auto k = test::open_screen_kiosk(config);
    REQUIRE(run(*k, to_identify, dir.path) == 0);
    CHECK(k->widgets().count("help.call_failed") == 1);
    CHECK(k->widgets().count("help.coming") == 0);
    CHECK(k->widgets().at("chrome.help").label == "Cần giúp đỡ");  // not a dead button: it tries again
    std::ofstream(bell) << "";
    REQUIRE(run(*k, {{{"tap", "chrome.help"}}, {{"idle", 1}}}, dir.path) == 0);
    CHECK(k->widgets().count("help.coming") == 1);
    CHECK(k->widgets().at("chrome.help").label == "Đã gọi cán bộ");
    REQUIRE(run(*k, {{{"tap", "chrome.help"}}, {{"idle", 1}}}, dir.path) == 0);  // told: no second ring
    CHECK(test::slurp(dir / "rings") == "rang\n");
  }
  {
    KioskConfig config = config_in(dir);
    config.help_command = {"/bin/sh", "-c", "sleep 2"};  // a slow bell: "calling" until it has rung
    auto k = test::open_screen_kiosk(config);
    json steps = to_identify;
    steps.push_back({{"expect", {{"widget", "help.calling"}, {"label", {{"chrome.help", "Đang gọi cán bộ…"}}}}}});
    steps.push_back({{"idle", 3}});
    steps.push_back({{"expect", {{"widget", "help.coming"}, {"label", {{"chrome.help", "Đã gọi cán bộ"}}}}}});
    steps.push_back({{"shot", "help-called"}});
    REQUIRE(run(*k, steps, dir.path) == 0);
  }
}

TEST_CASE("an amount tapped while the keyboard types another field takes the keyboard on the first tap") {
  // The household business by hand (bench/visits), up to the capital: the street is being typed.
  test::TempDir dir;
  auto k = test::open_screen_kiosk(config_in(dir));
  json visit = json::parse(std::ifstream(root + "/bench/visits/ho-kinh-doanh.json"));
  json steps = json::array();
  for (const json& s : visit["steps"]) {
    if (s.value("tap", "") == "field/business/capital") break;
    steps.push_back(s);
  }
  REQUIRE(run(*k, steps, dir / "shots") == 0);
  const KeyboardState& kb = k->session().keyboard();
  REQUIRE_FALSE(kb.target.empty());
  REQUIRE(kb.target != "/business/capital");
  // Before, the box answered the release: the other field's keyboard closed on the press, the
  // page moved, and the finger lifted elsewhere; the tap did nothing.
  REQUIRE(run(*k, {{{"tap", "field/business/capital"}}, {{"tap", "key.1"}}, {{"tap", "key.0"}}}, dir / "shots") == 0);
  CHECK(kb.target == "/business/capital");
  CHECK(kb.money);
  CHECK(k->widgets().at("money/business/capital").label == "10 đ");
}

TEST_CASE("a date far from today is typed on the digit pad: a real one goes in, an impossible one is said plainly") {
  test::TempDir dir;
  auto k = test::open_screen_kiosk(config_in(dir));
  json steps = {{{"tap", "attract.start"}}, {{"tap", "language.vi"}}, {{"tap", "catalog.form.khai-sinh"}}, {{"tap", "procedure.start"}},
                {{"tap", "identify.manual"}}, {{"tap", "field/declarant/fullName"}}, {{"type", "Lê Thị Hương"}},
                {{"tap", "field/declarant/idNumber"}}, {{"type", "001300012346"}}, {{"tap", "option/declarant/relationship.1"}},
                {{"tap", "nav.next"}}, {{"expect", {{"formStep", 1}}}},
                // The pad's own keys: the date shows as it is typed, and 31/02 is no date.
                {{"tap", "datetype/child/dateOfBirth"}}, {{"tap", "key.3"}}, {{"tap", "key.1"}}, {{"tap", "key.0"}}, {{"tap", "key.2"}},
                {{"tap", "key.2"}}, {{"tap", "key.0"}}, {{"tap", "key.2"}}, {{"tap", "key.5"}}, {{"shot", "impossible"}}};
  REQUIRE(run(*k, steps, dir.path) == 0);
  json bad = shot(dir / "impossible.json");
  auto value = [&](const char* key) {
    const auto* v = k->session().data().find(key);
    return v ? std::string(*v) : std::string();
  };
  CHECK(bad["widgets"]["datetype/child/dateOfBirth"]["label"] == "Hoặc gõ");
  CHECK(value("date:/child/dateOfBirth") == "31/02/2025");
  CHECK(value("/child/dateOfBirth").empty());
  CHECK(bad["widgets"]["datewrong/child/dateOfBirth"]["label"].get<std::string>().find("Không có ngày này") == 0);
  // Corrected on the pad: the date goes in and the pad closes.
  json fix;
  for (int i = 0; i < 8; ++i) fix.push_back({{"tap", "key.backspace"}});  // a digit each, the slashes follow
  for (const char* d : {"key.0", "key.1", "key.0", "key.2", "key.2", "key.0", "key.2", "key.4"}) fix.push_back({{"tap", d}});
  fix.push_back({{"shot", "typed"}});
  REQUIRE(run(*k, fix, dir.path) == 0);
  CHECK(value("/child/dateOfBirth") == "2024-02-01");
  CHECK(k->session().keyboard().target.empty());
  json typed = shot(dir / "typed.json");
  CHECK_FALSE(typed["widgets"].contains("keyboard"));
  CHECK_FALSE(typed["widgets"].contains("datewrong/child/dateOfBirth"));
  CHECK(typed["widgets"]["field/child/dateOfBirth"]["label"] == "set");
  // Typed on a hardware keyboard (a volunteer's), slashes and all: the same.
  REQUIRE(run(*k, {{{"tap", "datetype/child/dateOfBirth"}}, {{"type", "15/03/2025"}}}, dir.path) == 0);
  CHECK(value("/child/dateOfBirth") == "2025-03-15");
  CHECK(k->session().keyboard().target.empty());
  CHECK(value("date:/child/dateOfBirth").empty());
}
