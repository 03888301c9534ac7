// The receipt's "In tờ khai" on the real kiosk under Xvfb: khai-tu filled as its fixture run does,
// submitted to the reference intake server, then the declaration sent to the A4 printer: a
// folder (file:DIR, read back with pdftotext), a folder that cannot be written, and a CUPS queue
// whose lp is a script that waits for the test (the screen keeps drawing while it runs).
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "terminal/ui/kiosk.h"
#include "terminal/ui/script.h"
#include "tests/intake/credentials.h"
#include "tests/intake/intake_server.h"
#include "tests/support/files.h"
#include "tests/support/screen_kiosk.h"
#include "tests/support/xvfb.h"

using namespace motcua;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::string root = MOTCUA_SOURCE_ROOT;

std::string temp_dir() {
  std::string pattern = (fs::temp_directory_path() / "motcua-declaration-XXXXXX").string();
  REQUIRE(mkdtemp(pattern.data()) != nullptr);
  return pattern;
}

// The reference portal on 127.0.0.1, and a kiosk that submits to it and prints its receipts to a folder.
struct Portal {
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
  KioskConfig kiosk_config(const std::string& declaration_printer) const {
    KioskConfig config;
    config.printer = "file:" + dir + "/paper";
    config.printer_profile = "80mm-raster";
    config.data_dir = dir + "/kiosk";
    config.endpoint = server->url();
    config.portal_token = server_config.kiosks.at("KIOSK-01");
    config.portal_ca_file = keys.ca_cert;
    config.envelope_key_file = keys.envelope_public;
    config.portal_wait_seconds = 5;
    config.declaration_printer = declaration_printer;
    return config;
  }
};



// khai-tu's fixture run (tests/fixtures/runs/khai-tu.json), submitted, shots left out: the
// declarant is Trần Văn Hùng, the deceased Trần Văn Minh.
json khai_tu_to_receipt() {
  std::ifstream in(root + "/tests/fixtures/runs/khai-tu.json");
  json run = json::parse(in), steps = json::array();
  for (auto& s : run["steps"])
    if (!s.contains("shot")) steps.push_back(s);
  REQUIRE(steps.back() == json({{"expect", {{"step", "receipt"}}}}));
  return steps;
}

std::string label(Kiosk& k, const std::string& id) {
  auto it = k.widgets().find(id);
  return it == k.widgets().end() ? std::string("(not drawn)") : it->second.label;
}

// The kiosk's loop runs until the declaration is no longer on its way (lp has 30 s at most).
void wait_while_sending(Kiosk& k) {
  for (int i = 0; i < 700 && label(k, "receipt.declaration_status") == "sending"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    k.frame();
  }
  k.settle();
  REQUIRE(label(k, "receipt.declaration_status") != "sending");
}

std::string pdftotext(const std::string& pdf) {
  auto [status, text] = test::run_capture("pdftotext -enc UTF-8 '" + pdf + "' -");
  REQUIRE_MESSAGE(status == 0, text);
  return text;
}

std::vector<fs::path> files_under(const std::string& dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
    if (it->is_regular_file()) files.push_back(it->path());
  return files;
}

bool folder_empty(const std::string& dir) {
  std::error_code ec;
  return !fs::exists(dir) || fs::is_empty(dir, ec);
}

// No file in the kiosk's data folder holds the citizen's names in clear (the outbox is sealed).
void check_no_names_in(const std::string& data_dir) {
  for (const fs::path& f : files_under(data_dir)) {
    std::string bytes = test::slurp(f.string());
    const std::string& file = f.string();
    CHECK_MESSAGE(bytes.find("Trần Văn Hùng") == std::string::npos, file);
    CHECK_MESSAGE(bytes.find("Trần Văn Minh") == std::string::npos, file);
  }
}

void check_session_left_nothing(Kiosk& k) {
  CHECK(k.session().step() == Step::Attract);
  CHECK(k.session().holds_nothing_personal());
  bool zero = true;
  for (std::byte b : k.session().data().arena()) zero = zero && b == std::byte{0};
  CHECK(zero);
}

