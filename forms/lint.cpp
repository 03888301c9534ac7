#include "forms/lint.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <set>

#include "forms/expr.h"
#include "forms/json_input.h"
#include "forms/package.h"
#include "forms/schema/messages.h"
#include "forms/schema/uri.h"
#include "forms/schema/validator.h"
#include "forms/text.h"

namespace motcua::forms {

namespace {

using nlohmann::json;

class Linter {
 public:
  Linter(const json& doc, std::vector<LintIssue>& out, const LintContext& context) : doc_(doc), out_(out), context_(context) {}

  void run(const FormPackage& form) {
    form_ = &form;
    try {
      schema::Validator v(form.schema, {}, "schema");
    } catch (const schema::SchemaError& e) {
      error("/schema" + e.pointer, "the dossier schema is unusable: " + (e.reason.empty() ? e.what() : e.reason));
      return;
    }
    check_meta(form);
    std::set<std::string> step_ids;
    for (auto& step : form.steps) {
      if (!step_ids.insert(step.id).second) error(step.where + "/id", "step id \"" + step.id + "\" is used twice");
      if (step.rule) check_rule(*step.rule, step.where + "/rule/condition");
      check_elements(step.elements, "");
    }
    check_computed();
    check_checks();
    check_documents();
    check_synonyms();
    check_print();
    check_required();
    check_texts(doc_.value("meta", json::object()), "/meta");
    check_texts(doc_.value("ui", json::object()), "/ui");
  }

 private:
  void error(const std::string& at, const std::string& msg) { out_.push_back({true, at, msg}); }

  // The catalog's categories and the kiosk's languages: what the package must fit beyond itself.
  void check_meta(const FormPackage& form) {
    const auto& cats = context_.categories;
    if (!cats.empty() && std::find(cats.begin(), cats.end(), form.category) == cats.end()) {
      std::string all;
      for (auto& c : cats) all += (all.empty() ? "" : ", ") + c;
      std::string near = nearest(form.category, cats);
      error("/meta/category", "category \"" + form.category + "\" is not in the catalog's categories.json" +
                                  (near.empty() ? "" : ": did you mean \"" + near + "\"?") + " (known: " + all + ")");
    }
    for (auto& lang : context_.kiosk_languages)
      if (std::find(form.locales.begin(), form.locales.end(), lang) == form.locales.end())
        warning("/meta/locales", "the kiosk offers \"" + lang + "\" but the package has no \"" + lang +
                                     "\" texts: a citizen who chose it reads this form in " + (form.locales.empty() ? "vi" : form.locales[0]));
  }

  // Every dossier pointer the schema (or an item's schema) names, for "did you mean".
  std::vector<std::string> pointers(const json* base) const {
    std::vector<std::string> out;
    std::function<void(const json*, const std::string&, int)> walk = [&](const json* s, const std::string& at, int depth) {
      s = resolve(s);
      if (!s || !s->is_object() || depth > 12 || out.size() > 2000) return;
      if (s->contains("properties") && (*s)["properties"].is_object())
        for (auto& [name, sub] : (*s)["properties"].items()) {
          std::string p = at + "/" + schema::pointer_escape(name);
          out.push_back(p);
          walk(&sub, p, depth + 1);
        }
      for (const char* k : {"allOf", "anyOf", "oneOf"})
        if (s->contains(k) && (*s)[k].is_array())
          for (auto& branch : (*s)[k]) walk(&branch, at, depth + 1);
      for (const char* k : {"then", "else"})
        if (s->contains(k)) walk(&(*s)[k], at, depth + 1);
    };
    walk(base ? base : &form_->schema, "", 0);
    return out;
  }
  std::string scope_hint(const std::string& scope, const json* base = nullptr, const std::string& prefix = "") const {
    auto all = pointers(base);
    for (auto& p : all) p = prefix + p;
    std::string near = nearest(scope, all);
    return near.empty() ? "" : ": did you mean " + near + "?";
  }

