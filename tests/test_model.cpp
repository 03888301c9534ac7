#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>

#include "forms/expr.h"
#include "forms/model.h"
#include "forms/package.h"

using namespace motcua::forms;
using nlohmann::json;

namespace {
const std::string fixture = std::string(MOTCUA_SOURCE_ROOT) + "/tests/fixtures/marriage-form.json";

bool has_error(const std::vector<FieldError>& errors, const std::string& scope, const std::string& keyword) {
  for (auto& e : errors)
    if (e.scope == scope && e.keyword == keyword) return true;
  return false;
}
}  // namespace

TEST_CASE("errors wait for a touch or a Next, then name the field in the citizen's language") {
  FormPackage form = load_package(fixture);
  FormModel m(form, "2026-11-21");
  CHECK(m.shown_errors(0, "vi").empty());  // never on load
  CHECK(m.errors(0, "vi").size() == 2);    // though the step is not complete
  m.set("/applicant/fullName", "A");
  m.touch("/applicant/fullName");
  auto shown = m.shown_errors(0, "vi");
  REQUIRE(shown.size() == 1);
  CHECK(shown[0].message == "Họ tên cần ít nhất 2 chữ.");  // the form's own wording
  CHECK(m.shown_errors(0, "en")[0].message == "Name needs 2 letters.");
  CHECK_FALSE(m.attempt(0));
  CHECK(has_error(m.shown_errors(0, "vi"), "/applicant/idNumber", "required"));
  m.set("/applicant/fullName", "An");
  m.set("/applicant/idNumber", "001190012345");
  CHECK(m.attempt(0));
  CHECK(m.shown_errors(0, "vi").empty());
}

TEST_CASE("rules show the spouse only when married, and hidden answers are not submitted") {
  FormPackage form = load_package(fixture);
  FormModel m(form, "2026-11-21");
  const Element& spouse = *form.steps[1].controls[1];
  REQUIRE(spouse.scope == "/spouseName");
  CHECK_FALSE(m.visible(spouse));
  m.set("/status", "married");
  CHECK(m.visible(spouse));
  m.set("/spouseName", "B");
  CHECK(has_error(m.errors(1, "vi"), "/spouseName", "minLength"));
  m.set("/spouseName", "Lê Văn Bình");
  CHECK(m.data()["spouseName"] == "Lê Văn Bình");
  m.set("/status", "single");
  CHECK_FALSE(m.visible(spouse));
  CHECK_FALSE(m.data().contains("spouseName"));  // clearOnHide
  m.set("/spouseName", "X");
  CHECK_FALSE(has_error(m.errors(1, "vi"), "/spouseName", "minLength"));  // hidden fields do not block Next
}

TEST_CASE("computed values follow their inputs") {
  FormPackage form = load_package(fixture);
  FormModel m(form, "2026-11-21");
  m.set("/applicant/dateOfBirth", "1990-11-22");
  CHECK(m.value("/applicant/age") == 35);
  m.set("/applicant/dateOfBirth", "1990-11-21");
  CHECK(m.value("/applicant/age") == 36);
  m.set("/copies", 3);
  CHECK(m.value("/fee") == 15000);
  CHECK(m.source("/fee") == Source::Computed);
  m.set("/copies", nullptr);
  CHECK(m.value("/fee").is_null());
}

