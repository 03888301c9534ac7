// Cross-field checks declared in a package (issue 17, item 3): one table per check kind over the
// model, the same checks refusing a forged dossier in `form validate PACKAGE`, lint naming what is
// wrong in them, and a package with a malformed check stopping the kiosk at start (exit 2).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "forms/dossier_check.h"
#include "forms/lint.h"
#include "forms/model.h"
#include "terminal/core/answers.h"
#include "terminal/core/input.h"
#include "terminal/core/session.h"
#include "tests/support/run_motcua.h"

using namespace motcua;
using nlohmann::json;

namespace {
const std::string root = MOTCUA_SOURCE_ROOT;
const std::string today = "2026-11-29";

forms::FormPackage package(const std::string& path) { return forms::load_package(root + "/" + path); }

json read_json(const std::string& path) {
  std::ifstream in(path);
  return json::parse(in);
}

// "scope: message" of every check error the step shows.
std::vector<std::string> check_errors(const forms::FormModel& m, size_t step, const std::string& lang = "en") {
  std::vector<std::string> out;
  for (auto& e : m.errors(step, lang))
    if (e.keyword == "check") out.push_back(e.scope + ": " + e.message);
  return out;
}

std::vector<std::string> lint_lines(const json& doc) {
  std::vector<std::string> out;
  for (auto& i : forms::lint_package(doc, read_json(root + "/assets/schemas/form-package.schema.json")))
    out.push_back(std::string(i.error ? "error " : "warning ") + i.pointer + ": " + i.message);
  return out;
}

bool has_line(const std::vector<std::string>& lines, const std::string& part) {
  for (auto& l : lines)
    if (l.find(part) != std::string::npos) return true;
  return false;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string s;
  for (auto& l : lines) s += l + "\n";
  return s;
}
}  // namespace

TEST_CASE("check table: two fields must differ, under both fields, waiting until both are answered") {
  auto form = package("tests/fixtures/checks-form.json");
  struct Row { const char* husband; const char* wife; std::vector<std::string> errors; };
  const std::string msg = "The two ID numbers must differ.";
  const Row rows[] = {
      {"001090001234", "001190005678", {}},
      {"001090001234", "001090001234", {"/husband/idNumber: " + msg, "/wife/idNumber: " + msg}},
      {"001090001234", nullptr, {}},  // the wife's not given yet: the check waits
      {nullptr, nullptr, {}},
  };
  for (auto& r : rows) {
    forms::FormModel m(form, today);
    if (r.husband) m.set("/husband/idNumber", r.husband);
    if (r.wife) m.set("/wife/idNumber", r.wife);
    CAPTURE(r.husband ? r.husband : "-");
    CAPTURE(r.wife ? r.wife : "-");
    CHECK(check_errors(m, 0) == r.errors);
    CHECK(m.attempt(0) == (r.errors.empty() && m.errors(0, "vi").empty()));  // Next is refused with them
  }
}

TEST_CASE("check table: age at the submission date by another answer (man 20, woman 18)") {
  auto form = package("tests/fixtures/checks-form.json");
  struct Row { const char* sex; const char* dob; bool ok; };
  const Row rows[] = {
      {"Nam", "2006-11-29", true},   // 20 today
      {"Nam", "2006-11-30", false},  // 20 tomorrow
      {"Nam", "2008-01-01", false},  // 18
      {"Nữ", "2008-11-29", true},    // 18 today
      {"Nữ", "2008-11-30", false},
      {"Nữ", "1961-05-02", true},
      {nullptr, "2008-01-01", true},  // no sex yet: the check waits
  };
  for (auto& r : rows) {
    forms::FormModel m(form, today);
    if (r.sex) m.set("/sex", r.sex);
    m.set("/dateOfBirth", r.dob);
    CAPTURE(r.dob);
    CAPTURE(r.sex ? r.sex : "-");
    auto errs = check_errors(m, 0, "vi");
    if (r.ok) CHECK(errs.empty());
    else CHECK(errs == std::vector<std::string>{"/dateOfBirth: Nam từ đủ 20 tuổi, nữ từ đủ 18 tuổi.", "/sex: Nam từ đủ 20 tuổi, nữ từ đủ 18 tuổi."});
  }
  // The submission date is the model's day: the same answers a day later pass.
  forms::FormModel later(form, "2026-11-30");
  later.set("/sex", "Nam");
  later.set("/dateOfBirth", "2006-11-30");
  CHECK(check_errors(later, 0).empty());
}

