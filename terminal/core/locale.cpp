#include "terminal/core/locale.h"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "forms/json_input.h"
#include "forms/text.h"

namespace motcua {

Strings Strings::parse(const std::string& lang, const std::string& json_text, const std::string& origin) {
  nlohmann::json doc;
  try {
    doc = forms::parse_json(json_text);
  } catch (const forms::JsonInputError& e) {
    throw LocaleError(origin + ": " + e.what());
  }
  if (!doc.is_object()) throw LocaleError(origin + ": expected an object of key → text");
  Strings s;
  auto& table = s.table_[lang];
  for (auto& [key, value] : doc.items()) {
    if (!value.is_string()) throw LocaleError(origin + ": key \"" + key + "\": expected a string");
    table[key] = text::nfc(value.get<std::string>());
  }
  return s;
}

Strings Strings::load(const std::string& dir, const std::vector<std::string>& langs) {
  Strings all;
  for (auto& lang : langs) {
    std::string path = dir + "/" + lang + ".json";
    std::ifstream in(path);
    if (!in) throw LocaleError(path + ": cannot open locale file for \"" + lang + "\"");
    std::stringstream ss;
    ss << in.rdbuf();
    all.merge(parse(lang, ss.str(), path));
  }
  return all;
}

void Strings::merge(Strings other) {
  for (auto& [lang, table] : other.table_) table_[lang].merge(table);
}

std::string Strings::get(const std::string& lang, const std::string& key) const {
  if (auto t = table_.find(lang); t != table_.end())
    if (auto it = t->second.find(key); it != t->second.end()) return it->second;
  return "\xE2\x9F\xA6" + key + "\xE2\x9F\xA7";
}

std::string Strings::format(const std::string& lang, const std::string& key, const TextArgs& args) const {
  // Plurals: a count of exactly 1 takes KEY.one where the language has it ("1 item", not "1 items").
  for (auto& [name, value] : args)
    if (name == "count" && value == "1")
      if (auto t = table_.find(lang); t != table_.end())
        if (auto one = t->second.find(key + ".one"); one != t->second.end()) return substitute(one->second, args);
  return substitute(get(lang, key), args);
}

std::string either_of(const Strings& strings, const std::string& lang, const std::string& comma_list) {
  std::vector<std::string> items;
  for (size_t start = 0; start <= comma_list.size();) {
    size_t comma = comma_list.find(',', start);
    if (comma == std::string::npos) comma = comma_list.size();
    std::string item = comma_list.substr(start, comma - start);
    size_t first = item.find_first_not_of(' '), last = item.find_last_not_of(' ');
    if (first != std::string::npos) items.push_back(item.substr(first, last - first + 1));
    start = comma + 1;
  }
  if (items.size() < 2) return items.empty() ? comma_list : items[0];
  std::string head = items[0];
  for (size_t i = 1; i + 1 < items.size(); ++i) head += ", " + items[i];
  return strings.format(lang, "list.either", {{"first", head}, {"last", items.back()}});
}

std::vector<std::string> Strings::keys(const std::string& lang) const {
  std::vector<std::string> out;
  if (auto t = table_.find(lang); t != table_.end())
    for (auto& [k, _] : t->second) out.push_back(k);
  return out;
}

std::string substitute(const std::string& pattern, const TextArgs& args) {
  std::string out;
  out.reserve(pattern.size());
  for (size_t i = 0; i < pattern.size();) {
    if (pattern[i] == '{') {
      size_t close = pattern.find('}', i);
      if (close != std::string::npos) {
        std::string name = pattern.substr(i + 1, close - i - 1);
        bool found = false;
        for (auto& [k, v] : args)
          if (k == name) { out += v; found = true; break; }
        if (found) { i = close + 1; continue; }
      }
    }
    out += pattern[i++];
  }
  return out;
}

}  // namespace motcua