  // `messages` of a control or a computed value: keywords whose message a form can give, and
  // only the placeholders that keyword's error fills (a wrong one would reach the citizen as "{limt}").
  void check_messages(const json& messages, const std::string& at) {
    if (!messages.is_object()) return;
    static const std::vector<std::string> keywords = [] {
      std::vector<std::string> k;
      for (const char* w : {"type", "const", "enum", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
                            "minLength", "maxLength", "pattern", "format", "minProperties", "maxProperties", "required",
                            "dependentRequired", "propertyNames", "minItems", "maxItems", "uniqueItems", "contains",
                            "minContains", "maxContains", "anyOf", "oneOf", "not", "false"})
        k.push_back(w);
      return k;
    }();
    for (auto& [kw, m] : messages.items()) {
      std::string p = at + "/" + schema::pointer_escape(kw);
      const auto* known = message_placeholders(kw);
      if (!known) {
        std::string near = nearest(kw, keywords);
        error(p, "\"" + kw + "\" is not a keyword whose message a form can give" +
                     (near.empty() ? " (see docs/forms.md, messages)" : ": did you mean \"" + near + "\"?"));
        continue;
      }
      std::vector<std::pair<std::string, std::string>> texts;  // where, text
      if (m.is_string()) texts.push_back({p, m.get<std::string>()});
      else if (m.is_object())
        for (auto& [lang, t] : m.items())
          if (t.is_string()) texts.push_back({p + "/" + schema::pointer_escape(lang), t.get<std::string>()});
      for (auto& [where, text] : texts)
        for (size_t open = text.find('{'); open != std::string::npos; open = text.find('{', open + 1)) {
          size_t close = text.find('}', open);
          if (close == std::string::npos) break;
          std::string name = text.substr(open + 1, close - open - 1);
          if (std::find(known->begin(), known->end(), name) != known->end()) continue;
          std::string allowed;
          for (auto& k : *known) allowed += (allowed.empty() ? "" : ", ") + ("{" + k + "}");
          std::string near = nearest(name, *known);
          error(where, "placeholder {" + name + "} is not filled for \"" + kw + "\"" +
                           (near.empty() ? "" : ": did you mean {" + near + "}?") +
                           (allowed.empty() ? " (this keyword has none)" : " (known: " + allowed + ")"));
        }
    }
  }
  void warning(const std::string& at, const std::string& msg) { out_.push_back({false, at, msg}); }

  // The subschema describing the data at scope (relative to base), following local $refs and
  // looking through allOf/anyOf/oneOf/if/then/else; nullptr when the scope names nothing.
  const json* schema_at(const std::string& scope, const json* base = nullptr) const {
    const json* at = resolve(base ? base : &form_->schema);
    size_t pos = 1;
    while (at && pos <= scope.size()) {
      size_t end = scope.find('/', pos);
      std::string token = schema::pointer_unescape(scope.substr(pos, end == std::string::npos ? std::string::npos : end - pos));
      at = child(*at, token);
      if (end == std::string::npos) break;
      pos = end + 1;
    }
    return at;
  }

  const json* resolve(const json* s, int depth = 0) const {
    while (s && s->is_object() && s->contains("$ref") && (*s)["$ref"].is_string() && depth++ < 32) {
      std::string ref = (*s)["$ref"].get<std::string>();
      if (ref.rfind("#", 0) != 0) return s;  // remote: trust it
      try {
        s = &form_->schema.at(json::json_pointer(schema::percent_decode(ref.substr(1))));
      } catch (const json::exception&) {
        return nullptr;
      }
    }
    return s;
  }

  const json* child(const json& s, const std::string& token) const {
    if (!s.is_object()) return nullptr;
    if (s.contains("properties") && s["properties"].contains(token)) return resolve(&s["properties"][token]);
    if (s.contains("items") && !token.empty() && token.find_first_not_of("0123456789") == std::string::npos)
      return resolve(&s["items"]);
    for (const char* k : {"allOf", "anyOf", "oneOf"})
      if (s.contains(k) && s[k].is_array())
        for (auto& branch : s[k])
          if (const json* r = resolve(&branch); r && r->is_object())
            if (const json* c = child(*r, token)) return c;
    for (const char* k : {"then", "else"})
      if (s.contains(k))
        if (const json* r = resolve(&s[k]); r && r->is_object())
          if (const json* c = child(*r, token)) return c;
    return nullptr;
  }