void keep_shots(const std::string& dir) {
  const char* keep = std::getenv("MOTCUA_KEEP_SHOTS");
  if (!keep) return;
  fs::create_directories(keep);
  for (auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".png")
      fs::copy_file(e.path(), fs::path(keep) / e.path().filename(), fs::copy_options::overwrite_existing);
}

}  // namespace

TEST_CASE("In to khai: the declaration goes to a file target with the citizen's Vietnamese name and the code, nothing stays behind") {
  std::string dir = temp_dir();
  Portal portal{dir};
  fs::create_directories(dir + "/a4");
  KioskConfig config = portal.kiosk_config("file:" + dir + "/a4");
  auto k = test::open_screen_kiosk(config);
  Strings strings = Strings::load(root + "/locales", {"vi", "en"});

  REQUIRE(test::play_scenario(*k, khai_tu_to_receipt(), dir) == 0);
  CHECK(k->session().receipt().from_portal);
  CHECK(label(*k, "receipt.declaration_status") == "idle");
  CHECK(label(*k, "receipt.declaration") == strings.get("vi", "receipt.declaration_print"));
  CHECK(k->widgets().at("receipt.declaration").interactive);
  std::string code = k->session().reference();
  REQUIRE_FALSE(code.empty());
  REQUIRE(test::play_scenario(*k, {{{"shot", "declaration-vi-1-offer"}}, {{"tap", "chrome.lang.en"}},
                    {{"expect", {{"label", {{"receipt.declaration", "Print the declaration to sign"}}}}}},
                    {{"shot", "declaration-en-1-offer"}}, {{"tap", "chrome.lang.vi"}}, {{"tap", "receipt.declaration"}}},
               dir) == 0);
  wait_while_sending(*k);
  CHECK(label(*k, "receipt.declaration_status") == "sent");
  // A folder makes no paper: the citizen is sent to the counter, not told to take it from a printer.
  CHECK(label(*k, "receipt.declaration_message") == strings.get("vi", "receipt.declaration_sent_folder"));
  CHECK(label(*k, "receipt.declaration_message").find("máy in") == std::string::npos);
  CHECK(k->widgets().count("receipt.declaration") == 0);  // sent once; not offered again
  REQUIRE(test::play_scenario(*k, {{{"shot", "declaration-vi-3-sent"}}, {{"tap", "chrome.lang.en"}},
                    {{"expect", {{"label", {{"receipt.declaration_message", strings.get("en", "receipt.declaration_sent_folder")}}}}}},
                    {{"shot", "declaration-en-3-sent"}}, {{"tap", "chrome.lang.vi"}}},
               dir) == 0);

  // The folder holds the declaration, named by the dossier's code; the names come back exactly.
  auto printed = files_under(dir + "/a4");
  REQUIRE(printed.size() == 1);
  CHECK(printed[0].filename() == "to-khai-" + code + ".pdf");
  std::string text = pdftotext(printed[0].string());
  CHECK(text.find("Trần Văn Hùng") != std::string::npos);
  CHECK(text.find("Trần Văn Minh") != std::string::npos);
  CHECK(text.find(code) != std::string::npos);
  // Numbers as typed: the copies asked for read "0 bản", not the model's 0.0.
  CHECK(text.find("0 bản") != std::string::npos);
  CHECK(text.find("0.0 bản") == std::string::npos);
  // The PDF was made in the kiosk's private folder and is gone from it.
  CHECK(folder_empty(config.data_dir + "/declarations"));
  for (const fs::path& f : files_under(config.data_dir)) CHECK_MESSAGE(f.extension() != ".pdf", f.string());

  REQUIRE(test::play_scenario(*k, {{{"tap", "receipt.done"}}, {{"expect", {{"step", "attract"}}}}}, dir) == 0);
  check_session_left_nothing(*k);
  check_no_names_in(config.data_dir);
  keep_shots(dir);
  k.reset();
  portal.server->stop();
  fs::remove_all(dir);
}

