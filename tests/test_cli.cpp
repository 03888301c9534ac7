// The motcua command as a user runs it: exit codes and messages.
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "tests/support/run_motcua.h"
#include "tests/support/xvfb.h"

namespace {

using Result = motcua::test::MotcuaResult;
using motcua::test::run_motcua;

std::string write_temp(const std::string& name, const std::string& content) {
  auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path) << content;
  return path.string();
}

}  // namespace

TEST_CASE("--help documents the kiosk options") {
  Result r = run_motcua("--help");
  CHECK(r.status == 0);
  for (const char* opt : {"--config", "--windowed", "--backend", "--script", "--shots", "--data-root"})
    CHECK_MESSAGE(r.output.find(opt) != std::string::npos, opt);
}

TEST_CASE("unusable input exits 2 with a message naming the file and key") {
  Result r = run_motcua("--config " + write_temp("motcua-bad.json", R"({"idleSeconds": 5})"));
  CHECK(r.status == 2);
  CHECK(r.output.find("motcua-bad.json") != std::string::npos);
  CHECK(r.output.find("\"idleSeconds\"") != std::string::npos);

  r = run_motcua("--script " + write_temp("motcua-bad-scenario.json", R"({"steps": [{"shot": "a"}, {"jump": 1}]})"));
  CHECK(r.status == 2);
  CHECK(r.output.find("/steps/1") != std::string::npos);
  CHECK(r.output.find("jump") != std::string::npos);

  CHECK(run_motcua("--windowed huge").status == 2);
  CHECK(run_motcua("--backend wayland").status == 2);
  CHECK(run_motcua("frobnicate").status == 2);
  CHECK(run_motcua("--data-root /nonexistent").status == 2);
}

TEST_CASE("a scenario run writes screenshots and exits 1 when a check fails") {
  motcua::test::ensure_xvfb();
  auto dir = std::filesystem::temp_directory_path() / "motcua-cli-shots";
  std::filesystem::remove_all(dir);
  std::string ok = write_temp("motcua-ok.json", R"({"steps": [{"tap": "attract.start"}, {"shot": "lang"},
      {"expect": {"step": "language"}}]})");
  Result r = run_motcua("--windowed 1080x1920 --script " + ok + " --shots " + dir.string() + " --report");
  CHECK_MESSAGE(r.status == 0, r.output);
  CHECK(std::filesystem::file_size(dir / "lang.png") > 10000);
  CHECK(r.output.find("firstFrameMs") != std::string::npos);

  std::string failing = write_temp("motcua-fail.json", R"({"steps": [{"expect": {"step": "review"}}]})");
  r = run_motcua("--windowed 1080x1920 --script " + failing + " --shots " + dir.string());
  CHECK(r.status == 1);
  CHECK(r.output.find("/steps/0") != std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("form validate: exit codes, messages and one result per JSONL line") {
  std::string schema = write_temp("motcua-schema.json", R"({"type": "object", "required": ["fullName"],
      "properties": {"fullName": {"type": "string", "minLength": 2}, "dob": {"format": "date"}}})");
  Result r = run_motcua("form validate " + schema + " " + write_temp("motcua-ok.json", R"({"fullName": "An"})"));
  CHECK(r.status == 0);
  CHECK(nlohmann::json::parse(r.output)["valid"] == true);

  std::string bad_data = write_temp("motcua-data.json", R"({"fullName": "A", "dob": "2024-02-30"})");
  r = run_motcua("form validate " + schema + " " + bad_data + " --lang en");
  CHECK(r.status == 1);
  auto out = nlohmann::json::parse(r.output);
  REQUIRE(out["errors"].size() == 1);  // formats are annotations without --format-assert
  CHECK(out["errors"][0]["instanceLocation"] == "/fullName");
  CHECK(out["errors"][0]["message"] == "Enter at least 2 characters.");
  r = run_motcua("form validate " + schema + " " + bad_data + " --format-assert");
  CHECK(nlohmann::json::parse(r.output)["errors"].size() == 2);

  std::string lines = write_temp("motcua-lines.jsonl", "{\"fullName\": \"Bình\"}\n{oops\n{}\n");
  r = run_motcua("form validate " + schema + " --jsonl " + lines);
  CHECK(r.status == 2);  // a broken line is unusable input; the others are still checked
  std::istringstream results(r.output);
  std::vector<nlohmann::json> rows;
  for (std::string line; std::getline(results, line);) rows.push_back(nlohmann::json::parse(line));
  REQUIRE(rows.size() == 3);
  CHECK(rows[0]["valid"] == true);
  CHECK(rows[1]["line"] == 2);
  CHECK(rows[1]["error"].get<std::string>().find(":2:") != std::string::npos);
  CHECK(rows[2]["valid"] == false);

  r = run_motcua("form validate " + write_temp("motcua-bad-schema.json", R"({"properties": {"x": {"minLength": -3}}})") +
                 " " + bad_data);
  CHECK(r.status == 2);
  CHECK(r.output.find("/properties/x/minLength") != std::string::npos);
  r = run_motcua("form validate " + write_temp("motcua-broken.json", "{\"type\": ") + " " + bad_data);
  CHECK(r.status == 2);
  CHECK(r.output.find("motcua-broken.json") != std::string::npos);
  CHECK(run_motcua("form validate " + schema).status == 2);
  CHECK(run_motcua("form frobnicate").status == 2);
}