  static std::set<std::string> types_of(const json& s) {
    std::set<std::string> t;
    if (!s.is_object() || !s.contains("type")) return t;
    if (s["type"].is_string()) t.insert(s["type"].get<std::string>());
    else if (s["type"].is_array()) for (auto& x : s["type"]) if (x.is_string()) t.insert(x.get<std::string>());
    return t;
  }

  void check_widget(const Element& c, const json& s) {
    auto t = types_of(s);
    auto is = [&](const char* name) { return t.empty() || t.count(name); };
    bool choices = s.contains("enum") || s.contains("oneOf") || s.contains("anyOf") || !c.options.empty();
    const std::string& w = c.widget;
    std::string at = c.where + "/widget";
    if ((w == "text" || w == "textarea" || w == "id-number" || w == "phone") && !is("string"))
      error(at, "widget \"" + w + "\" edits text but " + c.scope + " is not a string");
    if ((w == "number" || w == "money") && !(is("number") || is("integer")))
      error(at, "widget \"" + w + "\" needs a number or integer at " + c.scope +
                    (is("string") ? " (it is a string: give the schema \"type\": \"integer\", amounts are whole đồng)" : ""));
    // The widgets that are not free text, each on the one type it writes (forms/widget_values.h).
    std::string format = s.is_object() && s.contains("format") && s["format"].is_string() ? s["format"].get<std::string>() : "";
    if (w == "time") {
      if (!is("string") || t.empty())
        error(at, "widget \"time\" writes a string (\"HH:MM\") at " + c.scope + ": give it \"type\": \"string\"" +
                      (is("number") || is("integer") ? ", not a number of minutes" : ""));
      else if (format != "time" && !s.contains("pattern"))
        warning(at, c.scope + " uses the time widget without a \"pattern\" (\"^([01][0-9]|2[0-3]):[0-5][0-9]$\") or \"format\": \"time\": a portal cannot check the value");
      else if (!format.empty() && format != "time")
        error(at, "widget \"time\" at " + c.scope + " has \"format\": \"" + format + "\": use \"time\", or a pattern for \"HH:MM\"");
    }
    if (w == "email") {
      if (!is("string") || t.empty()) error(at, "widget \"email\" writes a string at " + c.scope + ": give it \"type\": \"string\"");
      else if (format != "email") warning(at, c.scope + " uses the email widget without \"format\": \"email\"");
    }
    if (w == "yes-no" && (!is("boolean") || t.empty()))
      error(at, "widget \"yes-no\" is one tick for a boolean at " + c.scope + ": give it \"type\": \"boolean\"" +
                    (s.contains("enum") ? ", or use \"radio\" for a choice among the enum's values" : ""));
    if (w == "date") {
      if (!is("string")) error(at, "widget \"date\" needs a string at " + c.scope);
      else if (s.value("format", "") != "date") warning(at, c.scope + " uses the date widget without \"format\": \"date\"");
    }
    if ((w == "radio" || w == "dropdown" || w == "searchable-list") && !choices)
      error(at, "widget \"" + w + "\" needs choices: \"enum\" or \"oneOf\" in the schema, or \"options\"");
    if (w == "checkboxes" && !is("array")) error(at, "widget \"checkboxes\" needs an array at " + c.scope);
    if (w == "signature" && (!is("string") || s.value("contentEncoding", "") != "base64"))
      error(at, "widget \"signature\" needs a string with \"contentEncoding\": \"base64\" at " + c.scope);
    if (w == "address") check_address(c, s);
    if (s.contains("enum") && s["enum"].is_array())
      for (size_t i = 0; i < c.options.size(); ++i)
        if (std::find(s["enum"].begin(), s["enum"].end(), c.options[i].value) == s["enum"].end())
          error(c.where + "/options/" + std::to_string(i) + "/value",
                "option " + c.options[i].value.dump() + " is not in the schema's enum");
  }