TEST_CASE("In to khai: a target that cannot be written says so plainly, never Da gui, and the kiosk goes on") {
  std::string dir = temp_dir();
  Portal portal{dir};
  std::ofstream(dir + "/not-a-folder") << "a file where the folder should be\n";
  KioskConfig config = portal.kiosk_config("file:" + dir + "/not-a-folder");
  auto k = test::open_screen_kiosk(config);
  Strings strings = Strings::load(root + "/locales", {"vi", "en"});

  REQUIRE(test::play_scenario(*k, khai_tu_to_receipt(), dir) == 0);
  REQUIRE(test::play_scenario(*k, {{{"tap", "receipt.declaration"}}}, dir) == 0);
  wait_while_sending(*k);
  CHECK(label(*k, "receipt.declaration_status") == "failed");
  CHECK(label(*k, "receipt.declaration_message") == strings.get("vi", "receipt.declaration_failed_folder"));  // a folder: no "máy in"
  for (const auto& widget : k->widgets()) {
    const std::string& where = widget.first;
    CHECK_MESSAGE(widget.second.label.find("Đã gửi") == std::string::npos, where);
  }
  CHECK(k->widgets().count("receipt.declaration_retry") == 1);
  CHECK(folder_empty(config.data_dir + "/declarations"));  // deleted on failure too
  REQUIRE(test::play_scenario(*k, {{{"shot", "declaration-vi-4-failed"}}, {{"tap", "chrome.lang.en"}},
                    {{"expect", {{"label", {{"receipt.declaration_message", strings.get("en", "receipt.declaration_failed_folder")}}}}}},
                    {{"shot", "declaration-en-4-failed"}}, {{"tap", "chrome.lang.vi"}}},
               dir) == 0);
  // Trying again fails the same way, and says the same.
  REQUIRE(test::play_scenario(*k, {{{"tap", "receipt.declaration_retry"}}}, dir) == 0);
  wait_while_sending(*k);
  CHECK(label(*k, "receipt.declaration_status") == "failed");
  CHECK(folder_empty(config.data_dir + "/declarations"));
  // The way on: the survey, the end of the visit.
  REQUIRE(test::play_scenario(*k, {{{"tap", "receipt.next"}}, {{"expect", {{"step", "evaluation"}}}}, {{"tap", "evaluation.skip"}},
                    {{"expect", {{"step", "thank_you"}}}}, {{"tap", "thank_you.finish"}}, {{"expect", {{"step", "attract"}}}}},
               dir) == 0);
  check_session_left_nothing(*k);
  check_no_names_in(config.data_dir);
  keep_shots(dir);
  k.reset();
  portal.server->stop();
  fs::remove_all(dir);
}