TEST_CASE("check table: date ordering, counted repeat items and a fee read from meta") {
  auto form = package("tests/fixtures/checks-form.json");
  struct Row { json values; std::vector<std::string> errors; size_t step; };
  const std::string after = "/marriedOn: The marriage must come after the divorce.";
  const std::string copies = "/copies: At most 2 copies per child.";
  const std::string fee = "/paid: The amount paid does not cover the fee.";
  const Row rows[] = {
      {{{"/divorcedOn", "2019-03-01"}, {"/marriedOn", "2021-06-12"}}, {}, 1},
      {{{"/divorcedOn", "2021-06-12"}, {"/marriedOn", "2019-03-01"}}, {after}, 1},
      {{{"/divorcedOn", "2021-06-12"}, {"/marriedOn", "2021-06-12"}}, {after}, 1},  // the same day is not after
      {{{"/marriedOn", "2019-03-01"}}, {}, 1},  // no divorce: nothing to order
      {{{"/children", json::array({{{"name", "An"}}})}, {"/copies", 2}, {"/paid", 16000}}, {}, 2},
      {{{"/children", json::array({{{"name", "An"}}})}, {"/copies", 3}, {"/paid", 24000}}, {copies}, 2},
      {{{"/children", json::array({{{"name", "An"}}, {{"name", "Bình"}}})}, {"/copies", 3}, {"/paid", 24000}}, {}, 2},
      {{{"/copies", 1}, {"/paid", 8000}}, {copies}, 2},  // no child: a list never answered counts 0
      {{{"/children", json::array({{{"name", "An"}}})}, {"/copies", 2}, {"/paid", 15999}}, {fee}, 2},  // 2 × 8000 đ
  };
  for (auto& r : rows) {
    forms::FormModel m(form, today);
    for (auto& [scope, v] : r.values.items()) m.set(scope, v);
    CAPTURE(r.values.dump());
    CHECK(check_errors(m, r.step) == r.errors);
  }
}

TEST_CASE("form validate PACKAGE refuses a forged dossier that breaks a check, and passes the kiosk's own") {
  auto form = package("tests/fixtures/checks-form.json");
  forms::FormModel m(form, today);
  m.set("/husband/idNumber", "001090001234");
  m.set("/wife/idNumber", "001190005678");
  m.set("/sex", "Nữ");
  m.set("/dateOfBirth", "1999-04-30");
  m.set("/divorcedOn", "2019-03-01");
  m.set("/marriedOn", "2021-06-12");
  m.set("/copies", 1);
  m.set("/paid", 8000);
  m.set("/children", json::array({{{"name", "An"}}}));
  json dossier = m.dossier("8d0c7c9e-1f7b-4a51-9a3e-0b7f4d2c9a11");
  CHECK(forms::check_dossier(form, dossier, today, "vi").empty());

  auto found = [&](const json& d) {
    std::vector<std::string> out;
    for (auto& e : forms::check_dossier(form, d, today, "en"))
      out.push_back(e.keyword + " " + e.instance_location + " " + e.params.value("check", ""));
    return out;
  };
  json forged = dossier;
  forged["data"]["wife"]["idNumber"] = "001090001234";
  CHECK(found(forged) == std::vector<std::string>{"check /husband/idNumber ids-differ"});
  forged = dossier;
  forged["data"]["dateOfBirth"] = "2010-01-01";  // 16 at submission
  CHECK(found(forged) == std::vector<std::string>{"check /dateOfBirth age-by-sex"});
  forged = dossier;
  forged["data"]["children"] = json::array();
  CHECK(found(forged) == std::vector<std::string>{"check /copies copies-per-child"});
  forged = dossier;
  forged["data"]["paid"] = 100;
  CHECK(found(forged) == std::vector<std::string>{"check /paid fee-paid"});

  // The real binary, as a portal runs it.
  test::TempDir dir;
  std::string pkg = root + "/tests/fixtures/checks-form.json";
  auto ok = test::run_motcua("form validate " + pkg + " " + dir.write("ok.json", dossier.dump()) + " --today " + today);
  CHECK_MESSAGE(ok.status == 0, ok.output);
  forged = dossier;
  forged["data"]["marriedOn"] = "2018-01-01";
  auto bad = test::run_motcua("form validate " + pkg + " " + dir.write("forged.json", forged.dump()) + " --today " + today + " --lang vi");
  CHECK(bad.status == 1);
  CHECK_MESSAGE(bad.output.find("Ngày kết hôn phải sau ngày ly hôn.") != std::string::npos, bad.output);
  CHECK(bad.output.find("\"check\"") != std::string::npos);
}

