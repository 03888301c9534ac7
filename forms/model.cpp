#include "forms/model.h"

#include <cctype>

#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>
#include <set>

#include "forms/dates.h"
#include "forms/expr.h"
#include "forms/schema/messages.h"
#include "forms/text.h"
#include "forms/widget_values.h"

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

// Answers the citizen types (and can clear with the keyboard), not picks, dates or ticks.
bool typed_answer(const Element& c) {
  static const std::set<std::string> picked = {"value", "date", "radio", "dropdown", "searchable-list", "address",
                                               "checkboxes", "signature", "time", "yes-no"};
  return c.kind == Element::Kind::Control && !picked.count(c.widget);
}

// An error in the citizen's words: the form's own message for the keyword when it has one.
std::string message_for(const Element& c, const schema::ValidationError& e, const std::string& lang) {
  static const std::set<std::string> choices = {"radio", "dropdown", "searchable-list", "checkboxes"};
  bool own = c.messages.is_object() && c.messages.contains(e.keyword);
  if (e.keyword == "required" && !own && c.kind == Element::Kind::Control && choices.count(c.widget))
    return schema::choice_required_message(e, lang);
  return schema::error_message(e, lang, c.messages.is_object() ? &c.messages : nullptr);
}

bool under(const std::string& path, const std::string& scope) {
  return path == scope || (path.size() > scope.size() && path.compare(0, scope.size(), scope) == 0 && path[scope.size()] == '/');
}

void index_parents(const std::vector<Element>& elements, std::vector<const Element*>& chain,
                   std::map<const Element*, std::vector<const Element*>>& out, std::vector<const Rule*>& rules) {
  for (auto& e : elements) {
    out[&e] = chain;
    if (e.rule) rules.push_back(&*e.rule);
    if (e.prefill_when) rules.push_back(&*e.prefill_when);
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
    std::map<const Element*, std::vector<const Element*>> in_step;
    index_parents(step.elements, chain, in_step, rules);
    for (auto& [e, parents] : in_step) {
      step_of_[e] = static_cast<size_t>(&step - form.steps.data());
      parents_[e] = parents;
    }
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
      if (c->prefill.rfind("card.", 0) != 0 || !prefill_applies(*c)) continue;
      auto it = card.find(c->prefill.substr(5));
      if (it != card.end() && !it->second.empty()) set(c->scope, it->second, Source::Card);
    }
}

bool FormModel::prefill_applies(const Element& c) const { return !c.prefill_when || rule_holds(*c.prefill_when, ""); }

bool FormModel::rule_holds(const Rule& r, const std::string& item) const {
  auto it = rule_index_.find(&r);
  // "./field" reads the same repeat item; an unanswered field is null.
  std::string scope = r.scope.rfind("./", 0) == 0 ? item + r.scope.substr(1) : r.scope;
  return it != rule_index_.end() && it->second->valid(value(scope));
}

std::vector<std::pair<const Element*, std::string>> FormModel::chain(const Element& e, const std::string& item) const {
  std::vector<std::pair<const Element*, std::string>> out;
  auto it = parents_.find(&e);
  std::string at;
  if (it != parents_.end())
    for (const Element* p : it->second) {
      out.push_back({p, at});
      if (p->kind != Element::Kind::Repeat) continue;
      // Into the repeat's item that `item` names ("/list/2/..."); an unknown item reads nothing.
      std::string base = at + p->scope + "/";
      if (item.compare(0, base.size(), base) == 0) {
        size_t end = item.find('/', base.size());
        at = item.substr(0, end);
      } else {
        at = base + "-";
      }
    }
  out.push_back({&e, at});
  return out;
}

bool FormModel::visible(const Element& e, const std::string& item) const {
  for (auto& [x, at] : chain(e, item))  // a hidden group or repeat hides everything in it
    if (x->rule && (x->rule->effect == "show" || x->rule->effect == "hide") &&
        (x->rule->effect == "show") != rule_holds(*x->rule, at))
      return false;
  auto step = step_of_.find(&e);
  return step == step_of_.end() || step_visible(step->second);
}

bool FormModel::enabled(const Element& e, const std::string& item) const {
  for (auto& [x, at] : chain(e, item))
    if (x->rule && (x->rule->effect == "enable" || x->rule->effect == "disable") &&
        (x->rule->effect == "enable") != rule_holds(*x->rule, at))
      return false;
  return true;
}

bool FormModel::step_visible(size_t step) const {
  const Step& s = form_.steps.at(step);
  if (!s.rule || (s.rule->effect != "show" && s.rule->effect != "hide")) return true;
  return (s.rule->effect == "show") == rule_holds(*s.rule, "");
}