TEST_CASE("In to khai: while lp holds the job the screen says Dang gui and keeps answering, the file is owner-only and gone after") {
  std::string dir = temp_dir();
  Portal portal{dir};
  // lp as CUPS's client runs it: the last argument is the PDF. This one notes what it was given,
  // then waits for the test before it answers as CUPS does.
  fs::create_directories(dir + "/bin");
  {
    std::ofstream lp(dir + "/bin/lp");
    lp << "#!/bin/sh\nfor a; do f=\"$a\"; done\n"
       << "stat -c %a \"$f\" > '" << dir << "/lp-mode'\n"
       << "cp \"$f\" '" << dir << "/lp-copy.pdf'\n"
       << "echo \"$*\" > '" << dir << "/lp-args'\n"
       << "while [ ! -e '" << dir << "/go' ]; do sleep 0.05; done\n"
       << "echo 'request id is a4-12 (1 file(s))'\n";
  }
  fs::permissions(dir + "/bin/lp", fs::perms::owner_all);
  std::string path = std::getenv("PATH") ? std::getenv("PATH") : "/usr/bin:/bin";
  setenv("PATH", (dir + "/bin:" + path).c_str(), 1);
  KioskConfig config = portal.kiosk_config("cups:a4");
  auto k = test::open_screen_kiosk(config);
  Strings strings = Strings::load(root + "/locales", {"vi", "en"});

  REQUIRE(test::play_scenario(*k, khai_tu_to_receipt(), dir) == 0);
  REQUIRE(test::play_scenario(*k, {{{"tap", "receipt.declaration"}}}, dir) == 0);
  for (int i = 0; i < 200 && !fs::exists(dir + "/lp-args"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    k->frame();
  }
  REQUIRE(fs::exists(dir + "/lp-args"));
  k->settle();
  CHECK(label(*k, "receipt.declaration_status") == "sending");
  CHECK(label(*k, "receipt.declaration_message") == strings.get("vi", "receipt.declaration_sending"));
  // The screen answers while lp runs: the language changes at a tap.
  REQUIRE(test::play_scenario(*k, {{{"shot", "declaration-vi-2-sending"}}, {{"tap", "chrome.lang.en"}},
                    {{"expect", {{"label", {{"receipt.declaration_message", strings.get("en", "receipt.declaration_sending")}}}}}},
                    {{"shot", "declaration-en-2-sending"}}, {{"tap", "chrome.lang.vi"}}},
               dir) == 0);
  CHECK(label(*k, "receipt.declaration_status") == "sending");
  // lp was handed an owner-only file in the kiosk's private folder, A4, one copy.
  CHECK(test::first_line(dir + "/lp-mode") == "600");
  std::string args = test::first_line(dir + "/lp-args");
  CHECK(args.find("-d a4") != std::string::npos);
  CHECK(args.find("media=A4") != std::string::npos);
  CHECK(args.find(config.data_dir + "/declarations/to-khai-") != std::string::npos);
  CHECK(pdftotext(dir + "/lp-copy.pdf").find("Trần Văn Hùng") != std::string::npos);
  std::ofstream(dir + "/go") << "";
  wait_while_sending(*k);
  CHECK(label(*k, "receipt.declaration_status") == "sent");
  CHECK(label(*k, "receipt.declaration_message") == strings.get("vi", "receipt.declaration_sent"));  // a printer: "nhận ở máy in"
  CHECK(folder_empty(config.data_dir + "/declarations"));
  REQUIRE(test::play_scenario(*k, {{{"tap", "receipt.done"}}, {{"expect", {{"step", "attract"}}}}}, dir) == 0);
  check_session_left_nothing(*k);

  // A second visit ends while lp still holds its declaration: the kiosk does not wait for lp, the
  // next visit starts clean, and the file is deleted once lp is done.
  fs::remove(dir + "/go");
  fs::remove(dir + "/lp-args");
  REQUIRE(test::play_scenario(*k, khai_tu_to_receipt(), dir) == 0);
  REQUIRE(test::play_scenario(*k, {{{"tap", "receipt.declaration"}}}, dir) == 0);
  for (int i = 0; i < 200 && !fs::exists(dir + "/lp-args"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    k->frame();
  }
  REQUIRE(fs::exists(dir + "/lp-args"));
  CHECK_FALSE(folder_empty(config.data_dir + "/declarations"));  // lp is reading it
  auto before = std::chrono::steady_clock::now();
  REQUIRE(test::play_scenario(*k, {{{"tap", "receipt.done"}}, {{"expect", {{"step", "attract"}}}}}, dir) == 0);
  CHECK(std::chrono::steady_clock::now() - before < std::chrono::seconds(5));
  check_session_left_nothing(*k);
  CHECK(k->declaration_job()->state() == DeclarationJob::State::Idle);
  std::ofstream(dir + "/go") << "";
  for (int i = 0; i < 100 && !folder_empty(config.data_dir + "/declarations"); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(folder_empty(config.data_dir + "/declarations"));
  k->frame();
  CHECK(k->declaration_job()->state() == DeclarationJob::State::Idle);  // its answer belongs to no one now
  setenv("PATH", path.c_str(), 1);
  keep_shots(dir);
  k.reset();
  portal.server->stop();
  fs::remove_all(dir);
}
