// Computed values: a small JSON-encoded expression language (docs/forms.md §Expressions).
// Sandboxed by construction: no loops, no functions of the author's, no I/O; depth and size bounded.
//   literal              "text", 12, true, null
//   {"var": "/child/dateOfBirth"}                   a value of the dossier (null when empty)
//   {"+": [a, b, ...]}  {"-": [a, b]}  {"*": [...]}  {"/": [a, b]}  {"round": [a, digits]}
//   {"==": [a, b]} != < <= > >=   {"and": [...]} {"or": [...]} {"not": a}   {"if": [cond, then, else]}
//   {"concat": [a, b, ...]}  {"coalesce": [a, b, ...]}  {"age": date} or {"age": [date, on]}  (whole
//   years until today, or until `on`)   {"count": list} (items; 0 when unanswered)
//   {"meta": "/fees/0/amount"}                      a value of the package's meta (null when absent)
#pragma once
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace motcua::forms {

struct ExprError : std::runtime_error { using std::runtime_error::runtime_error; };

// Checks the expression's shape and lists the dossier pointers it reads (not the meta ones). Throws ExprError
// naming the JSON pointer (below `where`) of the first fault.
std::vector<std::string> expression_inputs(const nlohmann::json& expr, const std::string& where = "");

// What the expression needs of one dossier value it reads, so that a form whose arithmetic or
// "age" reads a text field is refused when it is loaded, never at a citizen's tap.
struct ExprInput {
  std::string pointer;  // the dossier value ({"var": ...})
  std::string needs;    // "number" (arithmetic, round), "date" (age) or "" (anything)
  std::string where;    // JSON pointer of the {"var": ...} in the package
  bool meta = false;    // {"meta": ...}: `pointer` is into the package's meta, not the dossier
};
std::vector<ExprInput> expression_needs(const nlohmann::json& expr, const std::string& where = "");

// Computed values of a package that could fail at a citizen's tap: arithmetic over a field the
// schema does not type as a number, "age" over one it does not type as a date. Malformed
// expressions are not listed (expression_inputs throws on them). load_package refuses a package
// with any (kiosk start), and lint reports each. Defined in package.cpp, beside the schema lookup.
struct FormPackage;
struct ExprProblem {
  std::string pointer, message;
};
std::vector<ExprProblem> expression_type_problems(const FormPackage& form);

// Evaluates a checked expression. Type mismatches and division by zero give null, never throw.
// `meta`: the package's meta object, read by {"meta": ...} (null without it).
nlohmann::json evaluate(const nlohmann::json& expr, const std::function<nlohmann::json(const std::string&)>& var,
                        const std::string& today /* YYYY-MM-DD */, const nlohmann::json* meta = nullptr);

}  // namespace motcua::forms
