// Form fidelity without a window: what the rules show and enable (relative scopes in repeats
// included), hidden answers cleared at once, skipped steps, computed values shown for people
// with their errors under the fields they read, and one validation of a dossier against its
// whole package (issue 17).
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <sys/wait.h>
#include <fstream>
#include <map>
#include <tuple>
#include <sstream>

#include "forms/dates.h"
#include "forms/display.h"
#include "forms/lint.h"
#include "forms/dossier_check.h"
#include "forms/model.h"
#include "terminal/core/answers.h"
#include "terminal/core/input.h"
#include "terminal/core/session.h"
#include "tests/support/files.h"

using namespace motcua;
using nlohmann::json;
using K = Intent::Kind;

namespace {
const std::string root = MOTCUA_SOURCE_ROOT;

forms::FormPackage package(const std::string& path) { return forms::load_package(root + "/" + path); }

// (where, item, enabled) of everything the step shows.
std::vector<std::tuple<std::string, std::string, bool>> shown(const forms::FormModel& m, size_t step) {
  std::vector<std::tuple<std::string, std::string, bool>> out;
  for (auto& s : m.shown(step)) out.emplace_back(s.element->where, s.item, s.enabled);
  return out;
}

bool any_at(const std::vector<forms::ShownElement>& list, const std::string& scope_suffix, const std::string& item) {
  for (auto& s : list)
    if (s.item == item && s.element->scope == scope_suffix) return true;
  return false;
}

// The bundled forms with the rules fixture beside them, as a kiosk's forms folder.
std::string catalog_dir() {
  static test::TempDir dir;
  static const std::string path = test::copy_forms_with(dir, root, "rules-form.json");
  return path;
}

struct Visit {
  KioskConfig config;
  Catalog catalog = Catalog::load(catalog_dir());
  Session session{config, catalog, SessionServices{{}, {}, {}, validate_step}};
  TimePoint t = SteadyClock::now();
  explicit Visit(const std::string& form) {
    apply(K::Start);
    apply(K::ChooseLanguage, "vi");
    apply(K::ChooseProcedure, form);
    apply(K::Next);  // the procedure page: "Bắt đầu khai"
    apply(K::TypeByHand);
  }
  void apply(K k, std::string arg = {}, int n = 0) {
    session.apply({k, std::move(arg), n}, t);
    session.tick(t);
  }
  std::string field(const std::string& scope) {
    const auto* v = session.data().find(scope);
    return v ? std::string(*v) : "";
  }
  int option(const std::string& scope, const std::string& value) {
    auto options = forms::choices(*session.form(), *session.control_at(scope), scope);
    for (size_t i = 0; i < options.size(); ++i)
      if (options[i].value == value) return static_cast<int>(i);
    return -1;
  }
};
}  // namespace

TEST_CASE("a rule inside a repeat reads the same item: the decision number only for a marriage ended by divorce") {
  auto form = package("assets/forms/xac-nhan-hon-nhan.json");
  forms::FormModel m(form, "2026-11-29");
  m.set("/maritalStatus", "divorced");
  m.set("/previousMarriages", json::array({{{"spouseName", "Trần Văn Bình"}, {"endedBy", "divorce"}, {"divorceDecision", "12/2020"}},
                                           {{"spouseName", "Lê Văn Cường"}, {"endedBy", "death"}, {"divorceDecision", "forged"}},
                                           {{"spouseName", "Phạm Văn Dũng"}}}));
  auto list = m.shown(1);
  CHECK(any_at(list, "/divorceDecision", "/previousMarriages/0"));
  CHECK_FALSE(any_at(list, "/divorceDecision", "/previousMarriages/1"));
  CHECK_FALSE(any_at(list, "/divorceDecision", "/previousMarriages/2"));  // unanswered: null is not "divorce"
  CHECK(any_at(list, "/endedBy", "/previousMarriages/1"));
  json data = m.data();  // the hidden one is not submitted, the shown one is
  CHECK(data["previousMarriages"][0]["divorceDecision"] == "12/2020");
  CHECK_FALSE(data["previousMarriages"][1].contains("divorceDecision"));
  // Married: the whole list is hidden, and not submitted.
  m.set("/maritalStatus", "married");
  CHECK_FALSE(any_at(m.shown(1), "/spouseName", "/previousMarriages/0"));
  CHECK_FALSE(m.data().contains("previousMarriages"));
}