  // An address is an object the picker fills: province and commune names (required), their
  // official codes and the street (optional), all strings.
  void check_address(const Element& c, const json& s) {
    std::string at = c.where + "/widget";
    if (!types_of(s).count("object") || !s.contains("properties") || !s["properties"].is_object()) {
      error(at, "widget \"address\" needs an object with \"province\" and \"commune\" properties at " + c.scope);
      return;
    }
    const json& props = s["properties"];
    for (const char* part : {"province", "commune"})
      if (!props.contains(part)) error(at, "widget \"address\" needs a \"" + std::string(part) + "\" property at " + c.scope);
    static const std::set<std::string> known = {"province", "provinceCode", "commune", "communeCode", "street"};
    for (auto& [name, sub] : props.items()) {
      if (!known.count(name)) {
        error(c.where + "/scope", c.scope + "/" + name + " is not a part the address picker fills (province, provinceCode, commune, communeCode, street)");
        continue;
      }
      const json* r = resolve(&sub);
      if (r && !types_of(*r).empty() && !types_of(*r).count("string"))
        error(c.where + "/scope", c.scope + "/" + name + " must be a string");
    }
  }

  // `at` is the condition's place: ".../rule/condition" or ".../prefillWhen".
  void check_rule(const Rule& r, const std::string& at, const json* item = nullptr) {
    if (r.scope.rfind("./", 0) == 0) {  // the same repeat item's field
      if (!item) error(at + "/scope", "\"" + r.scope + "\" reads the same repeat item, but this rule is not inside a repeat");
      else if (!schema_at(r.scope.substr(1), item))
        error(at + "/scope", "rule condition names " + r.scope + ", which the repeat's items do not have" + scope_hint(r.scope, item, "."));
    } else if (!schema_at(r.scope)) {
      error(at + "/scope", "rule condition names " + r.scope + ", which the schema does not have" + scope_hint(r.scope));
    }
    try {
      schema::Validator v(r.schema, {}, "rule");
    } catch (const schema::SchemaError& e) {
      error(at + "/schema" + e.pointer, "rule condition schema is unusable: " + e.reason);
    }
  }

  void check_elements(const std::vector<Element>& elements, const std::string& prefix, const json* base = nullptr) {
    for (auto& e : elements) {
      if (e.rule) check_rule(*e.rule, e.where + "/rule/condition", base);
      if (e.prefill_when) check_rule(*e.prefill_when, e.where + "/prefillWhen", base);
      // A control hidden or disabled by its own answer could never be answered, or never changed back.
      if (e.rule && e.kind == Element::Kind::Control &&
          (e.rule->scope == (base ? "." : "") + e.scope || (!base && e.rule->scope == prefix + e.scope)))
        error(e.where + "/rule/condition/scope", "the rule on " + e.scope + " is conditioned on its own answer");
      if (!e.example.empty() && e.help.empty())
        warning(e.where + "/example", "an \"example\" is shown only inside \"help\": give the element a help text, or the example is never seen");
      if (e.kind == Element::Kind::Group) check_elements(e.elements, prefix, base);
      if (e.kind == Element::Kind::Repeat) {
        const json* array = schema_at(e.scope, base);
        if (!array) { error(e.where + "/scope", "scope " + e.scope + " does not exist in the schema" + scope_hint(e.scope, base)); continue; }
        if (!types_of(*array).count("array")) error(e.where + "/scope", "a repeat needs an array at " + e.scope);
        const json* items = array->contains("items") ? resolve(&(*array)["items"]) : nullptr;
        check_elements(e.elements, prefix + e.scope + "/0", items);  // children are relative to one item
        scopes_.insert(prefix + e.scope);
        if (prefix.empty()) shown_scopes_.insert(e.scope);
      }
      if (e.kind != Element::Kind::Control) continue;
      const json* s = schema_at(e.scope, base);
      check_messages(e.messages, e.where + "/messages");
      if (!s) { error(e.where + "/scope", "scope " + e.scope + " does not exist in the schema" + scope_hint(e.scope, base)); continue; }
      if (!scopes_.insert(prefix + e.scope).second) warning(e.where + "/scope", e.scope + " has more than one control");
      if (prefix.empty()) shown_scopes_.insert(e.scope);
      check_widget(e, *s);
      check_computed_control(e, prefix);
      if (!e.prefill.empty()) {
        const auto& known = card_fields();
        if (e.prefill.rfind("card.", 0) != 0 || std::find(known.begin(), known.end(), e.prefill.substr(5)) == known.end()) {
          std::vector<std::string> names;
          for (auto& k : known) names.push_back("card." + k);
          std::string near = nearest(e.prefill, names);
          error(e.where + "/prefill", "unknown card field \"" + e.prefill + "\"" + (near.empty() ? "" : ": did you mean \"" + near + "\"?"));
        } else if (std::string why = card_shape_mismatch(e.prefill.substr(5), e.widget); !why.empty()) {
          error(e.where + "/prefill", e.prefill + " cannot fill a \"" + e.widget + "\" widget: " + why);
        }
      } else if (e.lock_prefilled) {
        warning(e.where + "/lockPrefilled", "lockPrefilled without a prefill binding has no effect");
      }
      if (e.prefill_when && e.prefill.empty())
        warning(e.where + "/prefillWhen", "prefillWhen without a prefill binding has no effect");
      // The card's values come with the card, before any answer: a condition on the control's own
      // answer, or inside a repeat, could never decide.
      if (e.prefill_when && (base || e.prefill_when->scope == e.scope))
        error(e.where + "/prefillWhen/scope", base ? "prefillWhen works only outside repeats (the card fills no repeat item)"
                                                  : "prefillWhen on " + e.scope + " is conditioned on its own answer");
    }
  }

