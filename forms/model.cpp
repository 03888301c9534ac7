#include "forms/model.h"

#include <cctype>

#include <openssl/evp.h>

#include <algorithm>
#include <cstring>
#include <functional>

#include "forms/expr.h"
#include "forms/schema/messages.h"
#include "forms/text.h"

namespace motcua::forms {

using nlohmann::json;

namespace {

json::json_pointer pointer(const std::string& scope) { return json::json_pointer(scope); }

const json* find(const json& data, const std::string& scope) {
  try {
    auto p = pointer(scope);
    return data.contains(p) ? &data.at(p) : nullptr;
  } catch (const json::exception&) {
    return nullptr;
  }
}

void erase(json& data, const std::string& scope) {
  auto p = pointer(scope);
  if (p.empty() || !data.contains(p)) return;
  json& parent = data.at(p.parent_pointer());
  if (parent.is_object()) parent.erase(p.back());
  // Empty parent objects are dropped too, so a cleared group is absent rather than {}.
  std::string up = p.parent_pointer().to_string();
  if (parent.is_object() && parent.empty() && !up.empty()) erase(data, up);
}

bool under(const std::string& path, const std::string& scope) {
  return path == scope || (path.size() > scope.size() && path.compare(0, scope.size(), scope) == 0 && path[scope.size()] == '/');
}

void index_parents(const std::vector<Element>& elements, std::vector<const Element*>& chain,
                   std::map<const Element*, std::vector<const Element*>>& out, std::vector<const Rule*>& rules) {
  for (auto& e : elements) {
    out[&e] = chain;
    if (e.rule) rules.push_back(&*e.rule);
    chain.push_back(&e);
    index_parents(e.elements, chain, out, rules);
    chain.pop_back();
  }
}

}  // namespace

std::string schema_sha256(const json& schema) {
  std::string text = schema.dump();
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(text.data(), text.size(), digest, &len, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) { out += hex[digest[i] >> 4]; out += hex[digest[i] & 15]; }
  return out;
}

FormModel::FormModel(const FormPackage& form, std::string today) : form_(form), today_(std::move(today)) {
  validator_ = std::make_unique<schema::Validator>(form.schema, schema::Options{}, form.id);
  std::vector<const Rule*> rules;
  for (auto& step : form.steps) {
    if (step.rule) rules.push_back(&*step.rule);
    std::vector<const Element*> chain;
    index_parents(step.elements, chain, parents_, rules);
  }
  for (const Rule* r : rules) {
    rule_validators_.push_back(std::make_unique<schema::Validator>(r->schema, schema::Options{}, form.id + " rule"));
    rule_index_[r] = rule_validators_.back().get();
  }
  recompute();
}

const Element* FormModel::control_for(const std::string& scope) const {
  for (auto& step : form_.steps)
    for (const Element* c : step.controls)
      if (c->scope == scope) return c;
  return nullptr;
}

bool FormModel::locked(const std::string& scope) const {
  const Element* c = control_for(scope);
  return c && c->lock_prefilled && source(scope) == Source::Card && !value(scope).is_null();
}

bool FormModel::set(const std::string& scope, json v, Source src) {
  if (src == Source::Typed) {
    if (locked(scope)) return false;
    if (const Element* c = control_for(scope); c && !enabled(*c)) return false;
  }
  if (v.is_string()) v = text::nfc(v.get<std::string>());
  if (v.is_null() || v == "") {
    erase(data_, scope);
    provenance_.erase(scope);
  } else {
    data_[pointer(scope)] = std::move(v);
    provenance_[scope] = src;
  }
  recompute();
  return true;
}

json FormModel::value(const std::string& scope) const {
  const json* v = find(data_, scope);
  return v ? *v : json();
}

Source FormModel::source(const std::string& scope) const {
  auto it = provenance_.find(scope);
  return it == provenance_.end() ? Source::Typed : it->second;
}

void FormModel::prefill(const std::map<std::string, std::string>& card) {
  for (auto& step : form_.steps)
    for (const Element* c : step.controls) {
      if (c->prefill.rfind("card.", 0) != 0) continue;
      auto it = card.find(c->prefill.substr(5));
      if (it != card.end() && !it->second.empty()) set(c->scope, it->second, Source::Card);
    }
}

bool FormModel::rule_holds(const Rule& r) const {
  auto it = rule_index_.find(&r);
  return it != rule_index_.end() && it->second->valid(value(r.scope));
}

bool FormModel::element_visible(const Element& e, const std::vector<const Element*>& parents) const {
  auto shown = [&](const Element& x) {
    if (!x.rule || (x.rule->effect != "show" && x.rule->effect != "hide")) return true;
    return (x.rule->effect == "show") == rule_holds(*x.rule);
  };
  for (const Element* p : parents)
    if (!shown(*p)) return false;  // a hidden group hides everything in it
  return shown(e);
}

bool FormModel::visible(const Element& e) const {
  auto it = parents_.find(&e);
  static const std::vector<const Element*> none;
  if (!element_visible(e, it == parents_.end() ? none : it->second)) return false;
  for (size_t i = 0; i < form_.steps.size(); ++i)
    for (const Element* c : form_.steps[i].controls)
      if (c == &e) return step_visible(i);
  return true;
}

bool FormModel::enabled(const Element& e) const {
  if (!e.rule || (e.rule->effect != "enable" && e.rule->effect != "disable")) return true;
  return (e.rule->effect == "enable") == rule_holds(*e.rule);
}

bool FormModel::step_visible(size_t step) const {
  const Step& s = form_.steps.at(step);
  if (!s.rule || (s.rule->effect != "show" && s.rule->effect != "hide")) return true;
  return (s.rule->effect == "show") == rule_holds(*s.rule);
}

void FormModel::recompute() {
  // Lint guarantees no cycles; a second pass settles values that read other computed values.
  for (int pass = 0; pass < 2; ++pass)
    for (auto& c : form_.computed) {
      json v = evaluate(c.expression, [&](const std::string& p) { return value(p); }, today_);
      if (v.is_null() || v == "") {
        erase(data_, c.scope);
        provenance_.erase(c.scope);
      } else {
        data_[pointer(c.scope)] = v;
        provenance_[c.scope] = Source::Computed;
      }
    }
}

void FormModel::touch(const std::string& scope) { touched_.insert(scope); }

std::vector<FieldError> FormModel::errors(size_t step, const std::string& lang) const {
  std::vector<FieldError> out;
  if (!step_visible(step)) return out;
  // Groups the citizen has not reached yet exist as empty objects, so a missing group reports
  // its missing fields one by one instead of one "required" error for the whole group.
  json d = data();
  for (auto& s : form_.steps)
    for (const Element* c : s.controls) {
      auto parent = pointer(c->scope).parent_pointer();
      if (!d.contains(parent)) d[parent] = json::object();
    }
  std::vector<schema::ValidationError> all = validator_->validate(d);
  for (const Element* c : form_.steps.at(step).controls) {
    if (!visible(*c)) continue;
    for (auto& e : all) {
      std::string path = e.keyword == "required" ? e.instance_location + "/" + e.params.value("missing", "")
                                                 : e.instance_location;
      if (!under(path, c->scope)) continue;
      // A citizen knows the field by its label, not by the schema's property name.
      schema::ValidationError shown = e;
      if (e.keyword == "required") shown.params["missing"] = c->label.in(lang);
      FieldError fe{c->scope, e.keyword, schema::error_message(shown, lang, c->messages.is_object() ? &c->messages : nullptr)};
      // Parts of one control (an address) missing together read as one sentence, not three.
      bool repeated = std::any_of(out.begin(), out.end(), [&](const FieldError& o) { return o.scope == fe.scope && o.message == fe.message; });
      if (!repeated) out.push_back(std::move(fe));
    }
  }
  // Repeats: an error inside item N belongs to that item's field (/children/1/fullName); one on
  // the list itself (minItems) to the repeat.
  for_each_repeat(form_.steps.at(step).elements, [&](const Element& r) {
    if (!visible(r)) return;
    for (auto& e : all) {
      std::string path = e.keyword == "required" ? e.instance_location + "/" + e.params.value("missing", "")
                                                 : e.instance_location;
      if (!under(path, r.scope)) continue;
      std::string scope = r.scope;
      const Element* field = nullptr;
      std::string rest = path.substr(r.scope.size());  // "/1/fullName", or "" for the list
      size_t digits_end = rest.find('/', 1);
      if (rest.size() > 1 && std::isdigit(static_cast<unsigned char>(rest[1]))) {
        std::string item = rest.substr(0, digits_end);
        std::string inside = digits_end == std::string::npos ? "" : rest.substr(digits_end);
        for_each_control(r.elements, [&](const Element& c) {
          if (!field && !inside.empty() && under(inside, c.scope)) field = &c;
        });
        scope = r.scope + item + (field ? field->scope : "");
      }
      schema::ValidationError shown = e;
      const Element& named = field ? *field : r;
      if (e.keyword == "required") shown.params["missing"] = named.label.in(lang);
      out.push_back({scope, e.keyword, schema::error_message(shown, lang, named.messages.is_object() ? &named.messages : nullptr)});
    }
  });
  return out;
}

bool FormModel::attempt(size_t step) {
  attempted_.insert(step);
  return errors(step, "vi").empty();
}

std::vector<FieldError> FormModel::shown_errors(size_t step, const std::string& lang) const {
  std::vector<FieldError> out;
  for (auto& e : errors(step, lang))
    if (attempted_.count(step) || touched_.count(e.scope)) out.push_back(std::move(e));
  return out;
}

namespace {
void zero_strings(json& v) {
  if (v.is_string()) {
    auto& s = v.get_ref<std::string&>();
    explicit_bzero(s.data(), s.size());
  } else if (v.is_structured()) {
    for (auto& child : v) zero_strings(child);
  }
}
}  // namespace

void FormModel::wipe() {
  zero_strings(data_);
  data_ = json::object();
  provenance_.clear();
  touched_.clear();
  attempted_.clear();
}

json FormModel::data() const {
  if (!form_.clear_on_hide) return data_;
  json d = data_;
  for (size_t i = 0; i < form_.steps.size(); ++i)
    for (const Element* c : form_.steps[i].controls)
      if (!visible(*c)) erase(d, c->scope);
  return d;
}

json FormModel::dossier(const std::string& dossier_id) const {
  json d = data();
  json provenance = json::object();
  for (auto& [scope, src] : provenance_)
    if (find(d, scope)) provenance[scope] = src == Source::Card ? "card" : src == Source::Computed ? "computed" : "typed";
  return {{"formId", form_.id}, {"formVersion", form_.version}, {"schemaSha256", schema_sha256(form_.schema)},
          {"dossierId", dossier_id}, {"data", d}, {"provenance", provenance}};
}

}  // namespace motcua::forms