TEST_CASE("show, hide, enable and disable on elements, groups, repeats and steps, as a table") {
  auto form = package("tests/fixtures/rules-form.json");
  const std::string phone = "/ui/steps/0/elements/6", note = "/ui/steps/0/elements/4";
  struct Row { json answers; bool military, copies, phone_on, note_shown; };
  std::vector<Row> rows = {
      {json::object(), false, false, false, false},
      {{{"person", {{"sex", "nam"}}}}, true, false, false, false},
      {{{"person", {{"sex", "nu"}, {"hasPhone", "yes"}}}}, false, false, true, true},
      {{{"person", {{"hasPhone", "no"}}}, {"hasChildren", "yes"}}, false, true, false, false},
      {{{"hasChildren", "no"}}, false, false, false, false},
      {{{"person", {{"sex", "NAM"}}}}, false, false, false, false},  // near the condition is not the condition
  };
  for (auto& row : rows) {
    CAPTURE(row.answers.dump());
    forms::FormModel m(form, "2026-11-29");
    for (auto& [k, v] : row.answers.items()) m.set("/" + k, v);
    CHECK(m.step_applies(1) == row.military);
    CHECK(m.step_applies(3) == row.copies);  // a step whose only group is hidden is skipped
    CHECK(m.step_applies(0));
    bool phone_on = false, note_shown = false, phone_shown = false;
    for (auto& [where, item, on] : shown(m, 0)) {
      if (where == phone) { phone_shown = true; phone_on = on; }
      if (where == note) note_shown = true;
    }
    CHECK(phone_shown);  // disabled is still drawn, as unavailable
    CHECK(phone_on == row.phone_on);
    CHECK(note_shown == row.note_shown);
    // Typing into a disabled control is refused.
    CHECK(m.set("/person/phone", "0912345678") == row.phone_on);
  }
}

TEST_CASE("inside a repeat a disable rule reads the same item, and a hidden group hides the repeat in it") {
  auto form = package("tests/fixtures/rules-form.json");
  forms::FormModel m(form, "2026-11-29");
  m.set("/hasChildren", "yes");
  m.set("/children", json::array({{{"name", "An"}, {"adopted", "yes"}}, {{"name", "Bình"}, {"adopted", "no"}}}));
  std::map<std::pair<std::string, std::string>, bool> on;
  for (auto& s : m.shown(2)) on[{s.element->scope, s.item}] = s.enabled;
  CHECK(on.count({"/adoptionDecision", "/children/0"}));
  CHECK_FALSE(on.count({"/adoptionDecision", "/children/1"}));
  CHECK(on.at({"/birthCertificate", "/children/0"}) == false);
  CHECK(on.at({"/birthCertificate", "/children/1"}) == true);
  m.set("/hasChildren", "no");
  CHECK(m.shown(2).size() == 1);  // the question only; the group and its repeat are gone
  CHECK_FALSE(m.data().contains("children"));
}

TEST_CASE("a computed age's error stands under the date of birth it is read from, in the form's words") {
  auto form = package("tests/fixtures/rules-form.json");
  forms::FormModel m(form, "2026-11-29");
  m.set("/person/fullName", "Nguyễn Văn An");
  m.set("/person/sex", "nam");
  m.set("/person/dateOfBirth", "2015-01-01");
  CHECK(m.value("/person/age") == 11);
  auto errors = m.errors(0, "vi");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].scope == "/person/dateOfBirth");
  CHECK(errors[0].message == "Người khai phải đủ 18 tuổi.");
  CHECK(m.errors(0, "en")[0].message == "The declarant must be at least 18.");
  m.set("/person/dateOfBirth", "1961-05-02");
  CHECK(m.errors(0, "vi").empty());
  CHECK(m.value("/person/age") == 65);
}

