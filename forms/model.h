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

  // Fills every control bound with "prefill": "card.<field>" from the card's fields.
  void prefill(const std::map<std::string, std::string>& card);

  bool visible(const Element& e) const;
  bool enabled(const Element& e) const;
  bool step_visible(size_t step) const;

  void touch(const std::string& scope);
  // The citizen pressed Next on this step: from now on its errors show. True when it has none.
  bool attempt(size_t step);
  std::vector<FieldError> errors(size_t step, const std::string& lang) const;        // every error
  std::vector<FieldError> shown_errors(size_t step, const std::string& lang) const;  // touched or attempted

  nlohmann::json data() const;  // what would be submitted: hidden fields dropped
  // {formId, formVersion, schemaSha256, dossierId, data, provenance}
  nlohmann::json dossier(const std::string& dossier_id) const;

  const FormPackage& form() const { return form_; }
  // Zeroes every answer the model holds (strings overwritten before they are freed).
  void wipe();

 private:
  void recompute();
  bool rule_holds(const Rule& r) const;
  bool element_visible(const Element& e, const std::vector<const Element*>& parents) const;
  const Element* control_for(const std::string& scope) const;

  const FormPackage& form_;
  std::string today_;
  std::unique_ptr<schema::Validator> validator_;
  std::vector<std::unique_ptr<schema::Validator>> rule_validators_;
  std::map<const Rule*, const schema::Validator*> rule_index_;
  std::map<const Element*, std::vector<const Element*>> parents_;
  nlohmann::json data_ = nlohmann::json::object();
  std::map<std::string, Source> provenance_;
  std::set<std::string> touched_;
  std::set<size_t> attempted_;
};

// SHA-256 of the schema's canonical JSON text, in hex: identifies the exact schema a dossier used.
std::string schema_sha256(const nlohmann::json& schema);

}  // namespace motcua::forms
