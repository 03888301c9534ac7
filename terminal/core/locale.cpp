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
  return substitute(get(lang, key), args);
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