TEST_CASE("values the citizen does not type read as people write them") {
  auto form = package("tests/fixtures/rules-form.json");
  const forms::Element* age = form.steps[0].controls[2];
  const forms::Element* fee = form.steps[3].controls[1];
  const forms::Element* name = form.steps[0].controls[0];
  CHECK(forms::display_value(form, *fee, "/fee", "1250000", "vi") == "1.250.000 đ");
  CHECK(forms::display_value(form, *fee, "/fee", "1250000", "en") == "1,250,000 đ");
  CHECK(forms::display_value(form, *fee, "/fee", "8000", "vi") == "8.000 đ");
  CHECK(forms::display_value(form, *fee, "/fee", "0", "vi") == "0 đ");
  CHECK(forms::display_value(form, *fee, "/fee", "1500.5", "vi") == "1.500,50 đ");
  CHECK(forms::display_value(form, *age, "/person/age", "45", "vi") == "45 tuổi");
  CHECK(forms::display_value(form, *age, "/person/age", "45", "en") == "45 years");
  CHECK(forms::display_value(form, *name, "/person/fullName", "Lê Thị Hoa", "vi") == "Lê Thị Hoa");
  CHECK(forms::display_value(form, *age, "/person/age", "", "vi").empty());
  CHECK(forms::group_thousands(-1234567, "vi") == "-1.234.567");
  CHECK(forms::group_thousands(999, "vi") == "999");
}

TEST_CASE("the kiosk clears a hidden answer at once, skips a step the rules leave empty and counts only the steps that apply") {
  Visit v("quy-tac-mau");
  Session& s = v.session;
  REQUIRE(s.step() == Step::Form);
  CHECK(s.step_count() == 2);  // person and children: military and copies do not apply yet
  CHECK(s.step_number() == 1);
  s.data().field("/person/fullName") = "Lê Văn Hùng";
  v.apply(K::ChooseOption, "/person/sex", v.option("/person/sex", "nam"));
  CHECK(s.step_count() == 3);
  // Disabled: no focus, no keys, nothing typed.
  v.apply(K::FocusField, "/person/phone");
  CHECK(s.keyboard().target.empty());
  v.apply(K::ChooseOption, "/person/hasPhone", v.option("/person/hasPhone", "yes"));
  v.apply(K::FocusField, "/person/phone");
  CHECK(s.keyboard().target == "/person/phone");
  for (const char* k : {"0", "9"}) v.apply(K::KeyPress, k);
  v.apply(K::FocusField, "");
  CHECK(v.field("/person/phone") == "09");
  s.data().field("/person/phone") = "0912345678";
  // The age is computed and shown; typing into it goes nowhere.
  s.data().field("/person/dateOfBirth") = "1961-05-02";
  v.session.tick(v.t);
  CHECK(v.field("/person/age") == "65");
  v.apply(K::FocusField, "/person/age");
  CHECK(s.keyboard().target.empty());
  // Next goes to the military step (it applies now), then to the children.
  v.apply(K::Next);
  REQUIRE(s.step() == Step::Form);
  v.apply(K::ChooseOption, "/person/sex", 0);  // not on screen any more: ignored
  CHECK(s.form_step() == 1);
  CHECK(s.step_number() == 2);
  // A woman: the military step no longer applies, its answer is gone at once.
  v.apply(K::Back);
  CHECK(s.form_step() == 0);
  v.session.data().field("/military/status") = "done";
  v.apply(K::ChooseOption, "/person/sex", v.option("/person/sex", "nu"));
  CHECK(v.field("/military/status").empty());
  CHECK(s.step_count() == 2);
  v.apply(K::Next);
  CHECK(s.form_step() == 2);  // straight to the children
  CHECK(s.step_number() == 2);
  v.apply(K::ChooseOption, "/hasChildren", v.option("/hasChildren", "yes"));
  v.apply(K::AddItem, "/children");
  v.apply(K::ChooseOption, "/children/0/adopted", v.option("/children/0/adopted", "yes"));
  CHECK(s.answerable("/children/0/adoptionDecision"));
  CHECK_FALSE(s.answerable("/children/0/birthCertificate"));
  s.data().field("/children/0/adoptionDecision") = "QĐ 15/2024";
  v.apply(K::ChooseOption, "/children/0/adopted", v.option("/children/0/adopted", "no"));
  CHECK(v.field("/children/0/adoptionDecision").empty());  // hidden in this item: cleared at once
  CHECK(s.answerable("/children/0/birthCertificate"));
  CHECK(s.step_count() == 3);  // the copies step applies with children
  v.apply(K::ChooseOption, "/hasChildren", v.option("/hasChildren", "no"));
  CHECK(s.item_count("/children") == 0);
  CHECK(v.field("/children/0/adopted").empty());
  v.apply(K::AddItem, "/children");  // the list is hidden: nothing to add to
  CHECK(s.item_count("/children") == 0);
  v.apply(K::Next);
  CHECK(s.step() == Step::Review);  // the copies step is skipped
}

