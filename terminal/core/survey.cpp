#include "terminal/core/survey.h"

#include <set>

#include "forms/text.h"
#include "terminal/core/input.h"

namespace motcua {

namespace {

constexpr long long kMinLevel = -100, kMaxLevel = 100;
constexpr size_t kMaxCriteria = 20, kMaxId = 64, kMaxText = 1000;

using nlohmann::json;

// The member, or null when absent; never json::value(), which throws type_error on a non-object.
const json& member(const json& o, const char* key) {
  static const json none;
  if (!o.is_object()) return none;
  auto it = o.find(key);
  return it == o.end() ? none : *it;
}

forms::LocalText local_text(const json& v, const std::string& where, const std::vector<std::string>& locales) {
  if (!v.is_object()) throw InputError(where + ": expected {\"vi\": ..., \"en\": ...}");
  forms::LocalText t;
  for (auto& [lang, s] : v.items()) {
    if (!s.is_string() || s.get_ref<const std::string&>().empty()) throw InputError(where + "." + lang + ": expected a text");
    if (s.get_ref<const std::string&>().size() > kMaxText)
      throw InputError(where + "." + lang + ": over " + std::to_string(kMaxText) + " bytes");
    t.by_lang[lang] = text::nfc(s.get<std::string>());
  }
  for (auto& l : locales)
    if (!t.by_lang.count(l)) throw InputError(where + ": no text for locale \"" + l + "\"");
  return t;
}

}  // namespace

Survey Survey::load(const std::string& path, const std::vector<std::string>& locales) {
  return parse(read_json_file(path), path, locales);
}

Survey Survey::parse(const json& doc, const std::string& path, const std::vector<std::string>& locales) {
  Survey s;
  const json &id = member(doc, "id"), &version = member(doc, "version");
  if (!id.is_string() || !version.is_string() || id.get_ref<const std::string&>().size() > kMaxId ||
      version.get_ref<const std::string&>().size() > kMaxId)
    throw InputError(path + ": expected {\"id\": ..., \"version\": ..., \"levels\": [...], \"criteria\": [...]}, id and version up to " +
                     std::to_string(kMaxId) + " bytes");
  s.id = id;
  s.version = version;
  const json& levels = member(doc, "levels");
  if (!levels.is_array() || levels.size() < 2 || levels.size() > 5) throw InputError(path + ": levels: expected 2 to 5 levels");
  std::set<long long> values;
  for (size_t i = 0; i < levels.size(); ++i) {
    auto& l = levels[i];
    std::string where = path + ": levels[" + std::to_string(i) + "]";
    if (!l.is_object()) throw InputError(where + ": expected {\"value\": ..., \"face\": ..., \"label\": ...}");
    SurveyLevel level;
    // Checked as the JSON integer it is before narrowing: 4294967297 is not 1.
    const json& v = member(l, "value");
    bool whole = v.is_number_unsigned() ? v.get<unsigned long long>() <= static_cast<unsigned long long>(kMaxLevel)
                                        : v.is_number_integer() && v.get<long long>() >= kMinLevel && v.get<long long>() <= kMaxLevel;
    if (!whole || !values.insert(v.get<long long>()).second)
      throw InputError(where + ".value: expected a whole number from " + std::to_string(kMinLevel) + " to " + std::to_string(kMaxLevel) +
                       ", different for each level");
    level.value = static_cast<int>(v.get<long long>());
    const json& face = member(l, "face");
    level.face = face.is_null() ? "neutral" : face.is_string() ? face.get<std::string>() : "";
    if (level.face != "happy" && level.face != "neutral" && level.face != "sad")
      throw InputError(where + ".face: expected happy, neutral or sad");
    level.label = local_text(member(l, "label"), where + ".label", locales);
    s.levels.push_back(std::move(level));
  }
  const json& criteria = member(doc, "criteria");
  if (!criteria.is_array() || criteria.empty() || criteria.size() > kMaxCriteria)
    throw InputError(path + ": criteria: expected the overall rating and at most " + std::to_string(kMaxCriteria - 1) + " more");
  std::set<std::string> ids;
  for (size_t i = 0; i < criteria.size(); ++i) {
    auto& c = criteria[i];
    std::string where = path + ": criteria[" + std::to_string(i) + "]";
    SurveyCriterion crit;
    const json& id = member(c, "id");
    if (!id.is_string() || id.get_ref<const std::string&>().empty() || id.get_ref<const std::string&>().size() > kMaxId ||
        !ids.insert(id.get<std::string>()).second)
      throw InputError(where + ".id: expected a text up to " + std::to_string(kMaxId) + " bytes, different for each criterion");
    crit.id = id;
    crit.title = local_text(member(c, "title"), where + ".title", locales);
    const json& ask = member(c, "ask");
    if (!ask.is_null()) {
      if (!ask.is_array()) throw InputError(where + ".ask: expected [\"submit\"], [\"lookup\"] or both");
      crit.at_submission = crit.at_lookup = false;
      for (auto& a : ask) {
        if (a == "submit") crit.at_submission = true;
        else if (a == "lookup") crit.at_lookup = true;
        else throw InputError(where + ".ask: expected \"submit\" and/or \"lookup\"");
      }
    }
    s.criteria.push_back(std::move(crit));
  }
  if (!s.criteria.front().at_submission || !s.criteria.front().at_lookup)
    throw InputError(path + ": criteria[0] is the overall rating and is asked every time");
  return s;
}

const Survey& Survey::builtin() {
  // One aggregate, not member assignments: g++ 12's -Wrestrict misfires on those once inlined.
  static const Survey s{
      "builtin",
      "1",
      {{1, "happy", {{{"vi", "Rất hài lòng"}, {"en", "Very satisfied"}}}},
       {2, "neutral", {{{"vi", "Hài lòng"}, {"en", "Satisfied"}}}},
       {3, "sad", {{{"vi", "Không hài lòng"}, {"en", "Dissatisfied"}}}}},
      {{"overall", {{{"vi", "Ông/bà có hài lòng với dịch vụ không?"}, {"en", "Are you satisfied with the service?"}}}}}};
  return s;
}

std::vector<const SurveyCriterion*> Survey::asked(bool from_lookup) const {
  std::vector<const SurveyCriterion*> out;
  for (auto& c : criteria)
    if (from_lookup ? c.at_lookup : c.at_submission) out.push_back(&c);
  return out;
}

}  // namespace motcua
