#include "forms/admin_units.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "forms/text.h"

namespace motcua::forms {

std::string compact_search_key(std::string_view utf8) {
  std::string k = text::search_key(utf8);
  std::erase_if(k, [](char c) { return c == ' ' || c == '-'; });
  return k;
}

AdminUnits AdminUnits::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw AdminUnitsError(path + ": cannot be read");
  std::stringstream text;
  text << in.rdbuf();
  return parse(text.str(), path);
}

AdminUnits AdminUnits::parse(std::string_view text, const std::string& origin) {
  AdminUnits out;
  std::map<std::string, int> seen;  // code → line
  int line_no = 0;
  auto fail = [&](const std::string& why) { throw AdminUnitsError(origin + ":" + std::to_string(line_no) + ": " + why); };
  for (size_t at = 0; at < text.size();) {
    size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(at, end - at);
    at = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    size_t comma = line.find(',');
    if (comma == std::string_view::npos) fail("expected \"code,name\"");
    std::string code(line.substr(0, comma));
    std::string name = text::nfc(line.substr(comma + 1));
    if (out.version_.empty()) {
      if (code != "version" || name.empty()) fail("the file must start with \"version,<date>\"");
      out.version_ = name;
      continue;
    }
    if (name.empty() || name.find_first_not_of(' ') == std::string::npos) fail("unit " + code + " has no name");
    if (code.find_first_not_of("0123456789") != std::string::npos || (code.size() != 2 && code.size() != 5))
      fail("code \"" + code + "\" is neither a 2-digit province nor a 5-digit unit code");
    if (auto [it, fresh] = seen.emplace(code, line_no); !fresh)
      fail("code " + code + " is used twice (first on line " + std::to_string(it->second) + ")");
    if (code.size() == 2) {
      if (!out.provinces_.empty() && out.provinces_.back().units.empty())
        fail("province " + out.provinces_.back().code + " has no units");
      out.provinces_.push_back({code, name, compact_search_key(name), {}});
    } else {
      if (out.provinces_.empty()) fail("unit " + code + " comes before any province");
      out.provinces_.back().units.push_back(out.units_.size());
      out.units_.push_back({code, name, compact_search_key(name), out.provinces_.size() - 1});
    }
  }
  if (out.version_.empty()) fail("no \"version,<date>\" line");
  if (out.provinces_.empty()) fail("no provinces");
  if (out.provinces_.back().units.empty()) fail("province " + out.provinces_.back().code + " has no units");
  return out;
}

const AdminUnit* AdminUnits::unit(std::string_view code) const {
  for (const auto& u : units_)
    if (u.code == code) return &u;
  return nullptr;
}

const Province* AdminUnits::province_named(std::string_view name) const {
  std::string n = text::nfc(name);
  for (const auto& p : provinces_)
    if (p.name == n) return &p;
  return nullptr;
}

std::vector<const AdminUnit*> AdminUnits::search(std::string_view query, const Province* province, size_t limit,
                                                 size_t* total) const {
  std::string needle = compact_search_key(query);
  std::vector<const AdminUnit*> out;
  size_t n = 0;
  auto consider = [&](const AdminUnit& u) {
    if (!needle.empty() && !text::search_matches(u.key, needle)) return;
    ++n;
    if (out.size() < limit) out.push_back(&u);
  };
  if (province)
    for (size_t i : province->units) consider(units_[i]);
  else
    for (const auto& u : units_) consider(u);
  if (total) *total = n;
  return out;
}

std::vector<const Province*> AdminUnits::search_provinces(std::string_view query) const {
  std::string needle = compact_search_key(query);
  std::vector<const Province*> out;
  for (const auto& p : provinces_)
    if (needle.empty() || text::search_matches(p.key, needle)) out.push_back(&p);
  return out;
}

}  // namespace motcua::forms