TEST_CASE("form validate with a package: the kiosk's dossier passes, a forged age or fee or a hidden answer is refused") {
  auto form = package("tests/fixtures/rules-form.json");
  forms::FormModel m(form, "2026-11-29");
  m.set("/person/fullName", "Nguyễn Văn An");
  m.set("/person/dateOfBirth", "1961-05-02");
  m.set("/person/sex", "nam");
  m.set("/military/status", "done");
  m.set("/hasChildren", "yes");
  m.set("/children", json::array({{{"name", "An"}, {"adopted", "no"}}}));
  m.set("/copies", 3);
  json dossier = m.dossier("0b5f7f1e-6a43-4c65-9a3e-5d3c0c1f2a10");
  CHECK(dossier["data"]["fee"] == 24000);
  CHECK(forms::check_dossier(form, dossier, "2026-11-29", "vi").empty());
  CHECK(forms::check_dossier(form, dossier["data"], "2026-11-29", "vi").empty());  // the bare data too

  auto keywords = [&](const json& d) {
    std::vector<std::string> out;
    for (auto& e : forms::check_dossier(form, d, "2026-11-29", "en")) out.push_back(e.keyword + " " + e.instance_location);
    return out;
  };
  json forged = dossier;
  forged["data"]["person"]["age"] = 30;  // the schema alone would accept it
  CHECK(keywords(forged) == std::vector<std::string>{"computed /person/age"});
  forged = dossier;
  forged["data"]["fee"] = 8000;
  CHECK(keywords(forged) == std::vector<std::string>{"computed /fee"});
  forged = dossier;
  forged["data"]["children"][0]["adoptionDecision"] = "QĐ 1";  // "adopted": "no" hides it
  CHECK(keywords(forged) == std::vector<std::string>{"hidden /children/0/adoptionDecision"});
  forged = dossier;
  forged["data"]["person"]["sex"] = "nu";  // the military step does not apply to her
  CHECK(keywords(forged) == std::vector<std::string>{"hidden /military"});
  // Another form, another version: no answer at all.
  forged = dossier;
  forged["formVersion"] = "0.9.0";
  CHECK_THROWS_AS(forms::check_dossier(form, forged, "2026-11-29", "vi"), forms::DossierMismatch);
  forged = dossier;
  forged["formId"] = "khai-sinh";
  CHECK_THROWS_AS(forms::check_dossier(form, forged, "2026-11-29", "vi"), forms::DossierMismatch);
}

