#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <memory>

#include <malloc.h>

#include "forms/schema/compiled.h"
#include "forms/schema/messages.h"
#include "forms/schema/regex.h"
#include "forms/schema/uri.h"
#include "forms/schema/validator.h"

using namespace motcua::schema;
using nlohmann::json;

namespace {
std::string compile_error(const json& schema) {
  try {
    Validator v(schema, {}, "form.json");
  } catch (const SchemaError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("regex: ECMA-262 features used by forms") {
  CHECK(Regex("^[0-9]{12}$").search("079204001234"));
  CHECK_FALSE(Regex("^[0-9]{12}$").search("07920400123"));
  CHECK(Regex("^0[0-9]{9}$").search("0912345678"));
  CHECK(Regex("\\p{L}+").search("Đặng"));
  CHECK_FALSE(Regex("^\\p{Lu}").search("đặng"));
  CHECK(Regex("^\\S+ \\S+$").search("Hà Nội"));
  CHECK(Regex("^.$").search("ệ"));  // one code point, three bytes
  CHECK(Regex("a(?=b)").search("ab"));
  CHECK_FALSE(Regex("a(?!b)").search("ab"));
  CHECK(Regex("\\bAn\\b").search("Nguyễn Văn An"));
  CHECK(Regex("^[^]$").search("x"));
  CHECK_FALSE(Regex("[]").search("x"));
  CHECK(Regex("x{2,3}").search("axxb"));
  CHECK(Regex("a{").search("a{"));  // Annex B: a lone brace is a literal
}

// Straight patterns (^, fixed repeats, a last ranged one, $) take a one-pass path; wrapping the
// same pattern in a group sends it through the Pike VM, which must give the same answers.
TEST_CASE("regex: a straight pattern answers as the general matcher does") {
  const char* patterns[] = {"^[0-9]{12}$", "^0[0-9]{9}$", "^[0-9A-Z]{6,20}$", "^ab{2,}", "^[^a]{2}$", "^.{2}", "^đ?x$",
                            "^\\d{2}-\\w+$", "^$", "^"};
  const char* texts[] = {"", "001190012345", "0011900123456", "0912345678", "B1234567", "b12", "B1234567890123456789012",
                         "abb", "abbb", "ab", "đđ", "xa", "đx", "x", "12-ab_c", "12-", "\xff\xff", "\xc3", "a\nb"};
  for (const char* p : patterns) {
    std::string body = std::string(p).substr(1);
    bool anchored_end = !body.empty() && body.back() == '$';
    if (anchored_end) body.pop_back();
    Regex straight(p), general("^(?:" + body + ")" + (anchored_end ? "$" : ""));
    for (const char* t : texts) {
      CAPTURE(p);
      CAPTURE(t);
      CHECK(straight.search(t) == general.search(t));
    }
  }
  CHECK(Regex("^[0-9A-Z]{6,20}$").search("B1234567"));
  CHECK_FALSE(Regex("^[0-9A-Z]{6,20}$").search("B123456789012345678901"));
  CHECK(Regex("^[0-9A-Z]{6,20}").search("B123456789012345678901"));  // no $: a prefix is enough
  CHECK(Regex("^[^a]{2}$").search("đđ"));                              // code points, not bytes
}

TEST_CASE("regex: refused syntax says why") {
  CHECK_THROWS_WITH_AS(Regex("(a)\\1"), doctest::Contains("backreference"), RegexError);
  CHECK_THROWS_WITH_AS(Regex("(?<=a)b"), doctest::Contains("lookbehind"), RegexError);
  CHECK_THROWS_WITH_AS(Regex("(ab"), doctest::Contains("')'"), RegexError);
  CHECK_THROWS_AS(Regex("[b-a]"), RegexError);
  CHECK_THROWS_AS(Regex("*a"), RegexError);
  CHECK_THROWS_WITH_AS(Regex("\\p{Klingon}"), doctest::Contains("Klingon"), RegexError);
  CHECK_THROWS_WITH_AS(Regex("(a{1000}){1000}"), doctest::Contains("too complex"), RegexError);
}

TEST_CASE("regex: patterns that make backtracking engines explode stay linear on 10,000 characters") {
  std::string as(10000, 'a');
  CHECK_FALSE(Regex("^(a+)+$").search(as + "!"));
  CHECK_FALSE(Regex("^(a|aa)*b$").search(as));
  CHECK(Regex("^(a|aa)*$").search(as));
  CHECK_FALSE(Regex("((((a*)*)*)*)*b").search(as));
  CHECK(Regex("(x+x+)+y|a$").search(as));
  CHECK_FALSE(Regex("^(\\w+\\s?)*$").search(as + "!"));
}

TEST_CASE("uri resolution follows RFC 3986") {
  CHECK(resolve_uri("http://a/b/c/d;p?q", "g") == "http://a/b/c/g");
  CHECK(resolve_uri("http://a/b/c/d;p?q", "../g") == "http://a/b/g");
  CHECK(resolve_uri("http://a/b/c/d;p?q", "#s") == "http://a/b/c/d;p?q#s");
  CHECK(resolve_uri("http://a/b/c/d;p?q", "//g") == "http://g");
  CHECK(resolve_uri("urn:uuid:deadbeef", "#/$defs/x") == "urn:uuid:deadbeef#/$defs/x");
  CHECK(pointer_unescape(pointer_escape("a/b~c")) == "a/b~c");
  CHECK(pointer_escape("a/b~c") == "a~1b~0c");
}

TEST_CASE("errors carry instance and keyword locations and the keyword's parameters") {
  json schema = json::parse(R"({
    "$defs": {"person": {"type": "object", "properties": {
      "fullName": {"type": "string", "minLength": 2},
      "idNumber": {"type": "string", "pattern": "^[0-9]{12}$"}}, "required": ["fullName"]}},
    "type": "object",
    "properties": {"child": {"$ref": "#/$defs/person"}, "mother": {"$ref": "#/$defs/person"}}
  })");
  Validator v(schema);
  auto errors = v.validate(json::parse(R"({"child": {"fullName": "A", "idNumber": "12"}, "mother": {}})"));
  REQUIRE(errors.size() == 3);
  CHECK(errors[0].instance_location == "/child/fullName");
  CHECK(errors[0].keyword_location == "/properties/child/$ref/properties/fullName/minLength");
  CHECK(errors[0].keyword == "minLength");
  CHECK(errors[0].params["limit"] == 2);
  CHECK(errors[1].instance_location == "/child/idNumber");
  CHECK(errors[1].params["pattern"] == "^[0-9]{12}$");
  CHECK(errors[2].instance_location == "/mother");
  CHECK(errors[2].keyword == "required");
  CHECK(errors[2].params["missing"] == "fullName");
  CHECK_FALSE(v.valid(json::parse(R"({"mother": {}})")));
  CHECK(v.valid(json::parse(R"({"child": {"fullName": "An"}})")));
}

TEST_CASE("string lengths count code points, not bytes") {
  Validator v(json{{"maxLength", 4}, {"minLength", 4}});
  CHECK(v.valid("Việt"));   // 4 code points, 6 bytes
  CHECK_FALSE(v.valid("Viet Nam"));
}

TEST_CASE("unusable schemas get a clear message naming the pointer") {
  CHECK(compile_error(json::parse(R"({"properties": {"a": {"minLength": -1}}})")).find("/properties/a/minLength") != std::string::npos);
  CHECK(compile_error(json::parse(R"({"type": "strng"})")).find("\"strng\"") != std::string::npos);
  CHECK(compile_error(json::parse(R"({"properties": {"a": {"pattern": "(x"}}})")).find("/properties/a/pattern") != std::string::npos);
  CHECK(compile_error(json::parse(R"({"$ref": "#/$defs/missing"})")).find("cannot resolve") != std::string::npos);
  CHECK(compile_error(json::parse(R"({"items": [{}]})")).find("prefixItems") != std::string::npos);
  CHECK(compile_error(json(42)).find("form.json") != std::string::npos);
  std::string cycle = compile_error(json::parse(R"({"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"})"));
  CHECK(cycle.find("cycle") != std::string::npos);
}

TEST_CASE("a reference loop through applicators ends with an error, not a crash") {
  Validator v(json::parse(R"({"$defs": {"a": {"allOf": [{"$ref": "#/$defs/a"}]}}, "$ref": "#/$defs/a"})"));
  CHECK_FALSE(v.valid(1));
  auto errors = v.validate(1);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].params["reason"].get<std::string>().find("recursion") != std::string::npos);
}

TEST_CASE("formats are annotations unless assertion is asked for") {
  json schema = {{"format", "date"}};
  CHECK(Validator(schema).valid("2024-02-30"));
  Options assert_formats;
  assert_formats.format_assertion = true;
  Validator strict(schema, assert_formats);
  CHECK_FALSE(strict.valid("2024-02-30"));
  CHECK(strict.valid("2024-02-29"));
  CHECK(strict.validate("31/12/2024")[0].params["format"] == "date");
}

#include "forms/schema/messages.h"

TEST_CASE("messages in Vietnamese and English, with per-field overrides") {
  Validator v(json::parse(R"({"properties": {"name": {"type": "string", "minLength": 2}, "age": {"type": ["integer", "null"]},
                             "dob": {"format": "date"}}})"), [] { Options o; o.format_assertion = true; return o; }());
  auto errors = v.validate(json::parse(R"({"name": "A", "age": 1.5, "dob": "2024-02-30"})"));
  REQUIRE(errors.size() == 3);
  CHECK(error_message(errors[0], "vi") == "Giá trị phải là số nguyên hoặc để trống.");
  CHECK(error_message(errors[0], "en") == "The value must be a whole number or empty.");
  CHECK(error_message(errors[1], "vi") == "Giá trị chưa đúng định dạng ngày (năm-tháng-ngày).");
  CHECK(error_message(errors[2], "vi") == "Cần ít nhất 2 ký tự.");
  CHECK(error_message(errors[2], "en") == "Enter at least 2 characters.");
  json overrides = json::parse(R"({"minLength": {"vi": "Họ tên cần ít nhất {limit} chữ cái.", "en": "Name: {limit} letters at least."}})");
  CHECK(error_message(errors[2], "vi", &overrides) == "Họ tên cần ít nhất 2 chữ cái.");
  CHECK(error_message(errors[2], "en", &overrides) == "Name: 2 letters at least.");
  CHECK(error_message(errors[2], "km", &overrides) == "Họ tên cần ít nhất 2 chữ cái.");  // falls back to vi
}

TEST_CASE("a $schema that leads back to the schema itself does not recurse (found by fuzzing)") {
  json s = json::parse(R"({"$schema": "urn:motcua:schema#x", "$id": "urn:uuid:deadbeef-1234",
                           "properties": {"foo": {"$ref": "urn:uuid:deadbeef-1234#s"}},
                           "$defs": {"bar": {"$anchor": "s", "type": "string"}}})");
  Validator v(s);
  CHECK_FALSE(v.valid(json{{"foo", 12}}));
  CHECK(v.valid(json{{"foo", "x"}}));
}

// The yes/no answer counts required properties on the walk over the instance; the error list
// still names missing ones first, in the schema's order, before the properties' own errors.
TEST_CASE("schema: required properties, counted or listed") {
  Validator v(json::parse(R"({"type": "object", "required": ["b", "a", "c"],
    "properties": {"a": {"type": "string"}, "b": {"type": "string"}, "c": {"type": "string"}}})"));
  CHECK(v.valid(json{{"a", "x"}, {"b", "y"}, {"c", "z"}}));
  CHECK_FALSE(v.valid(json{{"a", "x"}, {"c", "z"}}));
  CHECK_FALSE(v.valid(json{{"a", "x"}, {"c", "z"}, {"d", 1}}));  // as many keys, one not required
  auto errors = v.validate(json{{"a", 1}, {"c", "z"}});
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].keyword == "required");
  CHECK(errors[0].params["missing"] == "b");
  CHECK(errors[1].keyword == "type");
  CHECK(errors[1].instance_location == "/a");
  // A name listed twice is still one property.
  CHECK(Validator(json::parse(R"({"required": ["a", "a"], "properties": {"a": {}}})")).valid(json{{"a", 1}}));
  // A required name no property describes is looked up.
  Validator elsewhere(json::parse(R"({"required": ["a", "z"], "properties": {"a": {}}})"));
  CHECK(elsewhere.valid(json{{"a", 1}, {"z", 2}}));
  CHECK_FALSE(elsewhere.valid(json{{"a", 1}, {"y", 2}}));
}

// A list kept between calls is written over from the front: each run leaves exactly the errors a
// fresh list gets, in the same order, whatever the list held before (more, fewer, none).
TEST_CASE("schema: every error written over a reused list, as a fresh list has them") {
  Validator v(json::parse(R"({"type": "object", "required": ["b", "a", "c"],
    "properties": {"a": {"type": "string"}, "b": {"type": "string", "maxLength": 2}, "c": {"type": "string"},
                   "d": {"type": "array", "items": {"minimum": 3}}}})"));
  std::vector<json> instances = {
      json{{"a", 1}, {"b", "long"}, {"c", 2}, {"d", {1, 2, 5, 0}}},  // five errors
      json{{"a", 1}, {"c", "z"}},                                     // a required one rotated in front of a walk's
      json{{"a", "x"}, {"b", "y"}, {"c", "z"}},                      // none
      json{{"b", "long"}},                                            // two required, one walk's
      json{{"a", 1}, {"b", "long"}, {"c", 2}, {"d", {1, 2, 5, 0}}},
      json{{"d", {0}}}};
  std::vector<ValidationError> carried;
  for (size_t round = 0; round < 2; ++round)
    for (size_t i = 0; i < instances.size(); ++i) {
      CAPTURE(i);
      bool ok = v.validate(instances[i], carried);
      auto fresh = v.validate(instances[i]);
      CHECK(ok == fresh.empty());
      CHECK(ok == v.valid(instances[i]));
      REQUIRE(carried.size() == fresh.size());
      for (size_t e = 0; e < fresh.size(); ++e) {
        CAPTURE(e);
        CHECK(carried[e].instance_location == fresh[e].instance_location);
        CHECK(carried[e].keyword_location == fresh[e].keyword_location);
        CHECK(carried[e].keyword == fresh[e].keyword);
        CHECK(carried[e].params == fresh[e].params);
      }
    }
  // The recursion's stop is an error like any other: the list holds it alone.
  Validator loop(json::parse(R"({"$defs": {"a": {"allOf": [{"$ref": "#/$defs/a"}]}}, "$ref": "#/$defs/a"})"));
  CHECK_FALSE(loop.validate(json(1), carried));
  REQUIRE(carried.size() == 1);
  CHECK(carried[0].keyword == "$ref");
  CHECK(carried[0].instance_location.empty());
}

// A few properties against a large object are looked up, not walked along its keys; an
// "additionalProperties": true that allows everything forces the walk: both must report the same.
TEST_CASE("schema: properties looked up or walked, the same errors in the same order") {
  const char* base = R"({"required": ["z", "b", "a~/"], "properties": {
    "a~/": {"type": "string"}, "b": {"type": "string", "maxLength": 1}, "c": {"minimum": 5}}})";
  json looked_up = json::parse(base), walked = json::parse(base);
  walked["additionalProperties"] = true;
  json instance = {{"a~/", 1}, {"b", "long"}, {"c", 2}, {"d", 0}, {"e", 0}, {"f", 0}, {"g", 0}, {"h", 0}, {"i", 0},
                   {"j", 0}, {"k", 0}, {"l", 0}};
  auto one = Validator(looked_up).validate(instance), other = Validator(walked).validate(instance);
  REQUIRE(one.size() == 4);
  REQUIRE(other.size() == 4);
  for (size_t i = 0; i < one.size(); ++i) {
    CHECK(one[i].instance_location == other[i].instance_location);
    CHECK(one[i].keyword_location == other[i].keyword_location);
    CHECK(one[i].params == other[i].params);
  }
  CHECK(one[0].params["missing"] == "z");
  CHECK(one[1].instance_location == "/a~0~1");
  CHECK(one[1].keyword_location == "/properties/a~0~1/type");
  CHECK(one[2].keyword == "maxLength");
  CHECK(one[3].keyword_location == "/properties/c/minimum");
  CHECK(Validator(looked_up).valid(json{{"z", 0}, {"b", "x"}, {"a~/", "x"}, {"d", 0}, {"e", 0}, {"f", 0}, {"g", 0},
                                        {"h", 0}, {"i", 0}, {"j", 0}, {"k", 0}, {"l", 0}}));
}

// Missing required names are read off the walk for the first 64 properties, looked up past them.
TEST_CASE("schema: required among more than 64 properties") {
  json schema = {{"properties", json::object()}, {"required", {"p03", "p70", "p65"}}};
  json instance = json::object();
  for (int i = 0; i < 72; ++i) {
    char name[8];
    std::snprintf(name, sizeof name, "p%02d", i);
    schema["properties"][name] = json::object();
    if (i != 70 && i != 3) instance[name] = i;
  }
  Validator v(schema);
  auto errors = v.validate(instance);
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].params["missing"] == "p03");
  CHECK(errors[1].params["missing"] == "p70");
  CHECK_FALSE(v.valid(instance));
  instance["p70"] = 0;
  instance["p03"] = 0;
  CHECK(v.valid(instance));
}

