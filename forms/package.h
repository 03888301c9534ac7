// A form package: meta (what procedure), schema (the dossier data, JSON Schema 2020-12),
// ui (steps of elements, rules, computed values). Format: docs/forms.md and
// assets/schemas/form-package.schema.json.
#pragma once
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace motcua::forms {

// Text per language code; lookup falls back to Vietnamese, then to any entry.
struct LocalText {
  std::map<std::string, std::string> by_lang;
  const std::string& in(const std::string& lang) const;
  bool empty() const { return by_lang.empty(); }
};

// Show/hide/enable/disable an element or step when the value at `scope` satisfies `schema`.
// An unanswered field is null. Inside a repeat, "./field" is the same item's field.
struct Rule {
  std::string effect;  // show, hide, enable, disable
  std::string scope;   // a JSON pointer, or "./field" relative to the repeat item
  nlohmann::json schema;
};

struct Option {
  nlohmann::json value;
  LocalText label;
};

struct Element {
  enum class Kind { Control, Group, Repeat, Note } kind = Kind::Control;
  std::string where;  // JSON pointer of the element in the package, for lint and messages
  std::string scope;  // control and repeat: JSON pointer into the dossier data
  LocalText label, hint, help, example, text;
  std::string widget;  // control: widget hint; "text" when absent
  LocalText unit;      // a shown number's unit ("tuổi"); money shows "đ" by itself
  std::string date_min, date_max, date_start;  // date: "min", "max", "start" (forms/dates.h)
  std::vector<Option> options;
  nlohmann::json messages;  // per-keyword error texts: {"minLength": {"vi": ..., "en": ...}}
  std::string prefill;      // card field binding such as "card.fullName"
  bool lock_prefilled = false;
  std::optional<Rule> rule;
  std::vector<Element> elements;  // group and repeat children
};

struct Step {
  std::string id, where;
  LocalText title;
  std::vector<Element> elements;
  std::optional<Rule> rule;
  std::vector<const Element*> controls;  // every control in the step, groups flattened (repeats not)
};

struct Computed {
  std::string scope, where;
  nlohmann::json expression;
  nlohmann::json messages;  // per-keyword error texts, shown under the fields it reads
};

// A cross-field check (docs/forms.md §Checks): holds unless `expression` gives false. Not
// evaluated while a field it names is unanswered or hidden (the field's own errors speak then).
// Its message stands under every named field a step shows.
struct Check {
  std::string id, where;
  nlohmann::json expression;
  std::vector<std::string> fields;  // "fields", else every dossier value the expression reads
  LocalText message;
};

struct FormPackage {
  std::string id, version, procedure_code, category;
  LocalText title, agency;
  int processing_days = 0;
  std::vector<std::string> locales;
  nlohmann::json fees, required_documents;
  nlohmann::json schema;
  std::vector<Step> steps;
  std::vector<Computed> computed;
  std::vector<Check> checks;
  nlohmann::json meta;  // the package's meta as written, read by {"meta": ...} in expressions
  bool clear_on_hide = true;

  FormPackage() = default;
  FormPackage(const FormPackage& o) { *this = o; }
  FormPackage& operator=(const FormPackage& o);  // re-points Step::controls into the copy
  FormPackage(FormPackage&&) = default;
  FormPackage& operator=(FormPackage&&) = default;
};

// Walk a step's elements, looking into groups (not into repeats, whose children are relative).
template <class F>
void for_each_repeat(const std::vector<Element>& elements, F&& f) {
  for (const Element& e : elements) {
    if (e.kind == Element::Kind::Repeat) f(e);
    else if (e.kind == Element::Kind::Group) for_each_repeat(e.elements, f);
  }
}
template <class F>
void for_each_control(const std::vector<Element>& elements, F&& f) {
  for (const Element& e : elements) {
    if (e.kind == Element::Kind::Control) f(e);
    else if (e.kind == Element::Kind::Group) for_each_control(e.elements, f);
  }
}

// What a choice widget offers: the control's options, else the schema's enum at its scope
// (labelled by the values themselves). `scope` may carry repeat indexes (/children/0/sex).
std::vector<Option> choices(const FormPackage& form, const Element& control, const std::string& scope);

// The schema describing the data at `scope` (properties for names, items for indexes; no $ref);
// nullptr when the schema does not say.
const nlohmann::json* schema_at_scope(const FormPackage& form, const std::string& scope);

// The parts of an "address" control the schema declares, in this order: province, provinceCode,
// commune, communeCode, street. The kiosk fills only these (names and the official codes from
// assets/places/, the street as typed).
std::vector<std::string> address_parts(const FormPackage& form, const std::string& scope);

// The schema's "default" of every control outside repeats (a string for a text or choice widget,
// a number for "number" and "money"): what the kiosk fills in when the form starts, before the
// card or the citizen; both may change it. Other defaults are not a control's to show.
std::vector<std::pair<std::string, nlohmann::json>> default_values(const FormPackage& form);

// Every card field a form may bind with "prefill": "card.<name>".
const std::vector<std::string>& card_fields();

// Unusable package: what() names the file and the JSON pointer at fault.
struct PackageError : std::runtime_error { using std::runtime_error::runtime_error; };

// What would fail at a citizen's tap rather than at kiosk start: the dossier schema or a rule's
// condition schema that does not compile, a malformed computed or check expression, arithmetic
// over a text field. Empty when the package is usable; load_package refuses on the first.
struct PackageProblem {
  std::string pointer, message;
};
std::vector<PackageProblem> unusable_parts(const FormPackage& form);

FormPackage parse_package(const nlohmann::json& doc, const std::string& origin);
FormPackage load_package(const std::string& path);

}  // namespace motcua::forms