TEST_CASE("form lint prints FILE:LINE:COL: error: POINTER: message and exits 1") {
  std::string broken = std::string(MOTCUA_SOURCE_ROOT) + "/tests/fixtures/broken-form.json";
  Result r = run_motcua("form lint " + broken);
  CHECK(r.status == 1);
  CHECK(r.output.find(broken + ":22:38: error: /ui/steps/0/elements/1/scope: scope /nmae does not exist") != std::string::npos);
  CHECK(run_motcua("form lint " + std::string(MOTCUA_SOURCE_ROOT) + "/assets/forms/khai-sinh.json").status == 0);
  r = run_motcua("form lint " + write_temp("motcua-notjson.json", "{\n  \"meta\": {,\n}"));
  CHECK(r.status == 2);
  CHECK(r.output.find("motcua-notjson.json:2:") != std::string::npos);
  CHECK(run_motcua("form lint /nonexistent.json").status == 2);
}

TEST_CASE("print: a receipt to a file with a PNG preview, bad fields exit 2, a dead printer exits 1") {
  auto dir = std::filesystem::temp_directory_path() / "motcua-cli-print";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::string dossier = write_temp("motcua-dossier.json", R"({"centerName": "Trung tâm Phục vụ hành chính công",
      "procedureName": "Đăng ký khai sinh", "dossierCode": "HK-20261121-0042", "receivedAt": "2026-11-21T09:30:00+07:00",
      "appointmentAt": "2026-11-24T14:00:00+07:00"})");
  Result r = run_motcua("print receipt " + dossier + " --to file:" + (dir / "r.bin").string() + " --png " + (dir / "r.png").string());
  CHECK_MESSAGE(r.status == 0, r.output);
  CHECK(nlohmann::json::parse(r.output)["status"] == "sent");  // a file cannot say it printed
  CHECK(nlohmann::json::parse(r.output)["printed"] == false);
  CHECK(std::filesystem::file_size(dir / "r.bin") > 10000);
  CHECK(std::filesystem::file_size(dir / "r.png") > 1000);

  r = run_motcua("print receipt " + write_temp("motcua-bad-dossier.json", R"({"centerName": "X"})") + " --to file:/dev/null");
  CHECK(r.status == 2);
  CHECK(r.output.find("\"procedureName\"") != std::string::npos);
  CHECK(run_motcua("print receipt " + dossier + " --to file:/dev/null --profile 99mm").status == 2);
  CHECK(run_motcua("print receipt " + dossier).status == 2);  // no --to

  r = run_motcua("print receipt " + dossier + " --to tcp:127.0.0.1:1");
  CHECK(r.status == 1);
  CHECK(r.output.find("not reachable") != std::string::npos);

  std::string ticket = write_temp("motcua-ticket.json", R"({"centerName": "Trung tâm", "service": "Hộ tịch", "prefix": "B",
      "counterGroup": "2"})");
  std::string state = (dir / "queue.json").string();
  r = run_motcua("print ticket " + ticket + " --to file:" + (dir / "t.bin").string() + " --state " + state);
  CHECK(nlohmann::json::parse(r.output)["number"] == "B001");
  r = run_motcua("print ticket " + ticket + " --to file:" + (dir / "t.bin").string() + " --state " + state);
  CHECK(nlohmann::json::parse(r.output)["number"] == "B002");
  std::filesystem::remove_all(dir);
}

