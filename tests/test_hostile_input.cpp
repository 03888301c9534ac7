// Hostile input: nesting thousands deep, numbers past every integer type, expressions over the
// wrong kind of field. Each is refused with a message naming where, never a signal or exit 3.
// Deep inputs are generated here, not checked in.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "forms/expr.h"
#include "forms/json_input.h"
#include "forms/json_positions.h"
#include "forms/lint.h"
#include "forms/package.h"
#include "forms/schema/regex.h"
#include "forms/schema/validator.h"
#include "terminal/services/catalog_sync.h"
#include "terminal/services/private_files.h"
#include "terminal/core/config.h"
#include "terminal/core/input.h"
#include "terminal/core/survey.h"
#include "tests/support/files.h"

using nlohmann::json;
using namespace motcua;

namespace {
const std::string root = MOTCUA_SOURCE_ROOT;

std::string repeat(const std::string& s, size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

// {"key": {"key": ... inner ... }} nested n deep, as text (nlohmann parses it without recursion).
std::string nested_objects(const std::string& key, size_t n, const std::string& inner) {
  return repeat("{\"" + key + "\":", n) + inner + std::string(n, '}');
}

std::string config_error(const std::string& text) {
  try {
    parse_config(text, "kiosk.json");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(accepted)";
}

std::string package_error(const std::string& path) {
  try {
    forms::load_package(path);
  } catch (const forms::PackageError& e) {
    return e.what();
  }
  return "(accepted)";
}

void write(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

std::pair<int, std::string> motcua_cli(const std::string& args) {
  return test::run_capture(std::string(MOTCUA_BINARY) + " " + args);
}
}  // namespace

TEST_CASE("The bounded JSON parse refuses depth, size and numbers past a double, saying which") {
  CHECK(forms::parse_json("[[[1]]]") == json::parse("[[[1]]]"));
  CHECK_NOTHROW(forms::parse_json(std::string(64, '[') + std::string(64, ']')));
  CHECK_THROWS_WITH_AS(forms::parse_json(std::string(65, '[') + std::string(65, ']')),
                       doctest::Contains("nested deeper than 64 levels"), forms::JsonInputError);
  CHECK_THROWS_WITH_AS(forms::parse_json(std::string(100000, '[')), doctest::Contains("nested deeper"), forms::JsonInputError);
  CHECK_THROWS_WITH_AS(forms::parse_json("[1e400]"), doctest::Contains("invalid JSON"), forms::JsonInputError);
  CHECK_THROWS_WITH_AS(forms::parse_json("[1, 2", 64), doctest::Contains("invalid JSON"), forms::JsonInputError);
  CHECK_THROWS_WITH_AS(forms::parse_json(std::string(100, ' ') + "1", 64, 50), doctest::Contains("larger than 50 bytes"),
                       forms::JsonInputError);
  CHECK(forms::json_depth(json::parse("1"), 10) == 0);
  CHECK(forms::json_depth(json::parse("[]"), 10) == 1);
  CHECK(forms::json_depth(json::parse(R"({"a": [1, {"b": [[]]}], "c": {}})"), 10) == 5);
  CHECK(forms::json_depth(json::parse(std::string(50000, '[') + std::string(50000, ']')), 64) == 65);
}

TEST_CASE("A configuration nested thousands deep, 1e400 or a count past int is refused with its key") {
  CHECK(config_error(R"({"kioskId": )" + std::string(100000, '[') + std::string(100000, ']') + "}")
            .find("nested deeper than") != std::string::npos);
  CHECK(config_error(R"({"idleSeconds": 1e400})").find("invalid JSON") != std::string::npos);
  // 4294967297 = 2^32 + 1 used to be read as int: 1 minute.
  CHECK(config_error(R"({"catalogSyncMinutes": 4294967297})").find("\"catalogSyncMinutes\"") != std::string::npos);
  CHECK(config_error(R"({"idleSeconds": 4294967356})").find("\"idleSeconds\"") != std::string::npos);
  CHECK(config_error(R"({"idleSeconds": 18446744073709551615})").find("\"idleSeconds\"") != std::string::npos);
  CHECK(config_error(R"({"idleSeconds": -9223372036854775808})").find("\"idleSeconds\"") != std::string::npos);
  CHECK(parse_config(R"({"catalogSyncMinutes": 1440})", "kiosk.json").catalog_sync_minutes == 1440);
  // An absurd PBKDF2 iteration count is a bad hash, not the bare "stoi" of an escaped exception.
  std::string huge = "pbkdf2-sha256$99999999999999999999$" + std::string(32, 'a') + "$" + std::string(64, 'b');
  std::string e = config_error(R"({"staff": [{"id": "CB-01", "pin": ")" + huge + "\"}]}");
  CHECK(e.find("\"pin\" must be a hash") != std::string::npos);
  CHECK(e.find("stoi") == std::string::npos);
}

TEST_CASE("The kiosk refuses 1e400 and deep configurations with exit 2, not 3 or a signal") {
  test::TempDir dir;
  write(dir / "big.json", R"({"idleSeconds": 1e400})");
  auto [status, out] = motcua_cli("--config " + dir / "big.json");
  CHECK(status == 2);
  CHECK(out.find(dir / "big.json") != std::string::npos);
  write(dir / "deep.json", "{\"centerName\": " + nested_objects("vi", 100000, "\"x\"") + "}");
  auto [deep_status, deep_out] = motcua_cli("--config " + dir / "deep.json");
  CHECK(deep_status == 2);
  CHECK(deep_out.find("nested deeper") != std::string::npos);
}

TEST_CASE("A schema nested 10,000 deep is refused at compile time, not a stack overflow") {
  json deep = json::parse(nested_objects("items", 10000, "true"));
  CHECK_THROWS_WITH_AS(schema::Validator{deep}, doctest::Contains("nested deeper than"), schema::SchemaError);
  json shallow = json::parse(nested_objects("items", 20, "true"));
  CHECK_NOTHROW(schema::Validator{shallow});
  // Counts past 2^53 (3e30) are clamped, never cast: "at most 3e30 items" accepts three.
  schema::Validator most(json::parse(R"({"maxItems": 3e30, "minItems": 0.0})"));
  CHECK(most.valid(json::parse("[1, 2, 3]")));
  schema::Validator least(json::parse(R"({"minItems": 3e30})"));
  CHECK_FALSE(least.valid(json::parse("[1, 2, 3]")));
  schema::Validator multiple(json::parse(R"({"multipleOf": 5})"));
  CHECK(multiple.valid(json::parse("18446744073709551615")));  // 2^64 - 1 = 5 × 3689348814741910323
}

TEST_CASE("A regular expression with 20,000 nested groups is refused") {
  std::string pattern = std::string(20000, '(') + "a" + std::string(20000, ')');
  CHECK_THROWS_WITH_AS(schema::Regex{pattern}, doctest::Contains("nested deeper than 64"), schema::RegexError);
  CHECK(schema::Regex(std::string(30, '(') + "a" + std::string(30, ')')).search("xay"));
  // As a schema's pattern: a schema error at the pointer, not a crash.
  json s = {{"pattern", pattern}};
  CHECK_THROWS_WITH_AS(schema::Validator{s}, doctest::Contains("/pattern"), schema::SchemaError);
}

TEST_CASE("Lint positions and lint itself survive 40,000 open brackets and refuse the document") {
  std::string text = R"({"meta": )" + std::string(40000, '[') + std::string(40000, ']') + "}";
  auto positions = forms::json_positions(text);
  CHECK(positions.count("") == 1);
  json doc = json::parse(text);
  json package_schema = read_json_file(root + "/assets/schemas/form-package.schema.json");
  auto issues = forms::lint_package(doc, package_schema);
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].message.find("nested deeper than") != std::string::npos);
  // Through the command: a finding, not a signal.
  test::TempDir dir;
  write(dir / "deep.json", text);
  auto [status, out] = motcua_cli("form lint " + dir / "deep.json");
  CHECK(status == 1);
  CHECK(out.find("deep.json:1:1: error: /: nested deeper than 64 levels") != std::string::npos);
}

