#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <sys/wait.h>
#include <tuple>
#include <fstream>
#include <sstream>

#include "forms/json_positions.h"
#include "forms/lint.h"
#include "forms/package.h"
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

TEST_CASE("a package may name the package schema as its $schema (an editor's completion), and only as text") {
  json p = read(root + "/assets/forms/khai-sinh.json");
  p["$schema"] = package_schema()["$id"];
  CHECK(lint_package(p, package_schema()).empty());
  p["$schema"] = 1;
  CHECK(has(lint_package(p, package_schema()), "/$schema", "must be text"));
}

TEST_CASE("every bundled form names the official declaration it reproduces and its legal source, in vi and en") {
  for (const char* id : {"khai-sinh", "khai-tu", "xac-nhan-hon-nhan", "ly-lich-tu-phap", "thuong-tru", "ho-kinh-doanh"}) {
    CAPTURE(id);
    json p = read(root + "/assets/forms/" + id + ".json");
    REQUIRE(p["meta"].contains("officialForm"));
    CHECK_FALSE(p["meta"]["officialForm"]["title"]["vi"].get<std::string>().empty());
    CHECK_FALSE(p["meta"]["officialForm"]["source"]["vi"].get<std::string>().empty());
    CHECK(lint_package(p, package_schema()).empty());
    p["meta"]["officialForm"]["source"].erase("en");
    CHECK(has(lint_package(p, package_schema()), "/meta/officialForm/source", "no \"en\" text"));
    p["meta"]["officialForm"]["note"].erase("en");
    CHECK(has(lint_package(p, package_schema()), "/meta/officialForm/note", "no \"en\" text"));
    p["meta"]["officialForm"]["page"] = 1;
    CHECK(has(lint_package(p, package_schema()), "/meta/officialForm/page", "not part of the format"));
  }
}

TEST_CASE("lint: a card field bound to a widget of the wrong shape is refused, with what to use") {
  json p = read(root + "/assets/forms/khai-sinh.json");
  json& name = p["ui"]["steps"][0]["elements"][0];  // /declarant/fullName, prefilled from card.fullName
  REQUIRE(name["prefill"] == "card.fullName");
  CHECK(lint_package(p, package_schema()).empty());
  name["widget"] = "date";
  CHECK(has(lint_package(p, package_schema()), "/ui/steps/0/elements/0/prefill", "only dateOfBirth, dateOfIssue and dateOfExpiry are dates"));
  name["widget"] = "money";
  CHECK(has(lint_package(p, package_schema()), "/ui/steps/0/elements/0/prefill", "use \"text\""));
  name["widget"] = "address";  // the issue's case: the card's one-line residence into the picker
  CHECK(has(lint_package(p, package_schema()), "/ui/steps/0/elements/0/prefill", "one line of text"));
  name["widget"] = "textarea";
  CHECK(lint_package(p, package_schema()).empty());
}