TEST_CASE("form render draws every step and the review of a form with sample answers") {
  motcua::test::ensure_xvfb();
  auto dir = std::filesystem::temp_directory_path() / "motcua-render";
  std::filesystem::remove_all(dir);
  std::string data = write_temp("motcua-render-data.json", R"({"applicant": {"fullName": "Lê Văn Tám"}, "purpose": "Xin việc"})");
  Result r = run_motcua("form render " + std::string(MOTCUA_SOURCE_ROOT) + "/assets/forms/ly-lich-tu-phap.json --out " +
                        dir.string() + " --lang en --data " + data);
  CHECK_MESSAGE(r.status == 0, r.output);
  for (const char* f : {"step-1.png", "step-2.png", "review.png"}) CHECK(std::filesystem::file_size(dir / f) > 10000);
  auto review = nlohmann::json::parse(std::ifstream(dir / "review.json"));
  CHECK(review["step"] == "review");
  CHECK(review["language"] == "en");
  CHECK(run_motcua("form render /nonexistent.json --out " + dir.string()).status == 2);
  CHECK(run_motcua("form render " + std::string(MOTCUA_SOURCE_ROOT) + "/assets/forms/khai-sinh.json").status == 2);  // no --out
  std::filesystem::remove_all(dir);
}

TEST_CASE("form preview reloads on every save and shows lint errors over the last good version") {
  motcua::test::ensure_xvfb();
  auto dir = std::filesystem::temp_directory_path() / "motcua-preview-test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::string form = (dir / "khai-sinh.json").string();
  std::filesystem::copy_file(std::string(MOTCUA_SOURCE_ROOT) + "/assets/forms/khai-sinh.json", form);
  nlohmann::json doc = nlohmann::json::parse(std::ifstream(form));
  Result r;
  std::thread preview([&] { r = run_motcua("form preview " + form + " --seconds 7"); });
  auto save = [&](const nlohmann::json& j) {
    std::ofstream(form + ".tmp") << j.dump(2);
    std::filesystem::rename(form + ".tmp", form);  // as editors save
  };
  std::this_thread::sleep_for(std::chrono::milliseconds(2000));
  nlohmann::json broken = doc;
  broken["ui"]["steps"][0]["elements"][0]["scope"] = "/nobody/here";
  save(broken);
  std::this_thread::sleep_for(std::chrono::milliseconds(2200));
  nlohmann::json fixed = doc;
  fixed["meta"]["version"] = "2.0.0";
  save(fixed);
  preview.join();
  REQUIRE(r.status == 0);
  std::string last = r.output.substr(r.output.rfind("{\"loads\""));
  auto loads = nlohmann::json::parse(last)["loads"];
  REQUIRE(loads.size() == 3);
  CHECK(loads[0] == nlohmann::json{{"lintErrors", 0}, {"shown", "0.2.1"}, {"banner", false}});
  CHECK(loads[1]["lintErrors"].get<int>() >= 1);
  CHECK(loads[1]["shown"] == "0.2.1");  // the broken save keeps the last good version on screen
  CHECK(loads[1]["banner"] == true);
  CHECK(loads[2] == nlohmann::json{{"lintErrors", 0}, {"shown", "2.0.0"}, {"banner", false}});
  CHECK(r.output.find("/ui/steps/0/elements/0/scope") != std::string::npos);  // the error names the place
  // ... and its line and column in the file as saved, as `form lint` writes them.
  std::string saved = broken.dump(2);
  size_t at = saved.find("\"/nobody/here\"");
  REQUIRE(at != std::string::npos);
  size_t line = 1 + static_cast<size_t>(std::count(saved.begin(), saved.begin() + static_cast<long>(at), '\n'));
  size_t col = at - saved.rfind('\n', at);
  std::string where = form + ":" + std::to_string(line) + ":" + std::to_string(col) + ": /ui/steps/0/elements/0/scope: scope /nobody/here";
  CHECK_MESSAGE(r.output.find(where) != std::string::npos, r.output);
  std::filesystem::remove_all(dir);
}

TEST_CASE("an unusable places file stops the kiosk with exit 2, naming the line") {
  motcua::test::ensure_xvfb();
  auto dir = std::filesystem::temp_directory_path() / "motcua-cli-places";
  std::filesystem::create_directories(dir);
  std::string bad = write_temp("motcua-places-bad.csv", "version,2025-07-01\n01,Thành phố Hà Nội\n00070,Phường Hoàn Kiếm\n00070,Phường Cửa Nam\n");
  std::string config = write_temp("motcua-places-config.json", nlohmann::json{{"placesFile", bad}, {"dataDir", dir.string()}}.dump());
  std::string script = write_temp("motcua-places-script.json", R"({"steps": [{"expect": {"step": "attract"}}]})");
  Result r = run_motcua("--windowed 1080x1920 --config " + config + " --script " + script);
  CHECK(r.status == 2);
  CHECK_MESSAGE(r.output.find("motcua-places-bad.csv:4: code 00070 is used twice (first on line 3)") != std::string::npos, r.output);
  std::filesystem::remove_all(dir);
}