TEST_CASE("the marital status certificate for a marriage: age by sex and the intended spouse's ID number") {
  auto form = package("assets/forms/xac-nhan-hon-nhan.json");
  const size_t applicant = 0, purpose = 2;
  auto fill = [](forms::FormModel& m, const char* sex, const char* dob) {
    m.set("/applicant/fullName", "Nguyễn Văn An");
    m.set("/applicant/idNumber", "001090001234");
    m.set("/applicant/dateOfBirth", dob);
    m.set("/applicant/sex", sex);
    m.set("/applicant/ethnicity", "Kinh");
    m.set("/applicant/nationality", "Việt Nam");
    m.set("/applicant/placeOfResidence", "12 Hàng Bạc, Hoàn Kiếm, Hà Nội");
    m.set("/maritalStatus", "never-married");
    m.set("/copies", 1);
    m.set("/intendedSpouse/fullName", "Trần Thị Bình");
    m.set("/intendedSpouse/nationality", "Việt Nam");
    m.set("/signature", std::string(200, 'A'));
  };
  struct Row { const char* sex; const char* dob; const char* purpose; bool ok; };
  const Row rows[] = {
      {"Nam", "2007-01-01", "marriage", false},  // 19: too young to marry
      {"Nam", "2007-01-01", "other", true},      // 19 is fine for anything else
      {"Nữ", "2007-01-01", "marriage", true},    // 19: old enough
      {"Nữ", "2009-01-01", "marriage", false},   // 17
      {"Nam", "2006-11-29", "marriage", true},   // 20 today
  };
  for (auto& r : rows) {
    forms::FormModel m(form, today);
    fill(m, r.sex, r.dob);
    m.set("/purpose", r.purpose);
    if (std::string(r.purpose) == "other") m.set("/purposeOther", "Bổ sung hồ sơ vay vốn");
    CAPTURE(r.sex);
    CAPTURE(r.dob);
    CAPTURE(r.purpose);
    auto errs = check_errors(m, purpose, "vi");
    CHECK(errs.empty() == r.ok);
    if (!r.ok) {
      // Under the answer that made it apply on this step, and under the birth date on the first.
      CHECK(errs == std::vector<std::string>{"/purpose: Để đăng ký kết hôn, nam phải từ đủ 20 tuổi, nữ từ đủ 18 tuổi (Luật Hôn nhân và gia đình, Điều 8)."});
      CHECK(check_errors(m, applicant, "vi").size() == 2);
      CHECK_FALSE(m.attempt(purpose));
    }
    // Whatever the kiosk would submit, `form validate` judges the same way.
    auto verdict = forms::check_dossier(form, m.dossier("3f2b1c4d-0a9e-4b8f-8c7d-6e5f4a3b2c1d"), today, "vi");
    CHECK(verdict.empty() == r.ok);
  }
  forms::FormModel m(form, today);
  fill(m, "Nam", "1990-05-01");
  m.set("/purpose", "marriage");
  m.set("/intendedSpouse/idNumber", "001090001234");  // the applicant's own number
  CHECK(check_errors(m, purpose) == std::vector<std::string>{"/intendedSpouse/idNumber: The intended spouse's ID number is the same as the applicant's."});
  CHECK(check_errors(m, applicant).size() == 1);
  m.set("/intendedSpouse/idNumber", "B1234567");
  CHECK(check_errors(m, purpose).empty());
  m.set("/intendedSpouse/idNumber", "001090001234");
  m.set("/purpose", "other");  // the spouse's group hides, its answers are not submitted: nothing to compare
  m.set("/purposeOther", "Bổ sung hồ sơ vay vốn");
  CHECK(check_errors(m, purpose).empty());
  CHECK(forms::check_dossier(form, m.dossier("5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d"), today, "vi").empty());
}