// Lengths count code points; the byte size settles most limits without counting, never wrongly.
TEST_CASE("schema: string lengths in code points, ill-formed bytes one each") {
  Validator min3(json{{"minLength", 3}}), max2(json{{"maxLength", 2}});
  CHECK_FALSE(min3.valid("đđ"));  // 4 bytes, 2 code points
  CHECK(min3.valid("đđđ"));
  CHECK(max2.valid("đđ"));
  CHECK_FALSE(max2.valid("đđđ"));
  CHECK(min3.valid(std::string("\xff\xfe\xfd")));  // three stray bytes: three code points
  CHECK_FALSE(max2.valid(std::string("\xff" "ab")));
  CHECK(Validator(json{{"minLength", 2}}).valid("ab"));
  CHECK_FALSE(Validator(json{{"minLength", 3}}).valid("\xc3\xa9"));  // one code point é
}

TEST_CASE("schema: an error's parameters as JSON, one kind each") {
  Options formats;
  formats.format_assertion = true;
  auto first = [&](const json& schema, const json& instance) {
    auto errors = Validator(schema, formats).validate(instance);
    REQUIRE_FALSE(errors.empty());
    return json(errors[0].params);
  };
  CHECK(first({{"type", {"null", "integer"}}}, "x") == json::parse(R"({"expected": ["integer", "null"], "actual": "string"})"));
  CHECK(first({{"type", "string"}}, 1.5) == json::parse(R"({"expected": ["string"], "actual": "number"})"));
  CHECK(first({{"enum", {"a", "b"}}}, "c") == json::parse(R"({"expected": ["a", "b"]})"));
  CHECK(first({{"const", {{"k", 1}}}}, 2) == json::parse(R"({"expected": {"k": 1}})"));
  CHECK(first({{"pattern", "^a"}}, "b") == json::parse(R"({"pattern": "^a"})"));
  CHECK(first({{"format", "date"}}, "31/12/2024") == json::parse(R"({"format": "date"})"));
  CHECK(first({{"required", {"z", "a"}}}, json::object()) == json::parse(R"({"missing": "z"})"));
  CHECK(first({{"minLength", 3}}, "ab") == json::parse(R"({"limit": 3})"));
  CHECK(first({{"dependentRequired", {{"a", {"b"}}}}}, {{"a", 1}}) == json::parse(R"({"property": "a", "missing": "b"})"));
  CHECK(first({{"contains", {{"const", 1}}}, {"minContains", 2}}, {1, 0}) == json::parse(R"({"limit": 2, "matches": 1})"));
  CHECK(first({{"not", true}}, 1) == json::object());
  CHECK(first(false, 1) == json::object());
}

