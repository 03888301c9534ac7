// One citizen's answers to one form: values with their provenance, rules (visibility and
// enablement), computed values, per-step validation and the dossier to submit. No UI.
// Rules: computed values are recalculated on every change; errors show only for fields the
// citizen touched or on a step they tried to leave, never on load; hidden data is not submitted
// (clearOnHide); a field prefilled from the card and locked cannot be overwritten by typing.
#pragma once
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "forms/package.h"
#include "forms/schema/validator.h"

namespace motcua::forms {

enum class Source { Typed, Card, Computed };

struct FieldError {
  std::string scope;    // the control's JSON pointer
  std::string keyword;  // minLength, required, pattern...
  std::string message;  // in the requested language, with the form's per-field override
};

// An element as the citizen sees it on a step. `item` is the repeat item it sits in
// ("/previousMarriages/1"; "" outside repeats): a control's answer is at item + scope.
struct ShownElement {
  const Element* element;
  std::string item;
  bool enabled;
};

class FormModel {
 public:
  // today (YYYY-MM-DD) feeds the "age" operator of computed values.
  FormModel(const FormPackage& form, std::string today);

  // Sets a value (strings are NFC-normalised; empty string or null clears it). Returns false,
  // changing nothing, when typing over a locked card value or into a disabled control.
  bool set(const std::string& scope, nlohmann::json value, Source source = Source::Typed);
  nlohmann::json value(const std::string& scope) const;  // null when empty
  Source source(const std::string& scope) const;
  bool locked(const std::string& scope) const;

  // Fills every control bound with "prefill": "card.<field>" from the card's fields, those with
  // a "prefillWhen" only while it holds.
  void prefill(const std::map<std::string, std::string>& card);
  bool prefill_applies(const Element& control) const;  // its prefillWhen holds, or it has none

  // Rules of the element, of the groups and repeats around it and of its step. `item`: the
  // repeat item the element sits in, for rules naming "./field" (empty outside repeats).
  bool visible(const Element& e, const std::string& item = "") const;
  bool enabled(const Element& e, const std::string& item = "") const;  // a disabled group disables what it holds
  bool step_visible(size_t step) const;  // the step's own rule only
  // What the step shows, in drawing order, repeat items expanded from the answers; empty when
  // the step's rule hides it or every element on it is hidden (the step is skipped).
  std::vector<ShownElement> shown(size_t step) const;
  bool step_applies(size_t step) const { return !shown(step).empty(); }
  bool is_computed(const std::string& scope) const;  // a value the form computes: shown, never typed

  void touch(const std::string& scope);
  // The citizen pressed Next on this step: from now on its errors show. True when it has none.
  bool attempt(size_t step);
  std::vector<FieldError> errors(size_t step, const std::string& lang) const;        // every error
  std::vector<FieldError> shown_errors(size_t step, const std::string& lang) const;  // touched or attempted
  // Dates the step shows outside their control's bounds (forms/dates.h), keyword "dateRange".
  std::vector<FieldError> date_errors(size_t step, const std::string& lang) const;
  // E-mail addresses and times the step shows that are not one (forms/widget_values.h), keyword
  // "format": asserted here whatever the validator's format setting, as the portal's check does.
  std::vector<FieldError> format_errors(size_t step, const std::string& lang) const;
  // The package's cross-field checks (docs/forms.md §Checks) failing on the answers as they
  // would be submitted, hidden ones dropped; a check naming an unanswered field waits.
  std::vector<const Check*> failing_checks() const;
  // Their messages under each named field (or repeat) the step shows, keyword "check".
  std::vector<FieldError> check_errors(size_t step, const std::string& lang) const;

  nlohmann::json data() const;  // what would be submitted: hidden fields dropped
  const nlohmann::json& values() const { return data_; }  // every value held, hidden ones included
  // {formId, formVersion, schemaSha256, dossierId, data, provenance}
  nlohmann::json dossier(const std::string& dossier_id) const;

  const FormPackage& form() const { return form_; }
  // Zeroes every answer the model holds (strings overwritten before they are freed).
  void wipe();

 private:
  void recompute();
  bool rule_holds(const Rule& r, const std::string& item) const;
  // The element's chain (enclosing groups and repeats, then itself) with the item each sits in.
  std::vector<std::pair<const Element*, std::string>> chain(const Element& e, const std::string& item) const;
  const Element* control_for(const std::string& scope) const;

  const FormPackage& form_;
  std::string today_;
  std::unique_ptr<schema::Validator> validator_;
  std::vector<std::unique_ptr<schema::Validator>> rule_validators_;
  std::map<const Rule*, const schema::Validator*> rule_index_;
  std::map<const Element*, std::vector<const Element*>> parents_;
  std::map<const Element*, size_t> step_of_;
  nlohmann::json data_ = nlohmann::json::object();
  std::map<std::string, Source> provenance_;
  std::set<std::string> touched_;
  std::set<size_t> attempted_;
};

// SHA-256 of the schema's canonical JSON text, in hex: identifies the exact schema a dossier used.
std::string schema_sha256(const nlohmann::json& schema);

}  // namespace motcua::forms