TEST_CASE("motcua form validate PACKAGE DATA: exit 0 valid, 1 forged, 2 unusable, never a silent valid") {
  std::string dir = (std::filesystem::temp_directory_path() / "motcua-validate-package").string();
  std::filesystem::create_directories(dir);
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir + "/" + name) << text;
    return dir + "/" + name;
  };
  // The real binary, as a portal would run it.
  auto run = [&](std::vector<std::string> args, std::string* out_text = nullptr) {
    std::string cmd = std::string(MOTCUA_BINARY) + " form";
    for (auto& a : args) cmd += " '" + a + "'";
    FILE* p = popen((cmd + " 2>&1").c_str(), "r");
    REQUIRE(p != nullptr);
    std::string out;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    int st = pclose(p);
    if (out_text) *out_text = out;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  };
  std::string pkg = root + "/tests/fixtures/rules-form.json";
  json data = {{"person", {{"fullName", "Nguyễn Văn An"}, {"dateOfBirth", "1961-05-02"}, {"age", 65}, {"sex", "nu"}}},
               {"hasChildren", "no"}};
  CHECK(run({"validate", pkg, write("ok.json", data.dump()), "--today", "2026-11-29"}) == 0);
  data["person"]["age"] = 20;
  std::string text;
  CHECK(run({"validate", pkg, write("forged.json", data.dump()), "--today", "2026-11-29"}, &text) == 1);
  CHECK(text.find("\"computed\"") != std::string::npos);
  // Before: the package read as a bare schema accepted anything. Garbage is now no answer.
  CHECK(run({"validate", pkg, write("nothing.json", "{\"anything\": true}"), "--today", "2026-11-29"}) == 1);
  CHECK(run({"validate", write("half.json", "{\"ui\": {}, \"schema\": {}}"), write("d.json", "{}")}, &text) == 2);
  CHECK(text.find("not a whole form package") != std::string::npos);
  CHECK(run({"validate", write("broken.json", "{\"meta\": {}, \"schema\": {}, \"ui\": {}}"), write("d2.json", "{}")}, &text) == 2);
  CHECK(text.find("broken.json") != std::string::npos);
  json other = {{"formId", "khai-sinh"}, {"formVersion", "1.0.0"}, {"data", json::object()}};
  CHECK(run({"validate", pkg, write("other.json", other.dump())}, &text) == 2);
  CHECK(text.find("khai-sinh") != std::string::npos);
  CHECK(run({"validate", pkg, write("d3.json", "{}"), "--today", "yesterday"}) == 2);
  std::filesystem::remove_all(dir);
}

namespace {
json read_json(const std::string& path) {
  std::ifstream in(path);
  return json::parse(in);
}
std::vector<std::string> lint_lines(const json& doc) {
  std::vector<std::string> out;
  for (auto& i : forms::lint_package(doc, read_json(root + "/assets/schemas/form-package.schema.json")))
    out.push_back(std::string(i.error ? "error " : "warning ") + i.pointer + ": " + i.message);
  return out;
}
}  // namespace

TEST_CASE("lint: relative rule scopes only inside repeats and naming the item's fields, typed widgets on computed values warned") {
  json doc = read_json(root + "/tests/fixtures/rules-form.json");
  CHECK(lint_lines(doc).empty());
  for (auto& f : {"xac-nhan-hon-nhan", "ho-kinh-doanh", "khai-tu", "khai-sinh"}) {
    CAPTURE(f);
    CHECK(lint_lines(read_json(root + "/assets/forms/" + f + ".json")).empty());
  }
  json bad = doc;
  bad["ui"]["steps"][0]["elements"][6]["rule"]["condition"]["scope"] = "./hasPhone";  // not in a repeat
  auto lines = lint_lines(bad);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].find("error /ui/steps/0/elements/6/rule/condition/scope") == 0);
  CHECK(lines[0].find("not inside a repeat") != std::string::npos);
  bad = doc;
  bad["ui"]["steps"][2]["elements"][1]["elements"][0]["elements"][2]["rule"]["condition"]["scope"] = "./adoptd";
  lines = lint_lines(bad);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].find("which the repeat's items do not have") != std::string::npos);
  bad = doc;
  bad["ui"]["steps"][0]["elements"][2]["widget"] = "number";  // the age, typed
  lines = lint_lines(bad);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].find("warning /ui/steps/0/elements/2/widget: /person/age is computed") == 0);
  bad = doc;
  bad["ui"]["steps"][0]["elements"][0]["widget"] = "value";  // the name, which nothing computes
  lines = lint_lines(bad);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].find("nothing computes /person/fullName") != std::string::npos);
  bad = doc;
  bad["ui"]["steps"][0]["elements"][1]["max"] = "yesterday";
  CHECK(lint_lines(bad).size() == 1);  // the package schema's date pattern
}

