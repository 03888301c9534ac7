#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "terminal/core/locale.h"

using namespace motcua;

namespace {

const std::string root = MOTCUA_SOURCE_ROOT;

// Keys the code names: literals passed to tr() or Strings::get/format(lang, ...), and layout keys.
std::set<std::string> keys_used_in_code() {
  static const std::regex tr_call(R"(\btr\(\s*"([^"]+)\")");
  static const std::regex get_call(R"(\.(?:get|format)\(\s*[A-Za-z_][\w.()]*\s*,\s*"([^"]+)\")");
  static const std::regex word_call(R"re(\btr_word\(\s*ui\s*,\s*"([^"]+)"\s*,\s*"([^"]+)")re");
  std::set<std::string> keys;
  for (auto& e : std::filesystem::recursive_directory_iterator(root + "/terminal")) {
    auto ext = e.path().extension();
    if (ext != ".cpp" && ext != ".h") continue;
    std::ifstream in(e.path());
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    for (auto* re : {&tr_call, &get_call})
      for (std::sregex_iterator it(text.begin(), text.end(), *re), end; it != end; ++it) keys.insert((*it)[1]);
    // The papers screen's pairs: the scanner's key and the camera's (capture.cpp's tr_word).
    for (std::sregex_iterator it(text.begin(), text.end(), word_call), end; it != end; ++it) {
      keys.insert((*it)[1]);
      keys.insert((*it)[2]);
    }
  }
  // Paper layouts name their wording as "@key" (assets/print/*.json).
  static const std::regex layout_key(R"re("@([a-z_.]+)")re");
  for (auto& e : std::filesystem::directory_iterator(root + "/assets/print")) {
    std::ifstream in(e.path());
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    for (std::sregex_iterator it(text.begin(), text.end(), layout_key), end; it != end; ++it) keys.insert((*it)[1]);
  }
  return keys;
}

std::set<std::string> placeholders(const std::string& s) {
  static const std::regex ph(R"(\{([a-z_]+)\})");
  std::set<std::string> out;
  for (std::sregex_iterator it(s.begin(), s.end(), ph), end; it != end; ++it) out.insert((*it)[1]);
  return out;
}

}  // namespace

TEST_CASE("substitution replaces named placeholders and leaves unknown ones") {
  CHECK(substitute("Bước {current}/{total}", {{"current", "2"}, {"total", "5"}}) == "Bước 2/5");
  CHECK(substitute("{a}{a}", {{"a", "x"}}) == "xx");
  CHECK(substitute("{unknown} {", {}) == "{unknown} {");
}

TEST_CASE("a count of one takes the key's .one form where the language has it") {
  Strings en = Strings::parse("en", R"({"n": "{count} items need fixing", "n.one": "1 item needs fixing"})", "en.json");
  CHECK(en.format("en", "n", {{"count", "1"}}) == "1 item needs fixing");
  CHECK(en.format("en", "n", {{"count", "2"}}) == "2 items need fixing");
  Strings vi = Strings::parse("vi", R"({"n": "Còn {count} mục cần sửa"})", "vi.json");
  CHECK(vi.format("vi", "n", {{"count", "1"}}) == "Còn 1 mục cần sửa");
  Strings real = Strings::load(root + "/locales", {"vi", "en"});
  CHECK(real.format("en", "catalog.count", {{"count", "1"}}) == "1 procedure");
}

TEST_CASE("a comma list of counters reads as alternatives, not as one counter named '1, 2'") {
  Strings s = Strings::load(root + "/locales", {"vi", "en"});
  CHECK(either_of(s, "vi", "1, 2") == "1 hoặc 2");
  CHECK(either_of(s, "en", "1,2") == "1 or 2");
  CHECK(either_of(s, "vi", "1, 2, 3") == "1, 2 hoặc 3");
  CHECK(either_of(s, "vi", "3") == "3");
  CHECK(either_of(s, "vi", " 4 , ") == "4");  // a stray comma is not a second counter
  CHECK(either_of(s, "vi", "") == "");
}

TEST_CASE("a missing key shows itself instead of crashing") {
  Strings s = Strings::parse("vi", R"({"a.b": "Xin chào {name}"})", "vi.json");
  CHECK(s.format("vi", "a.b", {{"name", "An"}}) == "Xin chào An");
  CHECK(s.get("vi", "nope").find("nope") != std::string::npos);
  CHECK(s.get("en", "a.b").find("a.b") != std::string::npos);
}

TEST_CASE("locale files: invalid content is reported with file and key") {
  CHECK_THROWS_WITH_AS(Strings::parse("vi", R"({"a": 3})", "vi.json"), doctest::Contains("\"a\""), LocaleError);
  CHECK_THROWS_WITH_AS(Strings::parse("vi", "{", "vi.json"), doctest::Contains("vi.json"), LocaleError);
  CHECK_THROWS_AS(Strings::load(root + "/locales", {"xx"}), LocaleError);
}

TEST_CASE("every key the code uses exists in every locale, and every locale key is used") {
  Strings strings = Strings::load(root + "/locales", {"vi", "en"});
  std::set<std::string> used = keys_used_in_code();
  REQUIRE(used.size() > 20);  // the scan really found the screens' keys
  for (const char* lang : {"vi", "en"}) {
    auto list = strings.keys(lang);
    std::set<std::string> have(list.begin(), list.end());
    for (auto& k : used) CHECK_MESSAGE(have.count(k), lang, ".json lacks key ", k);
    for (auto& k : have) {
      bool plural = k.size() > 4 && k.compare(k.size() - 4, 4, ".one") == 0;  // format() picks KEY.one for a count of 1
      CHECK_MESSAGE(used.count(plural ? k.substr(0, k.size() - 4) : k), lang, ".json has key ", k, " that no code uses");
    }
  }
}

TEST_CASE("translations keep the same placeholders") {
  Strings strings = Strings::load(root + "/locales", {"vi", "en"});
  for (auto& key : strings.keys("vi"))
    CHECK_MESSAGE(placeholders(strings.get("vi", key)) == placeholders(strings.get("en", key)), key);
}

TEST_CASE("no test name contains a semicolon or a square bracket, which ctest would split or merge") {
  static const std::regex test_case(R"re(TEST_CASE\("([^"]*)"\))re");
  int names = 0;
  for (auto& e : std::filesystem::directory_iterator(root + "/tests")) {
    if (e.path().extension() != ".cpp") continue;
    std::ifstream in(e.path());
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    for (std::sregex_iterator it(text.begin(), text.end(), test_case), end; it != end; ++it, ++names)
      CHECK_MESSAGE((*it)[1].str().find_first_of(";[]") == std::string::npos, e.path().filename().string(), ": ", (*it)[1].str());
  }
  CHECK(names > 100);
}