TEST_CASE("schema: errors point at the schema's own values and keep them after the validator is gone") {
  json names = json::array();
  for (int i = 0; i < 1000; ++i) names.push_back("a permitted value, number " + std::to_string(i));
  json schema = {{"type", "object"},
                 {"required", {"name", "code"}},
                 {"properties", {{"kind", {{"enum", names}}}, {"code", {{"type", "string"}, {"pattern", "^[0-9]{12}$"}}}}}};
  auto validator = std::make_unique<Validator>(schema);
  const json instance = {{"kind", "another value"}, {"code", "12"}};
  // The 1,000 names are not copied into the error: two calls' errors show the very same list
  // (and in glibc's count the errors hold a few hundred bytes; before, over 100 kB).
  const long before = static_cast<long>(mallinfo2().uordblks);
  std::vector<ValidationError> errors = validator->validate(instance);
  const long held = static_cast<long>(mallinfo2().uordblks) - before;
  CHECK(held < 4096);  // (ASan's allocator is not counted there: the check below is the one it runs)
  std::vector<ValidationError> again = validator->validate(instance);
  REQUIRE(again.size() == 3);
  CHECK(&errors.at(2).params["expected"] == &again[2].params["expected"]);
  CHECK(&errors.at(0).params["missing"] == &again[0].params["missing"]);
  validator.reset();  // the errors still hold what they point at (ASan would see it otherwise)
  REQUIRE(errors.size() == 3);
  CHECK(errors[0].params["missing"] == "name");
  CHECK(errors[1].params["pattern"] == "^[0-9]{12}$");
  CHECK(errors[2].params["expected"].size() == 1000);
  CHECK(errors[2].params["expected"][999] == "a permitted value, number 999");
  std::vector<ValidationError> copies = errors;
  errors.clear();
  CHECK(copies[2].params["expected"][0] == "a permitted value, number 0");
  CHECK(error_message(copies[0], "en") == "Please fill in the required item \"name\".");
  copies[0].params.set("missing", "Họ và tên");  // a form shows its label instead of the name
  CHECK(error_message(copies[0], "vi") == "Vui lòng điền mục bắt buộc \"Họ và tên\".");
  CHECK(again[0].params["missing"] == "name");  // the schema's own name is untouched
}