TEST_CASE("A form package with $defs 20,000 deep is refused when loaded, so no citizen can open it") {
  test::TempDir dir;
  json form = read_json_file(root + "/assets/forms/khai-sinh.json");
  std::string text = form.dump();
  std::string defs = R"("$defs": )" + nested_objects("$defs", 20000, "{}") + ",";
  text.replace(text.find("\"schema\":{") + 10, 0, defs);
  write(dir / "deep.json", text);
  CHECK(package_error(dir / "deep.json").find("nested deeper than") != std::string::npos);
  // The same package built in memory (as a synced catalog would) meets the same bound.
  json built = json::parse(text);
  CHECK_THROWS_WITH_AS(forms::parse_package(built, "synced.json"), doctest::Contains("nested deeper"), forms::PackageError);
}

TEST_CASE("A fee of 1e300 or a processing time past int is refused when the package loads") {
  json form = read_json_file(root + "/assets/forms/khai-sinh.json");
  form["meta"]["fees"] = json::array({{{"label", {{"vi", "Lệ phí"}}}, {"amount", 1e300}}});
  CHECK_THROWS_WITH_AS(forms::parse_package(form, "fee.json"), doctest::Contains("fee.json: /meta/fees/0/amount: expected whole đồng"),
                       forms::PackageError);
  form["meta"]["fees"][0]["amount"] = 50000;
  CHECK(forms::parse_package(form, "fee.json").fees[0]["amount"] == 50000);
  form["meta"]["processingDays"] = 4294967297ULL;
  CHECK_THROWS_WITH_AS(forms::parse_package(form, "days.json"), doctest::Contains("days.json: /meta/processingDays"),
                       forms::PackageError);
}

