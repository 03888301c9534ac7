// The 60-field dossier of bench/dossier.h as a kiosk form package ("form-60"), for the startup
// benchmark: all 60 questions on its first step (six groups of ten, as the web kiosk shows the
// same schema on one page). Two values the kiosk has no widget for are asked as choices: the
// consent box (a boolean) as a one-option radio, the timestamp as text.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "bench/dossier.h"

namespace motcua::bench {

inline nlohmann::json form60_package() {
  using nlohmann::json;
  json schema = dossier_schema("https://json-schema.org/draft/2020-12/schema");
  schema["properties"]["request"]["properties"]["consent"] = {{"type", "string"}, {"enum", {"Đồng ý"}}};
  schema["properties"]["request"]["properties"]["submittedAt"] = {{"type", "string"}, {"maxLength", 40}};
  json groups = json::array();
  for (auto& [group, g] : schema["properties"].items()) {
    json elements = json::array();
    for (auto& [field, f] : g["properties"].items()) {
      json control = {{"type", "control"}, {"scope", "/" + group + "/" + field}, {"label", {{"vi", field}, {"en", field}}}};
      std::string type = f.value("type", "string");
      if (f.contains("enum")) control["widget"] = "radio";
      else if (type == "integer" || type == "number") control["widget"] = "number";
      else if (field == "idNumber") control["widget"] = "id-number";
      else if (field == "phone") control["widget"] = "phone";
      elements.push_back(control);
    }
    groups.push_back({{"type", "group"}, {"label", {{"vi", group}, {"en", group}}}, {"elements", elements}});
  }
  return {{"meta", {{"id", "form-60"}, {"version", "1.0.0"}, {"procedureCode", "0.000060"}, {"category", "ho_tich"},
                    {"title", {{"vi", "Biểu mẫu 60 trường"}, {"en", "60-field form"}}}, {"processingDays", 1},
                    {"locales", {"vi", "en"}}}},
          {"schema", schema},
          {"ui", {{"steps", {{{"id", "all"}, {"title", {{"vi", "Tờ khai"}, {"en", "Declaration"}}}, {"elements", groups}}}}}}};
}

}  // namespace motcua::bench