std::vector<ShownElement> FormModel::shown(size_t step) const {
  std::vector<ShownElement> out;
  if (!step_visible(step)) return out;
  std::function<void(const std::vector<Element>&, const std::string&)> walk = [&](const std::vector<Element>& els,
                                                                                   const std::string& item) {
    for (const Element& e : els) {
      if (!visible(e, item)) continue;
      out.push_back({&e, item, enabled(e, item)});
      if (e.kind == Element::Kind::Group) walk(e.elements, item);
      if (e.kind == Element::Kind::Repeat) {
        json list = value(item + e.scope);
        size_t n = list.is_array() ? list.size() : 0;
        for (size_t i = 0; i < n; ++i) walk(e.elements, item + e.scope + "/" + std::to_string(i));
      }
    }
  };
  walk(form_.steps.at(step).elements, "");
  return out;
}

bool FormModel::is_computed(const std::string& scope) const {
  return std::any_of(form_.computed.begin(), form_.computed.end(), [&](const Computed& c) { return c.scope == scope; });
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
  auto path_of = [](const schema::ValidationError& e) {
    return e.keyword == "required" ? e.instance_location + "/" + e.params.value("missing", "") : e.instance_location;
  };
  // A computed value's error stands under the fields it reads that this step shows (an age too
  // low under the date of birth); only without them under a control showing the value.
  std::map<std::string, std::vector<const Element*>> readers;
  for (auto& c : form_.computed) {
    std::vector<std::string> inputs;
    try { inputs = expression_inputs(c.expression); } catch (const ExprError&) {}
    for (const Element* x : form_.steps.at(step).controls)
      if (visible(*x) && !is_computed(x->scope) && std::find(inputs.begin(), inputs.end(), x->scope) != inputs.end())
        readers[c.scope].push_back(x);
    for (auto& e : all) {
      if (!under(path_of(e), c.scope)) continue;
      for (const Element* x : readers[c.scope]) {
        schema::ValidationError shown = e;
        if (e.keyword == "required") shown.params.set("missing", x->label.in(lang));
        FieldError fe{x->scope, e.keyword, schema::error_message(shown, lang, c.messages.is_object() ? &c.messages : nullptr)};
        bool repeated = std::any_of(out.begin(), out.end(), [&](const FieldError& o) { return o.scope == fe.scope && o.message == fe.message; });
        if (!repeated) out.push_back(std::move(fe));
      }
    }
  }
  for (const Element* c : form_.steps.at(step).controls) {
    if (!visible(*c)) continue;
    if (!readers[c->scope].empty()) continue;  // its errors stand under the fields it reads
    for (auto& e : all) {
      std::string path = e.keyword == "required" ? e.instance_location + "/" + e.params.value("missing", "")
                                                 : e.instance_location;
      if (!under(path, c->scope)) continue;
      // A citizen knows the field by its label, not by the schema's property name.
      schema::ValidationError shown = e;
      if (e.keyword == "required") shown.params.set("missing", c->label.in(lang));
      FieldError fe{c->scope, e.keyword, message_for(*c, shown, lang)};
      // Parts of one control (an address) missing together read as one sentence, not three.
      bool repeated = std::any_of(out.begin(), out.end(), [&](const FieldError& o) { return o.scope == fe.scope && o.message == fe.message; });
      if (!repeated) out.push_back(std::move(fe));
    }
  }
  for (auto& e : date_errors(step, lang)) out.push_back(std::move(e));
  for (auto& e : format_errors(step, lang)) out.push_back(std::move(e));
  for (auto& e : check_errors(step, lang)) out.push_back(std::move(e));
  // A first-time user takes every box for a must. An answer typed wrong that may be left out
  // says so under its first error, when clearing it would leave no error of its own there (a
  // field the rules require just now, or one a computed value reads, is not told; nor one the
  // rules disable, which cannot be cleared there).
  std::vector<schema::ValidationError> left;  // one list for every field's check: written over
  for (const Element* c : form_.steps.at(step).controls) {
    if (!visible(*c) || !enabled(*c) || !typed_answer(*c) || locked(c->scope) || is_computed(c->scope) || !readers[c->scope].empty()) continue;
    bool reads = std::any_of(readers.begin(), readers.end(), [&](const auto& r) {
      return std::find(r.second.begin(), r.second.end(), c) != r.second.end();
    });
    // On the answer's own errors only: a cross-field check is mended by correcting, not leaving out.
    auto first = std::find_if(out.begin(), out.end(), [&](const FieldError& e) { return e.scope == c->scope && e.keyword != "check"; });
    if (reads || first == out.end() || !d.contains(pointer(c->scope))) continue;
    json cleared = d;
    json& group = cleared.at(pointer(c->scope).parent_pointer());
    if (!group.is_object()) continue;
    group.erase(pointer(c->scope).back());  // its group stays: only the answer goes
    validator_->validate(cleared, left);
    if (std::none_of(left.begin(), left.end(), [&](const schema::ValidationError& e) { return under(path_of(e), c->scope); }))
      first->message.append(" ").append(schema::optional_hint(lang));
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
        if (field && !visible(*field, r.scope + item)) continue;  // hidden in this item: not asked
      }
      schema::ValidationError shown = e;
      const Element& named = field ? *field : r;
      if (e.keyword == "required") shown.params.set("missing", named.label.in(lang));
      out.push_back({scope, e.keyword, message_for(named, shown, lang)});
    }
  });
  return out;
}

