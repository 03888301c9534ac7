// No false refusals (issue 17, item 8): a recursive schema ($ref to itself, $dynamicRef) validates
// a deep but finite instance correctly; only a real reference loop is refused, and an instance
// too deep for the stack is refused cleanly, never a SIGSEGV.
#include <doctest/doctest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "forms/schema/validator.h"
#include "tests/support/run_motcua.h"

using nlohmann::json;
using motcua::schema::Validator;

namespace {

// {"child": {"child": ... {"name": leaf} }} built without recursion.
json nested(size_t levels, json leaf) {
  json v = {{"name", std::move(leaf)}};
  for (size_t i = 0; i < levels; ++i) v = json{{"child", std::move(v)}, {"name", "n"}};
  return v;
}

std::string reasons(const std::vector<motcua::schema::ValidationError>& errors) {
  std::string s;
  for (auto& e : errors) s += e.keyword + " " + e.instance_location.substr(0, 40) + " " + e.params.dump() + "\n";
  return s;
}

const json tree = json::parse(R"({
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "properties": {"name": {"type": "string"}, "child": {"$ref": "#"}},
  "required": ["name"]
})");

// The 2020-12 way to extend a recursive schema: $dynamicRef resolves to the outermost $dynamicAnchor.
const json strict_tree = json::parse(R"({
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://example.test/strict-tree",
  "$dynamicAnchor": "node",
  "$ref": "https://example.test/tree",
  "unevaluatedProperties": false,
  "$defs": {
    "tree": {
      "$id": "https://example.test/tree",
      "$dynamicAnchor": "node",
      "type": "object",
      "properties": {"name": {"type": "string"}, "child": {"$dynamicRef": "#node"}}
    }
  }
})");

}  // namespace

TEST_CASE("a $ref to itself validates 300 levels correctly, valid and invalid at the bottom") {
  Validator v(tree);
  CHECK_MESSAGE(v.valid(nested(300, "leaf")), reasons(v.validate(nested(300, "leaf"))));
  auto errors = v.validate(nested(300, 42));  // the deepest name is a number
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].keyword == "type");
  std::string deepest;
  for (int i = 0; i < 300; ++i) deepest += "/child";
  CHECK(errors[0].instance_location == deepest + "/name");
  CHECK(v.valid(nested(1000, "leaf")));
}

TEST_CASE("a $dynamicRef tree extended to forbid extra properties holds 300 levels deep") {
  Validator v(strict_tree);
  json ok = nested(300, "leaf");
  CHECK_MESSAGE(v.valid(ok), reasons(v.validate(ok)));
  json extra = ok;
  json* at = &extra;
  for (int i = 0; i < 299; ++i) at = &(*at)["child"];
  (*at)["colour"] = "red";  // only the outermost anchor forbids it, 300 levels down
  auto errors = v.validate(extra);
  CHECK_FALSE(errors.empty());
  bool named = false;
  for (auto& e : errors) named |= e.keyword == "unevaluatedProperties" || e.keyword == "false";
  CHECK_MESSAGE(named, reasons(errors));
}

TEST_CASE("a real reference loop is refused as a loop, and 100,000 levels are refused cleanly") {
  // (A bare "$ref": "#" is refused when the schema compiles; these loops only show on evaluation.)
  for (const char* schema : {R"({"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"allOf": [{"$ref": "#/$defs/a"}]}}, "$ref": "#/$defs/a"})",
                             R"({"$dynamicAnchor": "x", "anyOf": [{"$dynamicRef": "#x"}]})"}) {
    CAPTURE(schema);
    Validator v(json::parse(schema));
    auto errors = v.validate(json{{"name", "x"}});
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].params.value("reason", "").find("reference loop") != std::string::npos);
    CHECK_FALSE(v.valid(json::object()));
  }
  Validator v(tree);
  json deep = nested(100000, "leaf");
  auto errors = v.validate(deep);  // would overflow the stack if followed
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].params.value("reason", "").find("nested too deep for the schema's recursion") != std::string::npos);
  CHECK_FALSE(v.valid(deep));
}

TEST_CASE("form validate takes a 300-level instance of a recursive schema and refuses 100,000 levels with exit 2") {
  motcua::test::TempDir dir;
  std::string schema = dir.write("tree.json", tree.dump());
  auto ok = motcua::test::run_motcua("form validate " + schema + " " + dir.write("deep.json", nested(300, "leaf").dump()));
  CHECK_MESSAGE(ok.status == 0, ok.output.substr(0, 400));
  auto bad = motcua::test::run_motcua("form validate " + schema + " " + dir.write("deep-bad.json", nested(300, 7).dump()));
  CHECK(bad.status == 1);
  std::string text;  // written as text: dumping a 100,000-deep value would recurse in the test itself
  for (int i = 0; i < 100000; ++i) text += "{\"child\":";
  text += "{\"name\":\"leaf\"}";
  text.append(100000, '}');
  auto huge = motcua::test::run_motcua("form validate " + schema + " " + dir.write("huge.json", text));
  CHECK(huge.status == 2);
  CHECK_MESSAGE(huge.output.find("huge.json") != std::string::npos, huge.output.substr(0, 400));
  CHECK(huge.output.find("nested deeper than 1000 levels") != std::string::npos);
}
