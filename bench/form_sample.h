// A valid dossier for a bundled form's schema, built from the schema itself, for the validator
// benchmark: every property filled, the first choice of each enum, the smallest count allowed.
// Only the keywords the bundled forms use are understood; the benchmark checks the result is
// valid before timing it.
#pragma once
#include <algorithm>
#include <regex>
#include <string>

#include <nlohmann/json.hpp>

namespace motcua::bench {

// A string the property's pattern, format and length limits accept.
inline std::string sample_text(const nlohmann::json& s) {
  const std::string pattern = s.value("pattern", "");
  if (pattern == "^[0-9]{12}$") return "001190012345";
  if (pattern == "^0[0-9]{9}$") return "0912345678";
  if (pattern == "^[0-9A-Z]{6,20}$") return "B1234567";
  // Any other count of digits (a code of N digits, an optional leading zero): 0…01.
  std::smatch digits;
  static const std::regex kDigits(R"(\^(0?)\[0-9\]\{([0-9]+)(,[0-9]*)?\}\$)");
  if (std::regex_match(pattern, digits, kDigits)) {
    size_t n = std::stoul(digits[2].str());
    return digits[1].str() + (n ? std::string(n - 1, '0') + "1" : "");
  }
  if (pattern == "^([01][0-9]|2[0-3]):[0-5][0-9]$") return "09:30";
  if (!pattern.empty()) return "";  // unknown: the benchmark reports the schema refuses it
  const std::string format = s.value("format", "");
  if (format == "date") return "1990-05-17";
  if (format == "date-time") return "2026-11-21T09:30:00+07:00";
  if (format == "email") return "lan.nguyen@example.vn";
  size_t min = s.value("minLength", size_t{0}), max = s.value("maxLength", size_t{1000});
  size_t length = std::max(min, std::min(max, size_t{12}));
  if (s.value("contentEncoding", "") == "base64") {  // a signature: a PNG's base64 text
    std::string png = "iVBORw0KGgoAAAANSUhEUgAA";
    while (png.size() < length) png += png;
    return png.substr(0, length);
  }
  // Vietnamese text, so lengths are counted in code points, not bytes.
  const char* letters[] = {"H", "à", " ", "N", "ộ", "i", " "};
  std::string text;
  for (size_t i = 0; i < length; ++i) text += letters[i % 7];
  return text;
}

inline nlohmann::json form_sample(const nlohmann::json& s) {
  using nlohmann::json;
  if (s.contains("const")) return s["const"];
  if (s.contains("enum")) return s["enum"][0];
  std::string type = s.value("type", "string");
  if (type == "object") {
    json out = json::object();
    const json properties = s.value("properties", json::object());
    for (auto& [name, p] : properties.items()) out[name] = form_sample(p);
    return out;
  }
  if (type == "array") {
    json out = json::array();
    size_t n = std::max<size_t>(1, s.value("minItems", size_t{0}));
    for (size_t i = 0; i < n; ++i) out.push_back(form_sample(s.value("items", json::object())));
    return out;
  }
  if (type == "integer" || type == "number") return s.value("minimum", 0);
  if (type == "boolean") return true;
  return sample_text(s);
}

}  // namespace motcua::bench
