// A form package: meta (what procedure), schema (the dossier data), ui (the steps).
// This header covers what the kiosk shell needs to list and step through a form;
// validation, rules and computed values live beside it in forms/.
#pragma once
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace motcua::forms {

// Text per language code; lookup falls back to Vietnamese, then to any entry.
struct LocalText {
  std::map<std::string, std::string> by_lang;
  const std::string& in(const std::string& lang) const;
};

struct Control {
  std::string scope;   // JSON pointer into the dossier data, e.g. "/child/fullName"
  LocalText label;
  std::string widget;  // widget hint; "text" when absent
};

struct Step {
  std::string id;
  LocalText title;
  std::vector<Control> controls;
};

struct FormPackage {
  std::string id, version, procedure_code, category;
  LocalText title;
  int processing_days = 0;
  std::vector<Step> steps;
  nlohmann::json schema;
};

// Unusable package: what() names the file and the JSON pointer at fault.
struct PackageError : std::runtime_error { using std::runtime_error::runtime_error; };

FormPackage parse_package(const nlohmann::json& doc, const std::string& origin);
FormPackage load_package(const std::string& path);

}  // namespace motcua::forms