  // The chip gives one line of text per field (dates as YYYY-MM-DD): a widget that stores something
  // else would take it garbled, or a citizen's address would land in the picker as free text.
  static std::string card_shape_mismatch(const std::string& field, const std::string& widget) {
    bool date = field == "dateOfBirth" || field == "dateOfIssue" || field == "dateOfExpiry";
    if (widget == "address")
      return "the card gives the address as one line of text, the picker needs a province and a commune; use \"text\" or \"textarea\"";
    if (widget == "date" && !date) return "only dateOfBirth, dateOfIssue and dateOfExpiry are dates";
    if (field == "birthYear") return widget == "number" || widget == "text" ? "" : "the card gives a year; use \"number\"";
    for (const char* w : {"number", "money", "checkboxes", "signature", "yes-no", "time", "email", "phone"})
      if (widget == w) return date ? "use \"date\" or \"text\"" : "the card gives text; use \"text\"";
    return "";
  }

  // The kiosk shows a computed value read-only whatever the widget; a typing widget there is a
  // mistake of the author's (the citizen would expect to type), and "value" with nothing computed shows nothing.
  void check_computed_control(const Element& c, const std::string& prefix) {
    bool computed = std::any_of(form_->computed.begin(), form_->computed.end(),
                                [&](const Computed& x) { return x.scope == prefix + c.scope; });
    static const std::set<std::string> shows = {"value", "money"};
    if (computed && !shows.count(c.widget))
      warning(c.where + "/widget", c.scope + " is computed, yet bound to the typed widget \"" + c.widget +
                                       "\": use \"value\" (or \"money\"); the kiosk shows it read-only");
    if (!computed && c.widget == "value")
      warning(c.where + "/widget", "widget \"value\" shows a computed value, but nothing computes " + c.scope);
  }

  void check_computed() {
    std::map<std::string, std::vector<std::string>> inputs;
    std::map<std::string, std::string> where;
    for (auto& c : form_->computed) {
      check_messages(c.messages, c.where + "/messages");
      if (!schema_at(c.scope)) error(c.where + "/scope", "computed scope " + c.scope + " does not exist in the schema" + scope_hint(c.scope));
      try {
        auto vars = expression_inputs(c.expression, c.where + "/expression");
        for (auto& v : vars)
          if (!schema_at(v)) error(c.where + "/expression", "expression reads " + v + ", which the schema does not have" + scope_hint(v));
        inputs[c.scope] = vars;
        where[c.scope] = c.where;
        scopes_.insert(c.scope);
      } catch (const ExprError& e) {
        std::string msg = e.what();
        auto colon = msg.find(": ");
        error(msg.substr(0, colon), msg.substr(colon + 2));
      }
    }
    for (auto& p : expression_type_problems(*form_)) error(p.pointer, p.message);
    // A computed value must not depend on itself, directly or through others.
    std::map<std::string, int> state;  // 0 new, 1 on the path, 2 done
    std::function<bool(const std::string&)> cyclic = [&](const std::string& s) {
      if (state[s] == 1) return true;
      if (state[s] == 2 || !inputs.count(s)) return false;
      state[s] = 1;
      for (auto& in : inputs[s])
        if (cyclic(in)) return true;
      state[s] = 2;
      return false;
    };
    for (auto& [scope, _] : inputs) {
      state.clear();
      if (cyclic(scope)) error(where[scope] + "/expression", "computed value " + scope + " depends on itself");
    }
  }