TEST_CASE("\"age\" or arithmetic over a text field is refused at load, lint and kiosk start, never at a tap") {
  test::TempDir dir;
  json form = read_json_file(root + "/assets/forms/khai-sinh.json");
  form["ui"]["computed"] = json::array({{{"scope", "/child/placeOfBirth"}, {"expression", {{"age", {{"var", "/child/fullName"}}}}}}});
  write(dir / "age.json", form.dump());
  CHECK(package_error(dir / "age.json").find("age.json: /ui/computed/0/expression/age/var: \"age\" reads /child/fullName") !=
        std::string::npos);

  json sum = form;
  sum["ui"]["computed"][0]["expression"] = {{"+", json::array({1, {{"var", "/declarant/idNumber"}}})}};
  write(dir / "sum.json", sum.dump());
  CHECK(package_error(dir / "sum.json").find("/ui/computed/0/expression/+/1/var: arithmetic reads /declarant/idNumber") !=
        std::string::npos);
  // Over a date it loads.
  json fine = form;
  fine["ui"]["computed"][0]["expression"] = {{"age", {{"var", "/child/dateOfBirth"}}}};
  write(dir / "fine.json", fine.dump());
  CHECK(package_error(dir / "fine.json") == "(accepted)");
  // A malformed expression is refused at load too (it used to wait for the linter).
  json empty = form;
  empty["ui"]["computed"][0]["expression"] = json::object();
  write(dir / "empty.json", empty.dump());
  CHECK(package_error(dir / "empty.json").find("empty.json: /ui/computed/0/expression: ") != std::string::npos);

  // Lint reports it at the pointer.
  json package_schema = read_json_file(root + "/assets/schemas/form-package.schema.json");
  bool reported = false;
  for (auto& i : forms::lint_package(form, package_schema))
    reported |= i.error && i.pointer == "/ui/computed/0/expression/age/var" && i.message.find("not a date") != std::string::npos;
  CHECK(reported);

  // The kiosk refuses to start on it: exit 2 naming file and pointer.
  std::filesystem::create_directories(dir / "forms");
  write(dir / "forms/age.json", form.dump());
  write(dir / "kiosk.json", R"({"formsDir": ")" + dir / "forms" + "\"}");
  auto [status, out] = motcua_cli("--config " + dir / "kiosk.json");
  CHECK(status == 2);
  CHECK(out.find("age.json: /ui/computed/0/expression/age/var") != std::string::npos);

  // And the evaluator itself never throws on a typed name.
  CHECK(forms::evaluate(json{{"age", "Nguyễn Văn An"}}, [](const std::string&) { return json(); }, "2026-11-29").is_null());
  CHECK(forms::evaluate(json{{"age", "2000-01-01"}}, [](const std::string&) { return json(); }, "2026-11-29") == 26);
}