TEST_CASE("the window opens while the kiosk loads, but the kiosk's own errors still come first") {
  // No display to open a window on: an unusable places file is what is reported, as before the
  // window and the loading overlapped; with a usable one, the window's failure.
  auto dir = std::filesystem::temp_directory_path() / "motcua-cli-no-display";
  std::filesystem::create_directories(dir);
  std::string bad = write_temp("motcua-places-bad2.csv", "version,2025-07-01\n01,Thành phố Hà Nội\n01,Hà Nội\n");
  std::string config = write_temp("motcua-no-display.json", nlohmann::json{{"placesFile", bad}, {"dataDir", dir.string()}}.dump());
  const std::string no_display = "DISPLAY=:87 WAYLAND_DISPLAY= " + std::string(MOTCUA_BINARY) + " --windowed 1080x1920 --config ";
  for (const char* backend : {"glfw", "sdl2"}) {
    CAPTURE(backend);
    auto [status, output] = motcua::test::run_capture(no_display + config + " --backend " + backend);
    CHECK(status == 2);
    CHECK_MESSAGE(output.find("motcua-places-bad2.csv:3: code 01 is used twice (first on line 2)") != std::string::npos, output);
    CHECK(output.find("cannot open the kiosk window") == std::string::npos);
  }
  config = write_temp("motcua-no-display.json", nlohmann::json{{"dataDir", dir.string()}}.dump());
  auto [status, output] = motcua::test::run_capture(no_display + config);
  CHECK(status == 2);
  CHECK_MESSAGE(output.find("motcua: cannot open the kiosk window: GLFW: ") != std::string::npos, output);
  std::filesystem::remove_all(dir);
}

TEST_CASE("a holidays file without this year starts the kiosk with a staff alert, an unusable one stops it") {
  motcua::test::ensure_xvfb();
  auto dir = std::filesystem::temp_directory_path() / "motcua-cli-holidays";
  std::filesystem::create_directories(dir);
  std::string old_year = write_temp("motcua-holidays-2000.json", R"({"years": {"2000": {"holidays": ["2000-01-01"]}}})");
  std::string config = write_temp("motcua-holidays-config.json",
                                   nlohmann::json{{"holidaysFile", old_year}, {"dataDir", dir.string()}}.dump());
  std::string script = write_temp("motcua-holidays-script.json", R"({"steps": [{"expect": {"step": "attract"}}]})");
  Result r = run_motcua("--windowed 1080x1920 --config " + config + " --script " + script + " --shots " + dir.string());
  CHECK_MESSAGE(r.status == 0, r.output);
  CHECK(r.output.find("lists no public holidays for") != std::string::npos);

  // A file with this year only: from October next year's is missing too, since dates counted
  // now may reach into it; before October nothing is said.
  std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  const int year = local.tm_year + 1900;
  std::string this_year = write_temp("motcua-holidays-this.json",
                                     nlohmann::json{{"years", {{std::to_string(year), {{"holidays", nlohmann::json::array({std::to_string(year) + "-01-01"})}}}}}}.dump());
  config = write_temp("motcua-holidays-config.json", nlohmann::json{{"holidaysFile", this_year}, {"dataDir", dir.string()}}.dump());
  r = run_motcua("--windowed 1080x1920 --config " + config + " --script " + script + " --shots " + dir.string());
  CHECK_MESSAGE(r.status == 0, r.output);
  CHECK(r.output.find("public holidays for " + std::to_string(year) + ";") == std::string::npos);
  CHECK((r.output.find("public holidays for " + std::to_string(year + 1) + ";") != std::string::npos) == (local.tm_mon + 1 >= 10));

  std::string bad = write_temp("motcua-holidays-bad.json", R"({"years": {"2026": {"holidays": ["2026-13-01"]}}})");
  config = write_temp("motcua-holidays-config.json", nlohmann::json{{"holidaysFile", bad}, {"dataDir", dir.string()}}.dump());
  r = run_motcua("--windowed 1080x1920 --config " + config + " --script " + script);
  CHECK(r.status == 2);
  CHECK(r.output.find("motcua-holidays-bad.json: years.2026.holidays: \"2026-13-01\"") != std::string::npos);
  std::filesystem::remove_all(dir);
}
