#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "forms/json_positions.h"
#include "forms/lint.h"
#include "terminal/core/input.h"

using namespace motcua::forms;
using nlohmann::json;

namespace {
const std::string root = MOTCUA_SOURCE_ROOT;

json read(const std::string& path) { return motcua::read_json_file(path); }

json package_schema() { return read(root + "/assets/schemas/form-package.schema.json"); }

bool has(const std::vector<LintIssue>& issues, const std::string& pointer, const std::string& words) {
  for (auto& i : issues)
    if (i.pointer == pointer && i.message.find(words) != std::string::npos) return true;
  return false;
}
}  // namespace

TEST_CASE("lint finds each kind of authoring mistake at its pointer") {
  auto issues = lint_package(read(root + "/tests/fixtures/broken-form.json"), package_schema());
  CHECK(has(issues, "/ui/steps/0/elements/1/scope", "/nmae does not exist"));
  CHECK(has(issues, "/ui/steps/0/elements/0/widget", "needs a number"));
  CHECK(has(issues, "/ui/steps/0/elements/2/options/1/value", "not in the schema's enum"));
  CHECK(has(issues, "/ui/steps/0/elements/2/prefill", "card.shoeSize"));
  CHECK(has(issues, "/ui/steps/0/elements/3/rule/condition/scope", "/missing"));
  CHECK(has(issues, "/ui/computed/0/expression", "depends on itself"));
  CHECK(has(issues, "/schema", "required field /idNumber is on no step"));
  CHECK(has(issues, "/ui/steps/0/elements/0/label", "no \"en\" text"));
  CHECK(has(issues, "/ui/steps/0/elements/3/widget", "/a is computed, yet bound to the typed widget"));  // a warning
  CHECK(issues.size() == 10);
}

TEST_CASE("lint checks the package's shape against its schema first") {
  json p = read(root + "/tests/fixtures/marriage-form.json");
  p["ui"]["steps"][0]["elements"][0]["colour"] = "red";
  p["meta"].erase("locales");
  p["meta"]["version"] = "one";
  auto issues = lint_package(p, package_schema());
  CHECK(has(issues, "/ui/steps/0/elements/0/colour", "not part of the format"));
  CHECK(has(issues, "/meta", "missing \"locales\""));
  CHECK(has(issues, "/meta/version", "pattern"));
}

TEST_CASE("lint: an address widget needs an object of the parts the picker fills") {
  json p = read(root + "/assets/forms/ho-kinh-doanh.json");
  auto at = [&](const char* widget_scope) {
    for (size_t i = 0; i < p["ui"]["steps"][1]["elements"].size(); ++i)
      if (p["ui"]["steps"][1]["elements"][i].value("scope", "") == widget_scope) return "/ui/steps/1/elements/" + std::to_string(i);
    return std::string("?");
  };
  std::string premises = at("/business/premises");
  CHECK(lint_package(p, package_schema()).empty());
  json& object = p["schema"]["properties"]["business"]["properties"]["premises"];
  object["properties"]["district"] = json{{"type", "string"}};  // no districts since July 2025
  object["properties"]["street"]["type"] = "integer";
  object["properties"].erase("commune");
  auto issues = lint_package(p, package_schema());
  CHECK(has(issues, premises + "/widget", "needs a \"commune\" property"));
  CHECK(has(issues, premises + "/scope", "/business/premises/district is not a part the address picker fills"));
  CHECK(has(issues, premises + "/scope", "/business/premises/street must be a string"));
  p["ui"]["steps"][1]["elements"][0]["widget"] = "address";  // the business name is a string
  issues = lint_package(p, package_schema());
  CHECK(has(issues, at("/business/name") + "/widget", "needs an object"));
}

TEST_CASE("lint: bad expressions and unusable schemas are reported, not thrown") {
  json p = read(root + "/tests/fixtures/marriage-form.json");
  p["ui"]["computed"][0]["expression"] = json::parse(R"({"while": [true]})");
  p["schema"]["properties"]["copies"]["minimum"] = "one";
  auto issues = lint_package(p, package_schema());
  CHECK(has(issues, "/schema/properties/copies/minimum", "expected a number"));
  p["schema"]["properties"]["copies"]["minimum"] = 1;
  issues = lint_package(p, package_schema());
  CHECK(has(issues, "/ui/computed/0/expression", "unknown operator \"while\""));
}

TEST_CASE("every bundled form and test fixture meant to be clean lints clean") {
  for (auto& e : std::filesystem::directory_iterator(root + "/assets/forms")) {
    if (e.path().filename() == "categories.json") continue;
    auto issues = lint_package(read(e.path().string()), package_schema());
    for (auto& i : issues) FAIL_CHECK(e.path().filename().string() << ": " << i.pointer << ": " << i.message);
  }
  CHECK(lint_package(read(root + "/tests/fixtures/marriage-form.json"), package_schema()).empty());
}

TEST_CASE("json positions map pointers to lines and columns") {
  std::string text = "{\n  \"a\": [1,\n    {\"b~c/d\": true}],\n  \"e\": \"x\"\n}";
  auto pos = json_positions(text);
  CHECK(pos.at("").line == 1);
  CHECK(pos.at("/a").line == 2);
  CHECK(pos.at("/a").column == 8);
  CHECK(pos.at("/a/1").line == 3);
  CHECK(pos.at("/a/1/b~0c~1d").column == 15);
  CHECK(pos.at("/e").line == 4);
  CHECK(position_of(pos, "/a/1/missing/deeper").line == 3);  // nearest ancestor
}
