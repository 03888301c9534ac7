// One validation for kiosk and portal: submitted data checked against its whole form package,
// not only the schema. The rules are evaluated again (no answer in a field they hide), computed
// values recomputed (a forged age or fee is refused), the cross-field checks run, then the schema. No UI.
#pragma once
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "forms/package.h"
#include "forms/schema/validator.h"

namespace motcua::forms {

// The data cannot be checked against this package at all (another form, another version,
// another schema, an expression that does not parse): what() says why.
struct DossierMismatch : std::runtime_error { using std::runtime_error::runtime_error; };

struct DossierError {
  std::string instance_location, keyword_location, keyword;  // keyword: a schema keyword, "hidden", "computed", "dateRange" or "check"
  nlohmann::json params;
  std::string message;
};

// True when `doc` is a form package ({"meta", "schema", "ui"}) rather than a bare JSON Schema.
bool looks_like_package(const nlohmann::json& doc);

// `instance`: the dossier the kiosk submits ({"formId", "formVersion", "schemaSha256", "data", ...})
// or its bare data. `today` (YYYY-MM-DD) is the date ages are computed at.
std::vector<DossierError> check_dossier(const FormPackage& form, const nlohmann::json& instance, const std::string& today,
                                        const std::string& lang, const schema::Options& options = {});

}  // namespace motcua::forms