TEST_CASE("lint: checks naming unknown fields, malformed expressions, missing messages, bad meta and count") {
  json doc = read_json(root + "/tests/fixtures/checks-form.json");
  CHECK(lint_lines(doc).empty());
  struct Row { const char* path; json value; const char* expected; };
  const Row rows[] = {
      {"/ui/checks/0/expression", json::parse(R"({"!=": [{"var": "/husband/idNumbr"}, {"var": "/wife/idNumber"}]})"),
       "error /ui/checks/0/expression: check reads /husband/idNumbr, which the schema does not have"},
      {"/ui/checks/1/fields/0", "/dateOfBrith", "error /ui/checks/1/fields/0: check names /dateOfBrith, which the schema does not have"},
      {"/ui/checks/2/expression", json::parse(R"({"after": [1, 2]})"), "error /ui/checks/2/expression: unknown operator \"after\""},
      {"/ui/checks/2/expression", json::parse(R"({">": [1]})"), "error /ui/checks/2/expression/>: wrong number of arguments"},
      {"/ui/checks/0/message", json{{"vi", "Số định danh phải khác nhau."}}, "error /ui/checks/0/message: no \"en\" text"},
      {"/ui/checks/4/expression", json::parse(R"({">=": [{"var": "/paid"}, {"*": [{"meta": "/fees/3/amount"}, 1]}]})"),
       "error /ui/checks/4/expression/>=/1/*/0/meta: reads meta /fees/3/amount, which the package's meta does not have"},
      {"/ui/checks/3/expression", json::parse(R"({"<=": [{"var": "/copies"}, {"count": {"var": "/paid"}}]})"),
       "error /ui/checks/3/expression/<=/1/count/var: \"count\" reads /paid, which is not an array (a repeat) in the schema"},
      {"/ui/checks/3/fields/0", "/children/0/name", "error /ui/checks/3/fields/0: check names /children/0/name, which no step shows"},
  };
  for (auto& r : rows) {
    json bad = doc;
    bad[json::json_pointer(r.path)] = r.value;
    auto lines = lint_lines(bad);
    CAPTURE(r.path);
    CHECK_MESSAGE(has_line(lines, r.expected), joined(lines));
  }
  json twice = doc;
  twice["ui"]["checks"][1]["id"] = "ids-differ";
  CHECK(has_line(lint_lines(twice), "error /ui/checks/1/id: check id \"ids-differ\" is used twice"));
  json no_message = doc;
  no_message["ui"]["checks"][0].erase("message");
  CHECK(has_line(lint_lines(no_message), "missing \"message\""));
}

TEST_CASE("a package with a malformed check, expression or rule stops the kiosk at start: exit 2 naming file and pointer") {
  json good = read_json(root + "/tests/fixtures/checks-form.json");
  struct Row { const char* path; json value; const char* expected; };
  const Row rows[] = {
      {"/ui/checks/2/expression", json::parse(R"({"after": [1, 2]})"), "bad.json: /ui/checks/2/expression: unknown operator \"after\""},
      {"/ui/checks/4/expression/>=/1/*/0/meta", "/fees/9/amount", "bad.json: /ui/checks/4/expression/>=/1/*/0/meta: reads meta /fees/9/amount"},
      {"/ui/steps/0/elements/1/rule", json::parse(R"({"effect": "show", "condition": {"scope": "/sex", "schema": {"type": 5}}})"),
       "bad.json: /ui/steps/0/elements/1/rule/condition/schema/type: the rule's condition schema is unusable"},
      {"/schema/properties/copies/minimum", "one", "bad.json: /schema/properties/copies/minimum: the dossier schema is unusable"},
  };
  for (auto& r : rows) {
    CAPTURE(r.path);
    json bad = good;
    bad[json::json_pointer(r.path)] = r.value;
    // The library refuses it when it loads, as the kiosk's catalog does.
    test::TempDir dir;
    std::filesystem::create_directories(dir / "forms");
    std::filesystem::copy_file(root + "/assets/forms/categories.json", dir / "forms/categories.json");
    std::filesystem::copy_file(root + "/assets/forms/khai-sinh.json", dir / "forms/khai-sinh.json");
    std::string file = dir / "forms/bad.json";
    std::ofstream(file) << bad.dump(2);
    CHECK_THROWS_WITH_AS(forms::load_package(file), doctest::Contains(r.expected), forms::PackageError);
    // The real kiosk, started on that folder: it stops before any window, naming file and pointer.
    std::string config = dir.write("config.json", json{{"formsDir", dir / "forms"}, {"dataDir", dir / "data"}}.dump());
    auto res = test::run_motcua("--check --config " + config);
    CHECK(res.status == 2);
    CHECK_MESSAGE(res.output.find(r.expected) != std::string::npos, res.output);
    // and lint says the same before publishing.
    CHECK_FALSE(lint_lines(bad).empty());
  }
}

