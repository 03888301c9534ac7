#include "terminal/core/survey.h"

#include <set>

#include "forms/text.h"
#include "terminal/core/input.h"

namespace motcua {

namespace {

forms::LocalText local_text(const nlohmann::json& v, const std::string& where, const std::vector<std::string>& locales) {
  if (!v.is_object()) throw InputError(where + ": expected {\"vi\": ..., \"en\": ...}");
  forms::LocalText t;
  for (auto& [lang, s] : v.items()) {
    if (!s.is_string() || s.get<std::string>().empty()) throw InputError(where + "." + lang + ": expected a text");
    t.by_lang[lang] = text::nfc(s.get<std::string>());
  }
  for (auto& l : locales)
    if (!t.by_lang.count(l)) throw InputError(where + ": no text for locale \"" + l + "\"");
  return t;
}

}  // namespace

Survey Survey::load(const std::string& path, const std::vector<std::string>& locales) {
  nlohmann::json doc = read_json_file(path);
  Survey s;
  if (!doc.is_object() || !doc.value("id", nlohmann::json()).is_string() || !doc.value("version", nlohmann::json()).is_string())
    throw InputError(path + ": expected {\"id\": ..., \"version\": ..., \"levels\": [...], \"criteria\": [...]}");
  s.id = doc["id"];
  s.version = doc["version"];
  if (!doc.contains("levels") || !doc["levels"].is_array() || doc["levels"].size() < 2 || doc["levels"].size() > 5)
    throw InputError(path + ": levels: expected 2 to 5 levels");
  std::set<int> values;
  for (size_t i = 0; i < doc["levels"].size(); ++i) {
    auto& l = doc["levels"][i];
    std::string where = path + ": levels[" + std::to_string(i) + "]";
    SurveyLevel level;
    if (!l.value("value", nlohmann::json()).is_number_integer() || !values.insert(l["value"].get<int>()).second)
      throw InputError(where + ".value: expected a whole number, different for each level");
    level.value = l["value"];
    level.face = l.value("face", "neutral");
    if (level.face != "happy" && level.face != "neutral" && level.face != "sad")
      throw InputError(where + ".face: expected happy, neutral or sad");
    level.label = local_text(l.value("label", nlohmann::json()), where + ".label", locales);
    s.levels.push_back(std::move(level));
  }
  if (!doc.contains("criteria") || !doc["criteria"].is_array() || doc["criteria"].empty())
    throw InputError(path + ": criteria: expected at least the overall rating");
  std::set<std::string> ids;
  for (size_t i = 0; i < doc["criteria"].size(); ++i) {
    auto& c = doc["criteria"][i];
    std::string where = path + ": criteria[" + std::to_string(i) + "]";
    SurveyCriterion crit;
    if (!c.value("id", nlohmann::json()).is_string() || !ids.insert(c["id"].get<std::string>()).second)
      throw InputError(where + ".id: expected a text, different for each criterion");
    crit.id = c["id"];
    crit.title = local_text(c.value("title", nlohmann::json()), where + ".title", locales);
    if (c.contains("ask")) {
      crit.at_submission = crit.at_lookup = false;
      for (auto& a : c["ask"]) {
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
  static const Survey s = [] {
    Survey b;
    b.id = "builtin";
    b.version = "1";
    b.levels = {{1, "happy", {{{"vi", "Rất hài lòng"}, {"en", "Very satisfied"}}}},
                {2, "neutral", {{{"vi", "Hài lòng"}, {"en", "Satisfied"}}}},
                {3, "sad", {{{"vi", "Không hài lòng"}, {"en", "Dissatisfied"}}}}};
    b.criteria = {{"overall", {{{"vi", "Ông/bà có hài lòng với dịch vụ không?"}, {"en", "Are you satisfied with the service?"}}}}};
    return b;
  }();
  return s;
}

std::vector<const SurveyCriterion*> Survey::asked(bool from_lookup) const {
  std::vector<const SurveyCriterion*> out;
  for (auto& c : criteria)
    if (from_lookup ? c.at_lookup : c.at_submission) out.push_back(&c);
  return out;
}

}  // namespace motcua