  // Cross-field checks: well formed, reading and naming fields the schema has, each named field
  // shown by some control or repeat (else the message would stand nowhere).
  void check_checks() {
    for (auto& c : form_->checks) {
      std::vector<std::string> vars;
      try {
        vars = expression_inputs(c.expression, c.where + "/expression");
      } catch (const ExprError& e) {
        std::string msg = e.what();
        auto colon = msg.find(": ");
        error(msg.substr(0, colon), msg.substr(colon + 2));
        continue;
      }
      for (auto& v : vars)
        if (!schema_at(v)) error(c.where + "/expression", "check reads " + v + ", which the schema does not have" + scope_hint(v));
      if (vars.empty() && c.fields.empty()) error(c.where + "/expression", "check reads no field of the dossier and names none in \"fields\"");
      auto fields = c.fields.empty() ? vars : c.fields;
      for (size_t i = 0; i < fields.size(); ++i) {
        std::string at = c.fields.empty() ? c.where + "/expression" : c.where + "/fields/" + std::to_string(i);
        if (!schema_at(fields[i])) error(at, "check names " + fields[i] + ", which the schema does not have" + scope_hint(fields[i]));
        else if (!shown_scopes_.count(fields[i])) error(at, "check names " + fields[i] + ", which no step shows: its message would stand nowhere");
      }
    }
  }

  // meta.documents: each paper named once, in every language, with a page count a scanner and a
  // counter clerk can handle.
  void check_documents() {
    std::set<std::string> ids;
    for (size_t i = 0; i < form_->documents.size(); ++i) {
      const Document& d = form_->documents[i];
      const json& raw = doc_.at("meta").at("documents").at(i);  // as written: the model clamps
      if (!ids.insert(d.id).second) error(d.where + "/id", "document id \"" + d.id + "\" is used twice");
      check_text(raw.at("name"), d.where + "/name");
      json pages = raw.value("maxPages", json(1));
      if (pages.get<long long>() < 1 || pages.get<long long>() > 50 || (pages.is_number_unsigned() && pages.get<unsigned long long>() > 50))
        error(d.where + "/maxPages", "maxPages is the most pages of this paper, from 1 to 50; found " + pages.dump());
    }
  }

  // meta.synonyms: names a search can use. A name in a language the package does not speak is
  // never shown a citizen of that language's catalog; a repeated name (by its search key) or
  // one that is the title adds nothing and hides a typo.
  void check_synonyms() {
    const json& meta = doc_.at("meta");
    if (!meta.contains("synonyms") || !meta["synonyms"].is_object()) return;
    std::set<std::string> keys, titles;
    for (auto& [_, t] : form_->title.by_lang) titles.insert(text::search_key(t));
    for (auto& [lang, names] : meta["synonyms"].items()) {
      std::string at = "/meta/synonyms/" + schema::pointer_escape(lang);
      if (std::find(form_->locales.begin(), form_->locales.end(), lang) == form_->locales.end())
        error(at, "synonyms in \"" + lang + "\", which meta.locales does not declare");
      for (size_t i = 0; i < names.size(); ++i) {
        std::string key = text::search_key(names[i].get<std::string>());
        std::string here = at + "/" + std::to_string(i);
        if (key.size() < 2) error(here, "a synonym needs at least two letters");
        else if (!keys.insert(key).second) error(here, "synonym \"" + names[i].get<std::string>() + "\" is listed twice (accents and case aside)");
        else if (titles.count(key)) warning(here, "synonym \"" + names[i].get<std::string>() + "\" is the title itself: search finds the title already");
      }
    }
  }