TEST_CASE("date bounds: never past them, a likely start, and the model and validate refuse a date outside") {
  forms::Ymd today{2026, 11, 29};
  forms::Element e;
  e.widget = "date";
  e.date_max = "today";
  e.date_start = "-35y";
  auto b = forms::date_bounds(e, today);
  CHECK(b.min.iso() == "1900-01-01");
  CHECK(b.max.iso() == "2026-11-29");
  CHECK(b.start.iso() == "1991-11-29");
  // Table: from, change → to.
  struct Row { const char* from; int change; const char* to; };
  for (auto& r : std::vector<Row>{{"2026-11-29", 1, "2026-11-29"},    // tomorrow is the future: stays
                                  {"2026-11-29", 3, "2026-11-29"},
                                  {"2020-11-29", 30, "2026-11-29"},   // ten years on: up to today only
                                  {"1905-03-01", -30, "1900-01-01"},  // nothing before 1900
                                  {"2024-02-29", 3, "2025-02-28"},    // a leap day a year on
                                  {"2024-01-31", 2, "2024-02-29"},
                                  {"2024-01-31", 1, "2024-01-01"},    // days wrap inside the month
                                  {"2024-01-01", -1, "2024-01-31"},
                                  {"2024-12-15", 2, "2024-01-15"}}) {
    CAPTURE(r.from);
    CAPTURE(r.change);
    CHECK(forms::step_date(*forms::parse_ymd(r.from), r.change, b).iso() == r.to);
  }
  CHECK_FALSE(forms::parse_ymd("2025-02-29"));
  CHECK_FALSE(forms::parse_ymd("1961-13-01"));
  CHECK(forms::resolve_date("-18y", {2024, 2, 29})->iso() == "2006-02-28");
  CHECK_FALSE(forms::resolve_date("yesterday", today));
  e.date_min = "-120y";
  e.date_max = "-18y";  // an adult's birth date
  b = forms::date_bounds(e, today);
  CHECK(b.min.iso() == "1906-11-29");
  CHECK(b.max.iso() == "2008-11-29");

  auto form = package("assets/forms/ho-kinh-doanh.json");  // the owner: "max": "-18y"
  forms::FormModel m(form, "2026-11-29");
  m.set("/owner/dateOfBirth", "2010-01-01");
  bool found = false;
  for (auto& err : m.errors(0, "vi"))
    if (err.scope == "/owner/dateOfBirth" && err.keyword == "dateRange") {
      found = true;
      CHECK(err.message == "Chọn ngày từ 01/01/1900 đến 29/11/2008.");
    }
  CHECK(found);
  auto errors = forms::check_dossier(form, m.data(), "2026-11-29", "en");
  CHECK(std::any_of(errors.begin(), errors.end(), [](auto& x) { return x.keyword == "dateRange" && x.instance_location == "/owner/dateOfBirth"; }));
}

TEST_CASE("the date stepper starts decades back for a birth date and the year grid reaches 1961 in two taps") {
  Visit v("xac-nhan-hon-nhan");  // the applicant's birth date: "max": "-16y", "start": "-30y"
  Session& s = v.session;
  const std::string dob = "/applicant/dateOfBirth";
  v.apply(K::AdjustDate, dob, 1);  // the first tap starts from thirty years back, not from today
  auto today = *forms::parse_ymd(local_time("%Y-%m-%d"));
  auto first = *forms::parse_ymd(v.field(dob));
  CHECK(first.y == today.y - 30);
  v.apply(K::YearGrid, dob, 0);
  CHECK(s.year_grid() == dob);
  v.apply(K::YearGrid, dob, 1960);
  CHECK(s.year_grid_decade() == 1960);
  v.apply(K::ChooseYear, dob, 1961);
  CHECK(v.field(dob).substr(0, 4) == "1961");
  CHECK(s.year_grid().empty());
  v.apply(K::ChooseYear, dob, today.y);  // too young: kept at the bound
  CHECK(v.field(dob) <= forms::Ymd{today.y - 16, today.m, std::min(today.d, forms::days_in_month(today.y - 16, today.m))}.iso());
  for (int i = 0; i < 20; ++i) v.apply(K::AdjustDate, dob, 30);
  CHECK(*forms::parse_ymd(v.field(dob)) <= forms::Ymd{today.y - 16, today.m, std::min(today.d, forms::days_in_month(today.y - 16, today.m))});
  for (int i = 0; i < 20; ++i) v.apply(K::AdjustDate, dob, -30);
  CHECK(v.field(dob).substr(0, 4) == "1900");
}
