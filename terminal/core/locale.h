// UI strings per language, keyed by stable ids: locales/<lang>.json.
// Rule: code names keys only as string literals passed to tr() or Strings::get(), so a test can
// check that every key used exists in every locale and every key is used.
#pragma once
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace motcua {

struct LocaleError : std::runtime_error { using std::runtime_error::runtime_error; };

using TextArgs = std::vector<std::pair<std::string, std::string>>;

class Strings {
 public:
  // Loads dir/<lang>.json for each language; throws LocaleError naming file and key.
  static Strings load(const std::string& dir, const std::vector<std::string>& langs);
  static Strings parse(const std::string& lang, const std::string& json_text, const std::string& origin);
  void merge(Strings other);

  // The text for key in lang; a missing key shows as "⟦key⟧" so it is noticed, never crashes.
  std::string get(const std::string& lang, const std::string& key) const;
  // get() with {name} placeholders replaced from args; with {count} = 1, KEY.one when it exists.
  std::string format(const std::string& lang, const std::string& key, const TextArgs& args) const;

  std::vector<std::string> keys(const std::string& lang) const;

 private:
  std::map<std::string, std::map<std::string, std::string>> table_;
};

// A comma list read as alternatives: "1, 2" says "1 hoặc 2", "1, 2, 3" says "1, 2 hoặc 3"
// (list.either), so "quầy số 1, 2" does not read as one counter numbered "1, 2".
std::string either_of(const Strings& strings, const std::string& lang, const std::string& comma_list);

std::string substitute(const std::string& pattern, const TextArgs& args);

}  // namespace motcua