TEST_CASE("form validate: 1e400 in a schema is exit 2 naming the file, a deep instance line is reported") {
  test::TempDir dir;
  write(dir / "s.json", R"({"maxLength": 1e400})");
  write(dir / "i.json", R"("x")");
  auto [status, out] = motcua_cli("form validate " + dir / "s.json" + " " + dir / "i.json");
  CHECK(status == 2);
  CHECK(out.find(dir / "s.json") != std::string::npos);
  write(dir / "u.json", R"({"uniqueItems": true})");
  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  write(dir / "lines.jsonl", "[" + deep + "," + deep + "]\n[1, 2]\n");
  auto [line_status, line_out] = motcua_cli("form validate " + dir / "u.json" + " --jsonl " + dir / "lines.jsonl");
  CHECK(line_status == 2);
  CHECK(line_out.find("lines.jsonl:1") != std::string::npos);
  CHECK(line_out.find("\"line\":2") != std::string::npos);
}

namespace {
std::string index_error(const std::string& body) {
  try {
    parse_catalog_index(body);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(accepted)";
}

json index_entry(const std::string& name) {
  return {{"name", name}, {"sha256", std::string(64, 'a')}, {"signature", "c2ln"}, {"href", "/v1/catalog/files/" + name}};
}
}  // namespace

TEST_CASE("The catalog index is bounded: depth, file count, string lengths, names and hrefs, each refusal naming the entry") {
  json good = {{"version", "0123abcd"}, {"files", {index_entry("khai-sinh.json"), index_entry("categories.json")}}};
  CatalogIndex index = parse_catalog_index(good.dump());
  CHECK(index.version == "0123abcd");
  REQUIRE(index.files.size() == 2);
  CHECK(index.files[1].href == "/v1/catalog/files/categories.json");
  json no_href = good;
  no_href["files"][0].erase("href");
  CHECK(parse_catalog_index(no_href.dump()).files[0].href == "/v1/catalog/files/khai-sinh.json");

  CHECK(index_error("{\"version\": \"1\", \"files\": " + std::string(100000, '[') + std::string(100000, ']') + "}")
            .find("catalog index: nested deeper than 4 levels") == 0);
  CHECK(index_error(R"({"version": "1", "files": [1]})") == "catalog index: files[0]: expected {name, sha256, signature, href}");
  CHECK(index_error(R"({"version": 1e300, "files": []})") == "catalog index: version: expected a text");
  CHECK(index_error(R"({"version": "1", "files": {}})") == "catalog index: expected {version, files: [...]}");
  CHECK(index_error("{\"version\": \"" + std::string(65, '1') + "\", \"files\": []}") == "catalog index: version: over 64 bytes");
  CHECK(index_error(R"({"version": "../x", "files": []})").find("unusable version") != std::string::npos);

  json many = good;
  many["files"] = json::array();
  for (size_t i = 0; i <= kMaxCatalogFiles; ++i) many["files"].push_back(index_entry(std::to_string(i) + ".json"));
  CHECK(index_error(many.dump()) == "catalog index: 1001 files, more than 1000");
  many["files"].erase(many["files"].size() - 1);
  CHECK(parse_catalog_index(many.dump()).files.size() == kMaxCatalogFiles);

  auto with = [&](const std::string& key, const json& value) {
    json bad = good;
    bad["files"][1][key] = value;
    return index_error(bad.dump());
  };
  CHECK(with("name", 7) == "catalog index: files[1].name: expected a text");
  CHECK(with("name", std::string(200, 'a') + ".json") == "catalog index: files[1].name: over 128 bytes");
  CHECK(with("name", "../kiosk.json").find("files[1].name: unusable file name") != std::string::npos);
  CHECK(with("name", "khai-sinh.json") == "catalog index: files[1].name: \"khai-sinh.json\" listed twice");
  CHECK(with("sha256", std::string(64, 'A')) == "catalog index: files[1].sha256: expected 64 lowercase hex digits");
  CHECK(with("signature", std::string(10000, 'A')) == "catalog index: files[1].signature: over 256 bytes");
  CHECK(with("size", 1e300).find("files[1].size: expected a whole number") != std::string::npos);
  CHECK(with("size", -1).find("files[1].size") != std::string::npos);
  // An href is a path on the portal: after the portal's address, "@host" would be another host.
  for (const std::string& href : std::vector<std::string>{"@evil.example/x.json", "https://evil.example/x.json", "//evil.example/x.json", "/v1/../x",
                           "/v1/catalog files", "/v1/catalog/files/a.json?x=@y", std::string(300, '/')})
    CHECK(with("href", href).find("files[1].href: ") != std::string::npos);
}

namespace {
json survey_doc() {
  return json::parse(R"({"id": "t", "version": "7",
    "levels": [{"value": 5, "face": "happy", "label": {"vi": "Tốt", "en": "Good"}},
               {"value": -1, "face": "sad", "label": {"vi": "Kém", "en": "Poor"}}],
    "criteria": [{"id": "overall", "title": {"vi": "Chung?", "en": "Overall?"}},
                 {"id": "speed", "ask": ["submit"], "title": {"vi": "Nhanh?", "en": "Fast?"}}]})");
}

std::string survey_error(const json& doc) {
  try {
    Survey::parse(doc, "s.json", {"vi", "en"});
  } catch (const InputError& e) {
    return e.what();
  }
  return "(accepted)";
}
}  // namespace

