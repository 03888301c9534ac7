// The satisfaction survey is data (assets/survey/*.json), not code: a province replaces the
// criteria, the levels and their wording without a rebuild. The first criterion is the overall
// rating; "ask" says whether a criterion is asked right after submitting, from a status lookup
// (after the result), or both.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "forms/package.h"

namespace motcua {

struct SurveyLevel {
  int value = 0;
  std::string face;  // happy, neutral, sad: the picture on the button
  forms::LocalText label;
};

struct SurveyCriterion {
  std::string id;
  forms::LocalText title;
  bool at_submission = true, at_lookup = true;
};

struct Survey {
  std::string id, version;
  std::vector<SurveyLevel> levels;
  std::vector<SurveyCriterion> criteria;

  // Throws InputError naming the file and the entry; every locale in `locales` must have every text.
  // Bounded (docs/limits.md): level values from -100 to 100, at most 20 criteria, ids up to 64
  // bytes, texts up to 1000.
  static Survey load(const std::string& path, const std::vector<std::string>& locales);
  // The same from a parsed document; `where` names it in messages.
  static Survey parse(const nlohmann::json& doc, const std::string& where, const std::vector<std::string>& locales);
  // The overall question alone on the three standard levels: what a kiosk asks with no survey file.
  static const Survey& builtin();
  // The criteria asked in this situation, in order.
  std::vector<const SurveyCriterion*> asked(bool from_lookup) const;
};

}  // namespace motcua