// Errors are moved and swapped on their way into the list (required errors are rotated in front
// of the walk's): each keeps its own locations and parameters, and a moved-from Params is empty.
TEST_CASE("schema: errors moved and swapped keep their parameters, and a moved-from Params starts empty") {
  auto owner = std::make_shared<const json>(json{{"name", "fullName"}, {"other", "idNumber"}});
  const std::shared_ptr<const void> keep = owner;
  Params shared_one;
  shared_one.add_shared("missing", (*owner)["name"], keep);
  Params own_one;
  own_one.add("limit", 3);
  shared_one = std::move(own_one);  // what shared_one held is left in own_one, past its count
  CHECK(shared_one.to_json() == json{{"limit", 3}});
  CHECK(own_one.size() == 0);
  own_one.add("limit", 5);  // not the old shared "missing" value read under the new key
  CHECK(own_one.to_json() == json{{"limit", 5}});
  auto other_schema = std::make_shared<const json>("x"), third_schema = std::make_shared<const json>("y");
  Params from_other, target;
  from_other.add_shared("missing", *other_schema, std::shared_ptr<const void>(other_schema));
  target.add_shared("missing", (*owner)["name"], keep);
  target = std::move(from_other);
  CHECK(target.to_json() == json{{"missing", "x"}});
  // The moved-from one keeps no owner either: a value from any schema may be added to it.
  CHECK_NOTHROW(from_other.add_shared("property", *third_schema, std::shared_ptr<const void>(third_schema)));
  CHECK(from_other.to_json() == json{{"property", "y"}});
  from_other.add("limit", 1);
  CHECK_THROWS_AS(from_other.add("pattern", "x"), std::logic_error);  // two entries at most

  ValidationError a{"/a", "/properties/a/type", "type", {}}, b{"/b", "/required", "required", {}};
  a.params.add_static("actual", (*owner)["other"]);
  b.params.add_shared("missing", (*owner)["name"], keep);
  std::vector<ValidationError> list;
  list.push_back(std::move(a));
  list.push_back(std::move(b));
  std::rotate(list.begin(), list.begin() + 1, list.end());
  CHECK(list[0].keyword == "required");
  CHECK(list[0].params.to_json() == json{{"missing", "fullName"}});
  CHECK(list[1].instance_location == "/a");
  CHECK(list[1].params.to_json() == json{{"actual", "idNumber"}});
  owner.reset();
  CHECK(list[0].params["missing"] == "fullName");  // the error still keeps its schema
}