TEST_CASE("A hostile survey file is refused naming the entry: values past int, non-objects, wrong types, too many criteria") {
  Survey fine = Survey::parse(survey_doc(), "s.json", {"vi", "en"});
  CHECK(fine.levels[1].value == -1);
  CHECK(fine.criteria[1].at_lookup == false);
  json d = survey_doc();
  // 4294967297 = 2^32 + 1 used to become 1 through get<int>.
  d["levels"][0]["value"] = 4294967297ULL;
  CHECK(survey_error(d) == "s.json: levels[0].value: expected a whole number from -100 to 100, different for each level");
  d["levels"][0]["value"] = 1e300;
  CHECK(survey_error(d).find("levels[0].value") != std::string::npos);
  d["levels"][0]["value"] = -9223372036854775807LL - 1;
  CHECK(survey_error(d).find("levels[0].value") != std::string::npos);
  // These escaped as json::type_error (json::value on a number, a face that is not text).
  d = survey_doc();
  d["levels"][1] = 2;
  CHECK(survey_error(d) == "s.json: levels[1]: expected {\"value\": ..., \"face\": ..., \"label\": ...}");
  d = survey_doc();
  d["levels"][0]["face"] = 3;
  CHECK(survey_error(d) == "s.json: levels[0].face: expected happy, neutral or sad");
  d = survey_doc();
  d["criteria"][1] = "speed";
  CHECK(survey_error(d).find("s.json: criteria[1].id") == 0);
  d = survey_doc();
  d["criteria"][1]["ask"] = "submit";
  CHECK(survey_error(d).find("s.json: criteria[1].ask") == 0);
  CHECK(survey_error(json::array()).find("s.json: expected {") == 0);
  d = survey_doc();
  d["criteria"][1]["title"]["vi"] = std::string(2000, 'a');
  CHECK(survey_error(d) == "s.json: criteria[1].title.vi: over 1000 bytes");
  d = survey_doc();
  for (int i = 0; i < 20; ++i) d["criteria"].push_back({{"id", std::to_string(i)}, {"title", {{"vi", "a"}, {"en", "b"}}}});
  CHECK(survey_error(d).find("s.json: criteria: expected the overall rating and at most 19 more") == 0);
  // From a file, deep nesting is the bounded parse's refusal with the path.
  test::TempDir dir;
  write(dir / "deep.json", "{\"id\": " + std::string(100000, '[') + std::string(100000, ']') + "}");
  CHECK_THROWS_WITH_AS(Survey::load(dir / "deep.json", {"vi"}), doctest::Contains("deep.json: nested deeper than 64"), InputError);
}

// The staff export writes onto a USB stick, which anyone can prepare: a link planted where the
// export writes its temporary file must not carry the write (or the file's new mode) elsewhere.
TEST_CASE("a durable write does not follow a link planted at its temporary file") {
  test::TempDir dir;
  write(dir / "outbox.sqlite", "the kiosk's own file");
  std::filesystem::permissions(dir / "outbox.sqlite", std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  std::filesystem::create_symlink(dir / "outbox.sqlite", dir / "export.csv.tmp");
  write_file_durably(dir / "export.csv", "group,sessions\n", 0644);
  CHECK(test::slurp(dir / "outbox.sqlite") == "the kiosk's own file");
  CHECK((std::filesystem::status(dir / "outbox.sqlite").permissions() & std::filesystem::perms::all) ==
        (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
  CHECK(test::slurp(dir / "export.csv") == "group,sessions\n");
  CHECK_FALSE(std::filesystem::exists(std::filesystem::symlink_status(dir / "export.csv.tmp")));
}
