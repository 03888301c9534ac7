// Checks a form package before it reaches a kiosk: its shape (against the package schema),
// that every scope, rule and expression points at real fields, no computed-value cycles,
// every required field on some step, texts in every declared language, widgets that fit types.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace motcua::forms {

struct LintIssue {
  bool error = true;    // false: warning
  std::string pointer;  // JSON pointer into the package
  std::string message;
};

// package_schema: assets/schemas/form-package.schema.json.
std::vector<LintIssue> lint_package(const nlohmann::json& package, const nlohmann::json& package_schema);

}  // namespace motcua::forms