// A kept list's errors are cleared and written again: the owner stays while it is the same
// schema's (no reference counted per error), and gives way to another schema's.
TEST_CASE("schema: a cleared error keeps its schema's owner, and takes another schema's") {
  auto first = std::make_shared<const json>(json{{"name", "fullName"}});
  const std::shared_ptr<const void> keep = first;
  Params p;
  p.add_shared("missing", (*first)["name"], keep);
  CHECK(keep.use_count() == 3);  // first, keep, p
  p.clear(keep);
  CHECK(p.size() == 0);
  CHECK(keep.use_count() == 3);  // kept for the same schema's next error
  p.add_shared("missing", (*first)["name"], keep);
  CHECK(keep.use_count() == 3);  // the same owner, held once
  auto second = std::make_shared<const json>("idNumber");
  CHECK_THROWS_AS(p.add_shared("other", *second, std::shared_ptr<const void>(second)), std::logic_error);
  p.clear(keep);
  CHECK_NOTHROW(p.add_shared("missing", *second, std::shared_ptr<const void>(second)));
  CHECK(keep.use_count() == 2);  // given up: no entry points into the first schema
  CHECK(p.to_json() == json{{"missing", "idNumber"}});
  // Written over with values of its own by another schema's walk: the old schema is let go.
  const std::shared_ptr<const void> held_second = second;
  CHECK(held_second.use_count() == 3);  // second, held_second, p
  p.clear(keep);
  p.add("limit", 3);
  CHECK(held_second.use_count() == 2);
  p.add_shared("missing", (*first)["name"], keep);
  p.clear();  // for no schema: lets every one go
  CHECK(keep.use_count() == 2);

  // One list kept across two validators: the second's errors take the first's places.
  std::vector<ValidationError> list;
  {
    Validator a(json::parse(R"({"required": ["x", "y"], "properties": {"x": {"type": "string"}}})"));
    CHECK_FALSE(a.validate(json{{"x", 1}}, list));
    REQUIRE(list.size() == 2);
  }
  Validator b(json::parse(R"({"required": ["z"], "properties": {"z": {"enum": ["k"]}, "w": {"maximum": 1}}})"));
  CHECK_FALSE(b.validate(json{{"w", 2}}, list));
  REQUIRE(list.size() == 2);
  CHECK(list[0].keyword == "required");
  CHECK(list[0].params.to_json() == json{{"missing", "z"}});
  CHECK(list[1].keyword == "maximum");
  CHECK(list[1].params.to_json() == json{{"limit", 1.0}});
  CHECK_FALSE(b.validate(json{{"z", "q"}}, list));
  REQUIRE(list.size() == 1);
  CHECK(list[0].params.to_json() == json{{"expected", {"k"}}});
}