TEST_CASE("card prefill is marked, locked fields refuse typing, and the dossier records provenance") {
  FormPackage form = load_package(fixture);
  FormModel m(form, "2026-11-21");
  m.prefill({{"fullName", "Nguye\xCC\x82\xCC\x83n Thi\xCC\xA3 Lan"}, {"idNumber", "001190012345"}, {"dateOfBirth", "1990-05-17"}});
  CHECK(m.value("/applicant/fullName") == "Nguyễn Thị Lan");  // NFC on the way in
  CHECK(m.source("/applicant/fullName") == Source::Card);
  CHECK(m.locked("/applicant/fullName"));
  CHECK_FALSE(m.set("/applicant/fullName", "Someone Else"));
  CHECK(m.value("/applicant/fullName") == "Nguyễn Thị Lan");
  CHECK(m.set("/applicant/idNumber", "001190099999"));  // not locked: editable, now typed
  CHECK(m.source("/applicant/idNumber") == Source::Typed);
  m.set("/status", "single");
  m.set("/copies", 1);
  json d = m.dossier("0d9e8a1e-4c7b-4f3a-9a55-2f1b8c3d4e5f");
  CHECK(d["formId"] == "test-marital");
  CHECK(d["formVersion"] == "1.2.0");
  CHECK(d["schemaSha256"] == schema_sha256(form.schema));
  CHECK(d["schemaSha256"].get<std::string>().size() == 64);
  CHECK(d["dossierId"] == "0d9e8a1e-4c7b-4f3a-9a55-2f1b8c3d4e5f");
  CHECK(d["provenance"]["/applicant/fullName"] == "card");
  CHECK(d["provenance"]["/applicant/idNumber"] == "typed");
  CHECK(d["provenance"]["/fee"] == "computed");
  CHECK(d["data"]["applicant"]["age"] == 36);
}

TEST_CASE("expressions: shape checked up front, evaluation never throws") {
  CHECK(expression_inputs(json::parse(R"({"if": [{">": [{"var": "/a"}, 1]}, {"var": "/b"}, 0]})")) ==
        std::vector<std::string>{"/a", "/b"});
  CHECK_THROWS_WITH_AS(expression_inputs(json::parse(R"({"loop": [1]})"), "/ui/computed/0/expression"),
                       doctest::Contains("/ui/computed/0/expression: unknown operator \"loop\""), ExprError);
  CHECK_THROWS_WITH_AS(expression_inputs(json::parse(R"({"/": [1]})")), doctest::Contains("arguments"), ExprError);
  CHECK_THROWS_AS(expression_inputs(json::parse(R"({"var": "a"})")), ExprError);
  json deep = 1;
  for (int i = 0; i < 40; ++i) deep = {{"not", deep}};
  CHECK_THROWS_WITH_AS(expression_inputs(deep), doctest::Contains("deeper"), ExprError);
  auto none = [](const std::string&) { return json(); };
  CHECK(evaluate(json::parse(R"({"/": [1, 0]})"), none, "").is_null());
  CHECK(evaluate(json::parse(R"({"+": ["a", 1]})"), none, "").is_null());
  CHECK(evaluate(json::parse(R"({"concat": ["Bà ", {"var": "/x"}]})"), [](const std::string&) { return json("Lan"); }, "") == "Bà Lan");
  CHECK(evaluate(json::parse(R"({"round": [{"/": [10, 3]}, 2]})"), none, "") == 3.33);
  CHECK(evaluate(json::parse(R"({"coalesce": [{"var": "/x"}, "—"]})"), none, "") == "—");
}

TEST_CASE("a missing field is named by its label in the citizen's language") {
  FormPackage form = load_package(fixture);
  FormModel m(form, "2026-11-21");
  m.attempt(0);
  auto vi = m.shown_errors(0, "vi"), en = m.shown_errors(0, "en");
  REQUIRE(has_error(vi, "/applicant/idNumber", "required"));
  for (auto& e : vi)
    if (e.scope == "/applicant/idNumber") CHECK(e.message == "Vui lòng điền mục bắt buộc \"Số định danh\".");
  for (auto& e : en)
    if (e.scope == "/applicant/idNumber") CHECK(e.message == "Please fill in the required item \"ID number\".");
}

