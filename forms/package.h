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
  LocalText item_label;  // repeat: one item's name as it reads mid-sentence ("thành viên"), optional
  std::string widget;  // control: widget hint; "text" when absent
  LocalText unit;      // a shown number's unit ("tuổi"); money shows "đ" by itself
  std::string date_min, date_max, date_start;  // date: "min", "max", "start" (forms/dates.h)
  std::vector<Option> options;
  nlohmann::json messages;  // per-keyword error texts: {"minLength": {"vi": ..., "en": ...}}
  std::string prefill;      // card field binding such as "card.fullName"
  bool lock_prefilled = false;
  // The card fills the control only while this holds (a parent's block when the requester is
  // that parent); effect "prefillWhen". Without it the card always fills.
  std::optional<Rule> prefill_when;
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

// A paper the dossier needs beside the declaration (meta.documents): the hospital's birth
// certificate, a divorce decision. Shown to the citizen before and at review; lint checks it.
struct Document {
  std::string id, where;
  LocalText name;
  bool required = true;              // false: bring it if it applies
  int max_pages = 1;                 // at most this many pages scanned or handed in
  bool original_at_counter = false;  // the original must still be shown at the counter
};

// The filled declaration on A4 (the package's "print" section, docs/forms.md §print). An empty
// text means the kiosk's own wording (locales/*.json "declaration.*").
struct PrintField {
  std::string scope, where;  // a control's or repeat's scope, or any dossier value with a label
  LocalText label;           // empty: the control's (or repeat's) label
};
struct PrintSection {
  LocalText heading;
  std::vector<PrintField> fields;
  bool answered_only = false;  // unanswered fields left out, not dotted for the pen (a father not declared)
};
struct PrintLayout {
  std::vector<LocalText> header;  // centred bold lines over the title (the national motto by default)
  std::vector<LocalText> title;   // centred bold lines, the first larger
  LocalText recipient;            // "Kính gửi: ..."; none when empty
  std::vector<PrintSection> sections;
  LocalText pledge;               // the sentence above the signature
  LocalText signer, signer_note;  // "Người yêu cầu", "(Ký, ghi rõ họ tên)"
  std::string signer_name;        // scope of the name printed under the signature, or ""
  bool fill_blanks = true;        // false (the default layout): unanswered fields are left out
};

struct FormPackage {
  std::string id, version, procedure_code, category;
  LocalText title, agency;
  LocalText purpose;  // meta.purpose: what the procedure is for, in a sentence, on its page
  int processing_days = 0;
  std::vector<std::string> locales;
  nlohmann::json fees, required_documents;
  std::vector<Document> documents;
  // meta.synonyms: everyday names people search by ("giấy độc thân"), NFC, every language's
  // together (search matches any language); lint checks them per language.
  std::vector<std::string> synonyms;
  nlohmann::json schema;
  std::vector<Step> steps;
  std::vector<Computed> computed;
  std::vector<Check> checks;
  std::optional<PrintLayout> print;  // the package's own; print_layout() gives a default
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

// The package's print layout, or the default: the motto, the title in capitals, the agency as
// recipient, one section per step (its title, its controls and repeats in order; only answered
// ones are printed), the declarant's signature.
PrintLayout print_layout(const FormPackage& form);

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
