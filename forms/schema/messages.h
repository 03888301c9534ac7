// Validation errors as sentences for citizens, in Vietnamese or English.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "forms/schema/validator.h"

namespace motcua::schema {

// The message for error in lang ("vi" or "en"; anything else falls back to "vi").
// field_messages, when given, is a form's per-field override: {"minLength": {"vi": "...", "en": "..."}}
// or a plain string per keyword; {limit}, {pattern}, {missing}... are filled from the error's params.
std::string error_message(const ValidationError& error, const std::string& lang,
                          const nlohmann::json* field_messages = nullptr);

// A required answer picked from options (radio, list, checkboxes) that is missing: "chọn", not "điền".
std::string choice_required_message(const ValidationError& error, const std::string& lang);

// Said after the first error of an optional answer typed wrong: it may also be left out.
std::string optional_hint(const std::string& lang);

}  // namespace motcua::schema