// A JSON pointer keeps every step: an empty name is a step of its own ("/properties//type"), and
// '~' and '/' are escaped in names the schema gives and in keys only the instance has.
TEST_CASE("schema: locations keep empty names and escape names from schema and instance") {
  Validator v(json::parse(R"({"properties": {"": {"type": "string"}, "a/b": {"type": "string"}},
    "patternProperties": {"^x": {"type": "string"}}, "dependentSchemas": {"": {"required": ["z"]}}})"));
  auto errors = v.validate(json::parse(R"({"": 1, "a/b": 2, "x~/": 3})"));
  REQUIRE(errors.size() == 4);
  CHECK(errors[0].instance_location == "/");
  CHECK(errors[0].keyword_location == "/properties//type");
  CHECK(errors[1].instance_location == "/a~1b");
  CHECK(errors[1].keyword_location == "/properties/a~1b/type");
  CHECK(errors[2].instance_location == "/x~0~1");
  CHECK(errors[2].keyword_location == "/patternProperties/^x/type");
  CHECK(errors[3].instance_location == "");
  CHECK(errors[3].keyword_location == "/dependentSchemas//required");
  CHECK(errors[3].params["missing"] == "z");
}

TEST_CASE("schema: property names ordered by their 16-byte keys as by their bytes") {
  // The walk matches an instance's keys to the schema's properties by these keys: any
  // disagreement with byte order would skip a property's checks.
  std::vector<std::string> names = {"", "a", "b", "ab", std::string("ab\0", 3), std::string("ab\0\0", 4), "abcdefgh",
                                    "abcdefgh\x01", "abcdefghi", "abcdefghijklmnop", "abcdefghijklmnopq",
                                    "abcdefghijklmnopr", "placeOfBirth", "placeOfResidence", "\xc4\x90\xe1\xbb\x8b",
                                    "\xff", "\x7f", "fullName", "fullNames", "Z", "z"};
  unsigned seed = 12345;
  for (int i = 0; i < 300; ++i) {  // random names over a small alphabet, so that long prefixes are shared
    std::string s;
    size_t len = (seed = seed * 1103515245 + 12345) >> 16 & 31;
    for (size_t j = 0; j < len; ++j) s += "ab\0\xff"[(seed = seed * 1103515245 + 12345) >> 16 & 3];
    names.push_back(s);
  }
  auto sign = [](int x) { return (x > 0) - (x < 0); };
  size_t disagreements = 0;
  for (auto& a : names)
    for (auto& b : names)
      if (sign(compare_names(a, name_key(a), b, name_key(b))) != sign(std::string_view(a).compare(b))) ++disagreements;
  CHECK(disagreements == 0);
  // Each key is the name's bytes, big-endian and zero-padded, at every length (short names are
  // read in overlapping loads).
  for (size_t length = 0; length <= 20; ++length) {
    std::string name;
    for (size_t i = 0; i < length; ++i) name += static_cast<char>(0x81 + 13 * i);
    uint64_t head = 0, next = 0;
    for (size_t i = 0; i < std::min<size_t>(length, 16); ++i)
      (i < 8 ? head : next) |= uint64_t{static_cast<unsigned char>(name[i])} << (56 - 8 * (i % 8));
    CAPTURE(length);
    CHECK(name_key(name).head == head);
    CHECK(name_key(name).next == next);
  }
}

TEST_CASE("schema: a message fills each parameter once, never inside a name the schema or form brings") {
  auto message = [](const json& schema, const json& instance, const json* field_messages = nullptr) {
    auto errors = Validator(schema).validate(instance);
    REQUIRE(errors.size() == 1);
    return error_message(errors[0], "vi", field_messages);
  };
  // A property name that looks like a parameter is shown as it is, whichever parameter comes first.
  CHECK(message({{"dependentRequired", {{"a", {"{property}"}}}}}, {{"a", 1}}) ==
        "Khi đã điền \"a\" thì cần điền cả \"{property}\".");
  CHECK(message({{"dependentRequired", {{"{missing}", {"b"}}}}}, {{"{missing}", 1}}) ==
        "Khi đã điền \"{missing}\" thì cần điền cả \"b\".");
  // A form's own sentence: unknown braces stay, a parameter inside braces is filled.
  json own = {{"minLength", "Ít nhất {limit} ký tự {ví dụ: Lan}, {{limit}} {limit"}};
  CHECK(message({{"minLength", 3}}, "ab", &own) == "Ít nhất 3 ký tự {ví dụ: Lan}, {3} {limit");
}