TEST_CASE("lint: prefillWhen names a real field, never the control's own answer, and needs a prefill") {
  json p = read(root + "/assets/forms/khai-sinh.json");
  json* father = nullptr;
  std::string at;
  for (size_t s = 0; s < p["ui"]["steps"].size(); ++s)
    for (size_t e = 0; e < p["ui"]["steps"][s]["elements"].size(); ++e)
      if (p["ui"]["steps"][s]["elements"][e].value("scope", "") == "/father/fullName") {
        father = &p["ui"]["steps"][s]["elements"][e];
        at = "/ui/steps/" + std::to_string(s) + "/elements/" + std::to_string(e);
      }
  REQUIRE(father);
  REQUIRE((*father)["prefillWhen"]["scope"] == "/declarant/relationship");
  CHECK(lint_package(p, package_schema()).empty());
  (*father)["prefillWhen"]["scope"] = "/declarant/relationshp";
  CHECK(has(lint_package(p, package_schema()), at + "/prefillWhen/scope", "did you mean /declarant/relationship"));
  (*father)["prefillWhen"]["scope"] = "/father/fullName";
  CHECK(has(lint_package(p, package_schema()), at + "/prefillWhen/scope", "conditioned on its own answer"));
  (*father)["prefillWhen"]["scope"] = "/declarant/relationship";
  (*father)["prefillWhen"]["schema"] = json{{"type", 12}};
  auto issues = lint_package(p, package_schema());
  CHECK(std::any_of(issues.begin(), issues.end(), [&](const LintIssue& i) {
    return i.pointer.rfind(at + "/prefillWhen/schema", 0) == 0 && i.message.find("unusable") != std::string::npos;
  }));
  (*father)["prefillWhen"]["schema"] = json{{"const", "Cha"}};
  father->erase("prefill");
  father->erase("lockPrefilled");
  CHECK(has(lint_package(p, package_schema()), at + "/prefillWhen", "without a prefill binding"));
  (*father)["prefill"] = "card.birthYear";  // a year into a text box: allowed; into a date: not
  CHECK(lint_package(p, package_schema()).empty());
  (*father)["widget"] = "date";
  CHECK(has(lint_package(p, package_schema()), at + "/prefill", "only dateOfBirth"));
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

TEST_CASE("meta.documents: the model reads them, lint wants unique ids, every language and 1 to 50 pages") {
  json p = read(root + "/assets/forms/khai-sinh.json");
  FormPackage form = parse_package(p, "khai-sinh.json");
  REQUIRE(form.documents.size() == 3);
  CHECK(form.documents[0].id == "giay-chung-sinh");
  CHECK(form.documents[0].name.in("vi") == "Giấy chứng sinh");
  CHECK(form.documents[0].required);
  CHECK(form.documents[0].original_at_counter);
  CHECK(form.documents[0].max_pages == 1);
  CHECK_FALSE(form.documents[1].required);
  CHECK(form.documents[2].max_pages == 3);
  FormPackage copy = form;  // a copy keeps them
  CHECK(copy.documents.size() == 3);

  json& docs = p["meta"]["documents"];
  docs[1]["id"] = "giay-chung-sinh";
  docs[0]["name"].erase("en");
  docs[1]["maxPages"] = 0;
  docs[2]["maxPages"] = 51;
  auto issues = lint_package(p, package_schema());
  CHECK(has(issues, "/meta/documents/1/id", "document id \"giay-chung-sinh\" is used twice"));
  CHECK(has(issues, "/meta/documents/0/name", "no \"en\" text"));
  CHECK(has(issues, "/meta/documents/1/maxPages", "from 1 to 50; found 0"));
  CHECK(has(issues, "/meta/documents/2/maxPages", "found 51"));
  CHECK(issues.size() == 4);
  docs[2]["maxPages"] = json::parse("18446744073709551615");
  CHECK(has(lint_package(p, package_schema()), "/meta/documents/2/maxPages", "found 18446744073709551615"));

  // Shapes: the package schema refuses an unknown key or a name that is not text per language.
  docs[2]["pages"] = 2;
  docs[2]["maxPages"] = 2;
  docs[1]["name"] = "Giấy chứng sinh";
  issues = lint_package(p, package_schema());
  CHECK(has(issues, "/meta/documents/2/pages", "not part of the format"));
  CHECK(has(issues, "/meta/documents/1/name", "(type)"));
  // and the kiosk's parser, which does not run the package schema, names the pointer too.
  CHECK_THROWS_WITH_AS(parse_package(p, "x.json"), "x.json: /meta/documents/1/name: expected object, found string", PackageError);
}

TEST_CASE("print: lint wants real fields, a label for what no step labels, and every language") {
  json p = read(root + "/assets/forms/khai-sinh.json");
  FormPackage form = parse_package(p, "khai-sinh.json");
  REQUIRE(form.print);
  PrintLayout l = print_layout(form);
  CHECK(l.title[0].in("vi") == "TỜ KHAI ĐĂNG KÝ KHAI SINH");
  CHECK(l.header[1].in("en") == "Độc lập - Tự do - Hạnh phúc");  // the motto, in every language
  REQUIRE(l.sections[0].fields.size() == 4);  // the requester: name, residence, ID, relationship, as on the paper
  CHECK(l.sections[1].fields[0].scope == "/child/fullName");
  CHECK(l.signer_name == "/declarant/fullName");
  CHECK(l.fill_blanks);

  json& pr = p["print"];
  pr["sections"][0]["fields"].push_back("/child/weight");
  pr["sections"][0]["fields"].push_back("/child");
  pr["sections"][1]["heading"].erase("en");
  pr["title"][0].erase("en");
  pr["signature"]["name"] = "/declarant/name";
  pr["signature"]["note"].erase("en");
  auto issues = lint_package(p, package_schema());
  CHECK(has(issues, "/print/sections/0/fields/4", "print field /child/weight does not exist in the schema"));
  CHECK(has(issues, "/print/sections/0/fields/5", "/child is no control or repeat of a step: give it a \"label\""));
  CHECK(has(issues, "/print/sections/1/heading", "no \"en\" text"));
  CHECK(has(issues, "/print/title/0", "no \"en\" text"));
  CHECK(has(issues, "/print/signature/note", "no \"en\" text"));
  CHECK(has(issues, "/print/signature/name", "/declarant/name does not exist"));
  CHECK(issues.size() == 6);
  pr["sections"][0]["fields"][5] = json{{"scope", "/child"}, {"label", {{"vi", "Trẻ"}}}};  // labelled: fine, but in vi only
  issues = lint_package(p, package_schema());
  CHECK(has(issues, "/print/sections/0/fields/5/label", "no \"en\" text"));
  CHECK_FALSE(has(issues, "/print/sections/0/fields/5/scope", "label"));
  pr["sections"][0]["fields"][0] = 12;
  CHECK(has(lint_package(p, package_schema()), "/print/sections/0/fields/0", ""));  // the shape, from the package schema

  // "answeredOnly" (the father's block): true or false, nothing else.
  json q = read(root + "/assets/forms/khai-sinh.json");
  REQUIRE(q["print"]["sections"][3]["answeredOnly"] == true);
  CHECK(print_layout(parse_package(q, "k")).sections[3].answered_only);
  CHECK_FALSE(print_layout(parse_package(q, "k")).sections[0].answered_only);
  q["print"]["sections"][3]["answeredOnly"] = "yes";
  CHECK(has(lint_package(q, package_schema()), "/print/sections/3/answeredOnly", ""));
  CHECK_THROWS_WITH_AS(parse_package(q, "x.json"), "x.json: /print/sections/3/answeredOnly: must be true or false", PackageError);

  // Without a print section: the motto, the title in capitals, a section per step, the card's name signs.
  PrintLayout d = print_layout(parse_package(read(root + "/assets/forms/ho-kinh-doanh.json"), "x"));
  CHECK(d.title[0].in("vi") == "ĐĂNG KÝ THÀNH LẬP HỘ KINH DOANH");
  CHECK(d.header[0].in("vi") == "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM");
  CHECK_FALSE(d.fill_blanks);
  REQUIRE(d.sections.size() == 3);  // the signing step has only the pad, which is never printed
  CHECK(d.sections[1].fields.back().scope == "/activities");
  CHECK(d.signer_name == "/owner/fullName");
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

TEST_CASE("lint: each new widget only on the schema type it writes, with a hint for the wrong one") {
  json p = read(root + "/tests/fixtures/widgets-form.json");
  CHECK(lint_package(p, package_schema()).empty());
  // Widget steps: 0 yes-no /wantsEmail, 1 email /email, 2 time /appointment/time, 3 time /appointment/exact.
  json& props = p["schema"]["properties"];
  props["wantsEmail"] = {{"type", "string"}, {"enum", {"yes", "no"}}};
  props["email"] = {{"type", "string"}};
  props["appointment"]["properties"]["time"] = {{"type", "integer"}};
  props["appointment"]["properties"]["exact"] = {{"type", "string"}};
  props["amount"] = {{"type", "string"}};
  auto issues = lint_package(p, package_schema());
  const std::string s0 = "/ui/steps/0/elements/", s1 = "/ui/steps/1/elements/";
  CHECK(has(issues, s0 + "0/widget", "\"yes-no\" is one tick for a boolean"));
  CHECK(has(issues, s0 + "0/widget", "use \"radio\""));  // the hint for an enum
  CHECK(has(issues, s0 + "1/widget", "without \"format\": \"email\""));  // a warning
  CHECK(has(issues, s0 + "2/widget", "not a number of minutes"));
  CHECK(has(issues, s0 + "3/widget", "without a \"pattern\""));  // a warning
  CHECK(has(issues, s1 + "0/widget", "amounts are whole đồng"));
  int errors = 0;
  for (auto& i : issues) errors += i.error;
  CHECK(errors == 3);
  CHECK(issues.size() == 5);
  // A type the widget cannot write at all: an email widget on a number.
  props["email"] = {{"type", "number"}};
  CHECK(has(lint_package(p, package_schema()), s0 + "1/widget", "\"email\" writes a string"));
}

TEST_CASE("lint: the category must be one of the catalog's, with a did-you-mean") {
  json p = read(root + "/tests/fixtures/widgets-form.json");
  LintContext c;
  c.categories = {"ho_tich", "cu_tru", "tu_phap"};
  CHECK(lint_package(p, package_schema(), c).empty());
  p["meta"]["category"] = "tu-phap";
  auto issues = lint_package(p, package_schema(), c);
  REQUIRE(issues.size() == 1);
  CHECK(has(issues, "/meta/category", "\"tu-phap\" is not in the catalog's categories.json: did you mean \"tu_phap\"?"));
  CHECK(has(issues, "/meta/category", "known: ho_tich, cu_tru, tu_phap"));
  p["meta"]["category"] = "thue";
  issues = lint_package(p, package_schema(), c);
  CHECK(has(issues, "/meta/category", "\"thue\" is not in the catalog"));
  CHECK_FALSE(has(issues, "/meta/category", "did you mean"));
  CHECK(lint_package(p, package_schema()).empty());  // no catalog given: not checked
}

TEST_CASE("lint: message keywords and {placeholders} must be ones the kiosk fills") {
  json p = read(root + "/tests/fixtures/widgets-form.json");
  json& amount = p["ui"]["steps"][1]["elements"][0];
  amount["messages"]["minimun"] = {{"vi", "Ít nhất {limit}."}, {"en", "At least {limit}."}};
  amount["messages"]["minimum"] = {{"vi", "Ít nhất {limt} đồng."}, {"en", "At least {minimum} đồng."}};
  amount["messages"]["maximum"] = "Không quá {limit} đồng.";  // a plain string, right placeholder: fine
  amount["messages"]["uniqueItems"] = {{"vi", "Trùng {x}."}, {"en", "Repeated."}};
  auto issues = lint_package(p, package_schema());
  const std::string m = "/ui/steps/1/elements/0/messages/";
  CHECK(has(issues, m + "minimun", "\"minimun\" is not a keyword whose message a form can give: did you mean \"minimum\"?"));
  CHECK(has(issues, m + "minimum/vi", "placeholder {limt} is not filled for \"minimum\": did you mean {limit}? (known: {limit})"));
  CHECK(has(issues, m + "minimum/en", "placeholder {minimum} is not filled for \"minimum\""));
  CHECK(has(issues, m + "uniqueItems/vi", "this keyword has none"));
  CHECK(issues.size() == 4);
  // The same on a computed value's messages.
  json q = read(root + "/tests/fixtures/rules-form.json");
  q["ui"]["computed"][0]["messages"] = {{"minimum", {{"vi", "Đủ {limit} tuổi."}, {"en", "{age} years."}}}};
  CHECK(has(lint_package(q, package_schema()), "/ui/computed/0/messages/minimum/en", "placeholder {age}"));
}

TEST_CASE("lint: did-you-mean for unknown scopes, rule scopes and card fields") {
  json p = read(root + "/tests/fixtures/widgets-form.json");
  p["ui"]["steps"][0]["elements"][1]["scope"] = "/emial";
  p["ui"]["steps"][0]["elements"][2]["scope"] = "/appointment/tiem";
  p["ui"]["steps"][0]["elements"][1]["rule"]["condition"]["scope"] = "/wantEmail";
  p["ui"]["steps"][1]["elements"][0]["scope"] = "/zzzzzz";
  p["ui"]["steps"][0]["elements"][3]["prefill"] = "card.fulName";
  auto issues = lint_package(p, package_schema());
  const std::string s0 = "/ui/steps/0/elements/";
  CHECK(has(issues, s0 + "1/scope", "scope /emial does not exist in the schema: did you mean /email?"));
  CHECK(has(issues, s0 + "2/scope", "did you mean /appointment/time?"));
  CHECK(has(issues, s0 + "1/rule/condition/scope", "did you mean /wantsEmail?"));
  CHECK(has(issues, s0 + "3/prefill", "did you mean \"card.fullName\"?"));
  CHECK(has(issues, "/ui/steps/1/elements/0/scope", "scope /zzzzzz does not exist in the schema"));
  CHECK_FALSE(has(issues, "/ui/steps/1/elements/0/scope", "did you mean"));  // nothing near: no guess
  CHECK(nearest("minLenght", {"minLength", "maxLength"}) == "minLength");
  CHECK(nearest("MinLength", {"minLength"}) == "minLength");
  CHECK(nearest("abc", {"xyz"}).empty());
  CHECK(nearest("minLength", {"minLength"}).empty());  // the word itself is no suggestion
}

TEST_CASE("lint: a package without a language the kiosk offers is warned, not refused") {
  json p = read(root + "/tests/fixtures/widgets-form.json");
  LintContext c;
  c.kiosk_languages = {"vi", "en"};
  CHECK(lint_package(p, package_schema(), c).empty());
  p["meta"]["locales"] = {"vi"};
  auto issues = lint_package(p, package_schema(), c);
  REQUIRE(issues.size() == 1);
  CHECK_FALSE(issues[0].error);
  CHECK(has(issues, "/meta/locales", "the kiosk offers \"en\" but the package has no \"en\" texts"));
}

TEST_CASE("form lint over several files or a folder: the same form id twice is an error naming both") {
  auto dir = std::filesystem::temp_directory_path() / "motcua-lint-ids";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  json a = read(root + "/tests/fixtures/widgets-form.json");
  std::ofstream(dir / "a.json") << a.dump(2);
  a["meta"]["version"] = "2.0.0";
  std::ofstream(dir / "b.json") << a.dump(2);
  std::filesystem::copy_file(root + "/assets/forms/categories.json", dir / "categories.json");
  auto run = [&](const std::string& args) {
    std::string cmd = std::string(MOTCUA_BINARY) + " form lint " + args + " 2>&1";
    FILE* f = popen(cmd.c_str(), "r");
    REQUIRE(f);
    std::string out;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
    int st = pclose(f);
    return std::pair(WEXITSTATUS(st), out);
  };
  int status = 0;
  std::string out;  // not a structured binding: clang 14 (scripts/sanitize) cannot capture one in a message
  std::tie(status, out) = run(dir.string());
  CHECK(status == 1);
  CHECK_MESSAGE(out.find((dir / "b.json").string() + ":4:11: error: /meta/id: form id \"o-nhap-mau\" is also the id of " + (dir / "a.json").string()) !=
                    std::string::npos,
                out);
  CHECK(out.find("a.json:4") == std::string::npos);  // the first one is not at fault
  std::tie(status, out) = run((dir / "a.json").string());
  CHECK(status == 0);
  CHECK(out.empty());
  // The categories beside the files are the catalog's: one the catalog lacks is refused.
  a["meta"]["category"] = "hotich";
  std::ofstream(dir / "b.json") << a.dump(2);
  std::tie(status, out) = run((dir / "b.json").string());
  CHECK(status == 1);
  CHECK(out.find("did you mean \"ho_tich\"?") != std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("meta.synonyms and meta.purpose: lint wants declared languages, no repeats, real names") {
  json p = read(root + "/assets/forms/xac-nhan-hon-nhan.json");
  FormPackage form = parse_package(p, "xac-nhan-hon-nhan.json");
  CHECK(std::find(form.synonyms.begin(), form.synonyms.end(), "giấy độc thân") != form.synonyms.end());
  CHECK(!form.purpose.in("vi").empty());
  CHECK(lint_package(p, package_schema()).empty());  // the reviewed list as bundled is clean

  json& syn = p["meta"]["synonyms"];
  syn["vi"].push_back("Giay Doc Than");        // the first name again, accents and case aside
  syn["vi"].push_back("x");                    // one letter finds everything
  syn["vi"].push_back("Cấp Giấy xác nhận tình trạng hôn nhân");  // the title itself
  syn["fr"] = {"certificat de célibat"};       // a language the package does not speak
  p["meta"]["purpose"].erase("en");
  auto issues = lint_package(p, package_schema());
  size_t n = syn["vi"].size();
  CHECK(has(issues, "/meta/synonyms/vi/" + std::to_string(n - 3), "listed twice"));
  CHECK(has(issues, "/meta/synonyms/vi/" + std::to_string(n - 2), "at least two letters"));
  CHECK(has(issues, "/meta/synonyms/vi/" + std::to_string(n - 1), "is the title itself"));
  CHECK(has(issues, "/meta/synonyms/fr", "meta.locales does not declare"));
  CHECK(has(issues, "/meta/purpose", "no \"en\" text"));
  // Shape: the package schema wants lists of non-empty texts.
  syn["vi"] = "giấy độc thân";
  CHECK(has(lint_package(p, package_schema()), "/meta/synonyms/vi", ""));
}

TEST_CASE("lint: a repeat's itemLabel is text in every language the form declares") {
  json p = read(root + "/assets/forms/thuong-tru.json");
  const std::string at = "/ui/steps/3/elements/1";
  json& members = p[json::json_pointer(at)];
  REQUIRE(members["type"] == "repeat");
  CHECK(parse_package(p, "thuong-tru.json").steps[3].elements[1].item_label.in("vi") == "thành viên");
  members["itemLabel"].erase("en");
  CHECK(has(lint_package(p, package_schema()), at + "/itemLabel", "no \"en\" text"));
  members["itemLabel"] = "thành viên";
  CHECK(has(lint_package(p, package_schema()), at + "/itemLabel", "(type)"));
  CHECK_THROWS_AS(parse_package(p, "x.json"), PackageError);
}