  // The print section names real fields with a label to print, in every language.
  void check_print() {
    if (!form_->print) return;
    const json& pr = doc_.at("print");
    check_texts(pr, "/print");  // headings, labels, the signature's title and note
    for (const char* key : {"header", "title"})
      if (pr.contains(key))
        for (size_t i = 0; i < pr[key].size(); ++i) check_text(pr[key][i], "/print/" + std::string(key) + "/" + std::to_string(i));
    for (const char* key : {"recipient", "pledge"})
      if (pr.contains(key)) check_text(pr[key], "/print/" + std::string(key));
    for (size_t i = 0; pr.contains("sections") && i < pr["sections"].size(); ++i)
      if (pr["sections"][i].contains("heading")) check_text(pr["sections"][i]["heading"], "/print/sections/" + std::to_string(i) + "/heading");
    if (pr.contains("signature") && pr["signature"].contains("note")) check_text(pr["signature"]["note"], "/print/signature/note");
    std::set<std::string> labelled;  // controls and repeats outside repeats carry their own label
    for (auto& step : form_->steps) {
      for_each_control(step.elements, [&](const Element& c) { labelled.insert(c.scope); });
      for_each_repeat(step.elements, [&](const Element& r) { labelled.insert(r.scope); });
    }
    for (auto& sec : form_->print->sections)
      for (auto& f : sec.fields) {
        std::string at = f.where + (doc_.at(json::json_pointer(f.where)).is_object() ? "/scope" : "");
        if (!schema_at(f.scope)) error(at, "print field " + f.scope + " does not exist in the schema");
        else if (f.label.empty() && !labelled.count(f.scope))
          error(at, "print field " + f.scope + " is no control or repeat of a step: give it a \"label\"");
      }
    if (!form_->print->signer_name.empty() && !schema_at(form_->print->signer_name))
      error("/print/signature/name", "the signer's name " + form_->print->signer_name + " does not exist in the schema");
  }

  void check_required() {
    std::vector<std::string> required;
    std::function<void(const json*, const std::string&, int)> walk = [&](const json* s, const std::string& path, int depth) {
      s = resolve(s);
      if (!s || !s->is_object() || depth > 16 || !s->contains("required") || !(*s)["required"].is_array()) return;
      for (auto& name : (*s)["required"]) {
        if (!name.is_string()) continue;
        std::string p = path + "/" + schema::pointer_escape(name.get<std::string>());
        required.push_back(p);
        if (s->contains("properties") && (*s)["properties"].contains(name.get<std::string>()))
          walk(&(*s)["properties"][name.get<std::string>()], p, depth + 1);
      }
    };
    walk(&form_->schema, "", 0);
    auto related = [](const std::string& a, const std::string& b) {
      auto under = [](const std::string& x, const std::string& y) { return x.size() > y.size() && x.compare(0, y.size(), y) == 0 && x[y.size()] == '/'; };
      return a == b || under(a, b) || under(b, a);
    };
    for (auto& r : required) {
      bool covered = std::any_of(scopes_.begin(), scopes_.end(), [&](const std::string& s) { return related(r, s); });
      if (!covered) error("/schema", "required field " + r + " is on no step and not computed: no citizen could ever submit");
    }
  }

  void check_text(const json& t, const std::string& at) {
    if (!t.is_object()) return;
    for (auto& lang : form_->locales)
      if (!t.contains(lang) || !t[lang].is_string() || t[lang].get<std::string>().empty())
        error(at, "no \"" + lang + "\" text, though meta.locales declares it");
  }

  void check_texts(const json& v, const std::string& at) {
    static const std::set<std::string> text_keys = {"title", "label", "hint",    "help",    "example", "text",
                                                    "agency", "purpose", "message", "source", "itemLabel"};
    if (v.is_object()) {
      for (auto& [k, child] : v.items()) {
        std::string p = at + "/" + schema::pointer_escape(k);
        // print.signature.note has its own check; meta.officialForm.note is checked here
        if (text_keys.count(k) || (k == "note" && at == "/meta/officialForm")) check_text(child, p);
        else if (k == "messages" && child.is_object())
          for (auto& [kw, m] : child.items()) check_text(m, p + "/" + schema::pointer_escape(kw));
        else if (k == "requiredDocuments" && child.is_array())
          for (size_t i = 0; i < child.size(); ++i) check_text(child[i], p + "/" + std::to_string(i));
        else if (k != "schema" && k != "expression" && k != "condition") check_texts(child, p);
      }
    } else if (v.is_array()) {
      for (size_t i = 0; i < v.size(); ++i) check_texts(v[i], at + "/" + std::to_string(i));
    }
  }