TEST_CASE("lint: a rule conditioned on its own field, and an example without help (never shown)") {
  json doc = read_json(root + "/tests/fixtures/checks-form.json");
  json self = doc;
  self["ui"]["steps"][0]["elements"][2]["rule"] = {{"effect", "hide"}, {"condition", {{"scope", "/sex"}, {"schema", {{"const", "Nam"}}}}}};
  CHECK(has_line(lint_lines(self), "error /ui/steps/0/elements/2/rule/condition/scope: the rule on /sex is conditioned on its own answer"));
  json in_repeat = doc;
  in_repeat["ui"]["steps"][2]["elements"][0]["elements"][0]["rule"] = {{"effect", "disable"}, {"condition", {{"scope", "./name"}, {"schema", {{"const", "An"}}}}}};
  CHECK(has_line(lint_lines(in_repeat), "error /ui/steps/2/elements/0/elements/0/rule/condition/scope: the rule on /name is conditioned on its own answer"));
  json example = doc;
  example["ui"]["steps"][0]["elements"][0]["example"] = {{"vi", "001090001234"}, {"en", "001090001234"}};
  CHECK(has_line(lint_lines(example), "warning /ui/steps/0/elements/0/example: an \"example\" is shown only inside \"help\""));
  example["ui"]["steps"][0]["elements"][0]["help"] = {{"vi", "12 chữ số trên thẻ."}, {"en", "The 12 digits on the card."}};
  CHECK(lint_lines(example).empty());
  // Every bundled form is clean of both.
  for (auto& f : std::filesystem::directory_iterator(root + "/assets/forms")) {
    if (f.path().filename() == "categories.json") continue;
    CAPTURE(f.path().string());
    CHECK(joined(lint_lines(read_json(f.path().string()))) == "");
  }
}

TEST_CASE("schema defaults stand as answers from the start, and the citizen may change them") {
  auto form = package("tests/fixtures/checks-form.json");
  auto defaults = forms::default_values(form);
  REQUIRE(defaults.size() == 2);
  CHECK(defaults[0] == std::pair<std::string, json>{"/sex", "Nữ"});
  CHECK(defaults[1] == std::pair<std::string, json>{"/copies", 1});

  test::TempDir dir;
  std::filesystem::copy_file(root + "/assets/forms/categories.json", dir / "categories.json");
  std::filesystem::copy_file(root + "/tests/fixtures/checks-form.json", dir / "checks-form.json");
  KioskConfig config;
  Catalog catalog = Catalog::load(dir.path);
  REQUIRE(catalog.problems.empty());
  Session session{config, catalog, SessionServices{{}, {}, {}, validate_step}};
  TimePoint t = SteadyClock::now();
  auto apply = [&](Intent::Kind k, std::string arg = {}, int n = 0) {
    session.apply({k, std::move(arg), n}, t);
    session.tick(t);
  };
  apply(Intent::Kind::Start);
  apply(Intent::Kind::ChooseLanguage, "vi");
  apply(Intent::Kind::ChooseProcedure, "checks-fixture");
  apply(Intent::Kind::Next);  // the procedure page: "Bắt đầu khai"
  apply(Intent::Kind::TypeByHand);
  REQUIRE(session.data().find("/sex") != nullptr);
  CHECK(std::string(*session.data().find("/sex")) == "Nữ");
  CHECK(std::string(*session.data().find("/copies")) == "1");
  // What the kiosk submits holds them, typed as the schema says.
  forms::FormModel m(form, today);
  load_answers(m, session.data());
  CHECK(m.value("/sex") == "Nữ");
  CHECK(m.value("/copies") == 1);
  session.data().field("/sex").assign("Nam");
  forms::FormModel changed(form, today);
  load_answers(changed, session.data());
  CHECK(changed.value("/sex") == "Nam");
}