std::vector<FieldError> FormModel::date_errors(size_t step, const std::string& lang) const {
  std::vector<FieldError> out;
  auto today = parse_ymd(today_);
  if (!today) return out;
  auto dmy = [](const Ymd& d) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d/%02d/%04d", d.d, d.m, d.y);
    return std::string(buf);
  };
  for (auto& x : shown(step)) {
    if (x.element->kind != Element::Kind::Control || x.element->widget != "date") continue;
    std::string scope = x.item + x.element->scope;
    json v = value(scope);
    auto d = v.is_string() ? parse_ymd(v.get<std::string>()) : std::nullopt;
    if (!d) continue;  // not a date at all: the schema's "format" says so
    DateBounds b = date_bounds(*x.element, *today);
    if (*d >= b.min && *d <= b.max) continue;
    out.push_back({scope, "dateRange",
                   lang == "vi" ? "Chọn ngày từ " + dmy(b.min) + " đến " + dmy(b.max) + "."
                                : "Choose a date from " + dmy(b.min) + " to " + dmy(b.max) + "."});
  }
  return out;
}

std::vector<FieldError> FormModel::format_errors(size_t step, const std::string& lang) const {
  std::vector<FieldError> out;
  for (auto& x : shown(step)) {
    if (x.element->kind != Element::Kind::Control) continue;
    std::string scope = x.item + x.element->scope;
    if (auto message = format_error(*x.element, schema_at_scope(form_, scope), value(scope), lang))
      out.push_back({scope, "format", *message});
  }
  return out;
}

std::vector<const Check*> FormModel::failing_checks() const {
  std::vector<const Check*> out;
  if (form_.checks.empty()) return out;
  json d = data();
  auto read = [&](const std::string& p) {
    const json* v = find(d, p);
    return v ? *v : json();
  };
  for (auto& c : form_.checks) {
    std::vector<std::string> fields = c.fields;
    if (fields.empty()) {
      try { fields = expression_inputs(c.expression); } catch (const ExprError&) { continue; }  // load_package refuses it
    }
    if (std::any_of(fields.begin(), fields.end(), [&](const std::string& f) { return read(f).is_null(); })) continue;
    // Only false fails: null (a date not yet whole, a sum over text) is "cannot tell yet".
    if (evaluate(c.expression, read, today_, &form_.meta) == json(false)) out.push_back(&c);
  }
  return out;
}

std::vector<FieldError> FormModel::check_errors(size_t step, const std::string& lang) const {
  std::vector<FieldError> out;
  auto failing = failing_checks();
  if (failing.empty()) return out;
  auto shown_here = shown(step);
  for (const Check* c : failing) {
    std::vector<std::string> fields = c->fields;
    if (fields.empty()) fields = expression_inputs(c->expression);
    for (auto& f : fields)
      for (auto& x : shown_here)
        if ((x.element->kind == Element::Kind::Control || x.element->kind == Element::Kind::Repeat) &&
            x.item + x.element->scope == f) {
          out.push_back({f, "check", c->message.in(lang)});
          break;
        }
  }
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
  // Hidden answers are not submitted: every control and repeat the rules hide, in every item.
  std::function<void(const std::vector<Element>&, const std::string&)> walk = [&](const std::vector<Element>& els,
                                                                                   const std::string& item) {
    for (const Element& e : els) {
      if (e.kind == Element::Kind::Group) walk(e.elements, item);
      if (e.kind != Element::Kind::Control && e.kind != Element::Kind::Repeat) continue;
      if (is_computed(item + e.scope)) continue;  // the form's own value, whatever shows it
      if (!visible(e, item)) {
        erase(d, item + e.scope);
        continue;
      }
      if (e.kind != Element::Kind::Repeat) continue;
      json list = value(item + e.scope);
      for (size_t i = 0; list.is_array() && i < list.size(); ++i) walk(e.elements, item + e.scope + "/" + std::to_string(i));
    }
  };
  for (auto& step : form_.steps) walk(step.elements, "");
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
