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

// What the package is linted against beyond itself: the catalog's category ids (empty: not
// checked) and the languages the kiosk offers (a package without one of them: a warning).
struct LintContext {
  std::vector<std::string> categories;
  std::vector<std::string> kiosk_languages;
};

// package_schema: assets/schemas/form-package.schema.json.
std::vector<LintIssue> lint_package(const nlohmann::json& package, const nlohmann::json& package_schema,
                                    const LintContext& context = {});

// "Did you mean": the candidate nearest to `word` by edit distance (Levenshtein), when it is near
// enough to be a slip (at most a third of the word, and at most 3 edits); "" otherwise.
std::string nearest(const std::string& word, const std::vector<std::string>& candidates);

// The placeholders an error message may use for a schema keyword ({limit} for minLength...);
// nothing when the keyword is not one whose message a form can give.
const std::vector<std::string>* message_placeholders(const std::string& keyword);

}  // namespace motcua::forms
