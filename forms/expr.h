// Computed values: a small JSON-encoded expression language (docs/forms.md §Expressions).
// Sandboxed by construction: no loops, no functions of the author's, no I/O; depth and size bounded.
//   literal              "text", 12, true, null
//   {"var": "/child/dateOfBirth"}                   a value of the dossier (null when empty)
//   {"+": [a, b, ...]}  {"-": [a, b]}  {"*": [...]}  {"/": [a, b]}  {"round": [a, digits]}
//   {"==": [a, b]} != < <= > >=   {"and": [...]} {"or": [...]} {"not": a}   {"if": [cond, then, else]}
//   {"concat": [a, b, ...]}  {"coalesce": [a, b, ...]}  {"age": date}  (whole years until today)
#pragma once
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace motcua::forms {

struct ExprError : std::runtime_error { using std::runtime_error::runtime_error; };

// Checks the expression's shape and lists the dossier pointers it reads. Throws ExprError
// naming the JSON pointer (below `where`) of the first fault.
std::vector<std::string> expression_inputs(const nlohmann::json& expr, const std::string& where = "");

// Evaluates a checked expression. Type mismatches and division by zero give null, never throw.
nlohmann::json evaluate(const nlohmann::json& expr, const std::function<nlohmann::json(const std::string&)>& var,
                        const std::string& today /* YYYY-MM-DD */);

}  // namespace motcua::forms