TEST_CASE("an optional answer typed wrong says it may be left empty, a required one does not") {
  FormPackage form = load_package(fixture);
  FormModel m(form, "2026-11-21");
  m.set("/status", "married");
  m.set("/copies", 1);
  m.set("/spouseName", "B");  // optional, too short
  auto errors = m.errors(1, "vi");
  REQUIRE(has_error(errors, "/spouseName", "minLength"));
  const std::string hint = "Mục này không bắt buộc: nếu không có, ông/bà có thể xoá hết để bỏ trống.";
  for (auto& e : errors)
    if (e.scope == "/spouseName") CHECK(e.message.find(hint) != std::string::npos);
  auto en = m.errors(1, "en");
  REQUIRE(has_error(en, "/spouseName", "minLength"));
  for (auto& e : en)
    if (e.scope == "/spouseName") CHECK(e.message.find("optional") != std::string::npos);
  // Required: clearing it is no way out, so nothing is said of leaving it.
  m.set("/applicant/fullName", "A");
  auto step0 = m.errors(0, "vi");
  REQUIRE(has_error(step0, "/applicant/fullName", "minLength"));
  for (auto& e : step0)
    if (e.scope == "/applicant/fullName") CHECK(e.message.find("không bắt buộc") == std::string::npos);
}

TEST_CASE("an optional answer the rules disable is not told to be cleared: it cannot be, there") {
  json doc = json::parse(std::ifstream(fixture));
  // One copy: the spouse's name is kept as typed but greyed out.
  doc["ui"]["steps"][1]["elements"][1]["elements"][0]["rule"] =
      {{"effect", "disable"}, {"condition", {{"scope", "/copies"}, {"schema", {{"const", 1}}}}}};
  FormPackage form = parse_package(doc, "disabled");
  FormModel m(form, "2026-11-21");
  m.set("/status", "married");
  m.set("/spouseName", "B");
  m.set("/copies", 2);
  auto enabled = m.errors(1, "vi");
  REQUIRE(has_error(enabled, "/spouseName", "minLength"));
  CHECK(std::any_of(enabled.begin(), enabled.end(), [](const FieldError& e) { return e.message.find("không bắt buộc") != std::string::npos; }));
  m.set("/copies", 1);
  auto disabled = m.errors(1, "vi");
  REQUIRE(has_error(disabled, "/spouseName", "minLength"));
  for (auto& e : disabled) CHECK(e.message.find("không bắt buộc") == std::string::npos);
}

TEST_CASE("an answer the schema requires only under a condition is not called optional while it holds") {
  json doc = json::parse(std::ifstream(fixture));
  // Two copies or more: the spouse's name becomes required (the fixture shows it when married).
  doc["schema"]["if"] = {{"properties", {{"copies", {{"minimum", 2}}}}}, {"required", {"copies"}}};
  doc["schema"]["then"] = {{"required", {"spouseName"}}};
  FormPackage form = parse_package(doc, "conditional");
  FormModel m(form, "2026-11-21");
  m.set("/status", "married");
  m.set("/spouseName", "B");
  m.set("/copies", 2);
  auto required_now = m.errors(1, "vi");
  REQUIRE(has_error(required_now, "/spouseName", "minLength"));
  for (auto& e : required_now) CHECK(e.message.find("không bắt buộc") == std::string::npos);
  m.set("/copies", 1);
  auto optional_now = m.errors(1, "vi");
  REQUIRE(has_error(optional_now, "/spouseName", "minLength"));
  CHECK(optional_now.front().message.find("không bắt buộc") != std::string::npos);
}

TEST_CASE("a missing choice asks to choose, a missing typed answer to fill in") {
  FormPackage form = load_package(fixture);
  FormModel m(form, "2026-11-21");
  m.set("/copies", 1);
  auto errors = m.errors(1, "vi");
  REQUIRE(has_error(errors, "/status", "required"));  // radio buttons
  for (auto& e : errors)
    if (e.scope == "/status") CHECK(e.message == "Vui lòng chọn một ý cho mục \"Tình trạng\".");
  for (auto& e : m.errors(1, "en"))
    if (e.scope == "/status") CHECK(e.message == "Please choose an answer for \"Status\".");
  for (auto& e : m.errors(0, "vi"))
    if (e.scope == "/applicant/idNumber") CHECK(e.message == "Vui lòng điền mục bắt buộc \"Số định danh\".");
}