  const json& doc_;
  std::vector<LintIssue>& out_;
  const LintContext& context_;
  const FormPackage* form_ = nullptr;
  std::set<std::string> scopes_;  // controls, repeats and computed values
  std::set<std::string> shown_scopes_;  // controls and repeats outside repeats: where a check's message can stand
};

}  // namespace

std::string nearest(const std::string& word, const std::vector<std::string>& candidates) {
  // Case slips count as no edit: "MinLength" is "minLength".
  auto lower = [](std::string x) {
    for (auto& ch : x) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return x;
  };
  std::string w = lower(word);
  std::string best;
  size_t best_d = std::max<size_t>(1, std::min<size_t>(3, w.size() / 3)) + 1;
  for (auto& c : candidates) {
    std::string x = lower(c);
    if (x == w && c != word) return c;
    if (x.size() > w.size() + 3 || w.size() > x.size() + 3) continue;
    std::vector<size_t> row(x.size() + 1);
    for (size_t j = 0; j <= x.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= w.size(); ++i) {
      size_t diag = row[0];
      row[0] = i;
      for (size_t j = 1; j <= x.size(); ++j) {
        size_t up = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (w[i - 1] == x[j - 1] ? 0 : 1)});
        diag = up;
      }
    }
    if (row[x.size()] < best_d && c != word) best_d = row[x.size()], best = c;
  }
  return best;
}

const std::vector<std::string>* message_placeholders(const std::string& keyword) {
  static const std::map<std::string, std::vector<std::string>> known = {
      {"type", {"expected", "actual"}}, {"const", {"expected"}}, {"enum", {"expected"}},
      {"minimum", {"limit"}}, {"maximum", {"limit"}}, {"exclusiveMinimum", {"limit"}}, {"exclusiveMaximum", {"limit"}},
      {"multipleOf", {"multipleOf"}}, {"minLength", {"limit"}}, {"maxLength", {"limit"}}, {"pattern", {"pattern"}},
      {"format", {"format"}}, {"minProperties", {"limit"}}, {"maxProperties", {"limit"}}, {"required", {"missing"}},
      {"dependentRequired", {"property", "missing"}}, {"propertyNames", {"property"}}, {"minItems", {"limit"}},
      {"maxItems", {"limit"}}, {"uniqueItems", {}}, {"contains", {"limit", "matches"}}, {"minContains", {"limit", "matches"}},
      {"maxContains", {"limit", "matches"}}, {"anyOf", {}}, {"oneOf", {"passing"}}, {"not", {}}, {"false", {}}};
  auto it = known.find(keyword);
  return it == known.end() ? nullptr : &it->second;
}

std::vector<LintIssue> lint_package(const json& package, const json& package_schema, const LintContext& context) {
  std::vector<LintIssue> out;
  // Every walk below recurses over the package: a document past the JSON bound is refused first.
  if (json_depth(package, kMaxJsonDepth) > kMaxJsonDepth) {
    out.push_back({true, "", "nested deeper than " + std::to_string(kMaxJsonDepth) + " levels"});
    return out;
  }
  schema::Validator shape(package_schema, {}, "form-package.schema.json");
  for (auto& e : shape.validate(package)) {
    std::string detail;
    if (e.keyword == "required") {
      detail = "missing \"" + e.params.value("missing", "") + "\"";
    } else if (e.keyword == "false") {
      std::string name = e.instance_location.substr(e.instance_location.rfind('/') + 1);
      detail.append("\"").append(name).append("\" is not part of the format");
    } else {
      detail = schema::error_message(e, "en") + " (" + e.keyword + ")";
    }
    out.push_back({true, e.instance_location, detail});
  }
  if (!out.empty()) return out;  // the deeper checks need the right shape
  FormPackage form;
  try {
    form = parse_package(package, "");
  } catch (const PackageError& e) {
    std::string msg = e.what();
    msg = msg.substr(msg.find(": ") + 2);
    auto colon = msg.find(": ");
    out.push_back({true, msg.substr(0, colon), msg.substr(colon + 2)});
    return out;
  }
  Linter(package, out, context).run(form);
  return out;
}

}  // namespace motcua::forms
