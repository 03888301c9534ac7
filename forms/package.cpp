#include "forms/package.h"

#include <algorithm>
#include <set>

#include <fstream>

#include <functional>

#include "forms/expr.h"
#include "forms/schema/validator.h"
#include "forms/json_input.h"
#include "forms/text.h"

namespace motcua::forms {
namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& origin, const std::string& pointer, const std::string& what) {
  throw PackageError(origin + ": " + (pointer.empty() ? "/" : pointer) + ": " + what);
}

const json& member(const json& obj, const char* key, json::value_t type, const std::string& origin,
                   const std::string& at) {
  auto it = obj.find(key);
  if (it == obj.end()) fail(origin, at, std::string("missing \"") + key + "\"");
  bool ok = it->type() == type || (type == json::value_t::number_integer && it->is_number_integer());
  if (!ok) fail(origin, at + "/" + key, std::string("expected ") + json(type).type_name() + ", found " + it->type_name());
  return *it;
}

LocalText local_text(const json& v, const std::string& origin, const std::string& at) {
  if (!v.is_object() || v.empty()) fail(origin, at, "expected an object of texts per language, e.g. {\"vi\": \"...\"}");
  LocalText t;
  for (auto& [lang, s] : v.items()) {
    if (!s.is_string()) fail(origin, at + "/" + lang, "expected a string");
    t.by_lang[lang] = text::nfc(s.get<std::string>());
  }
  return t;
}

LocalText optional_text(const json& obj, const char* key, const std::string& origin, const std::string& at) {
  return obj.contains(key) ? local_text(obj[key], origin, at + "/" + key) : LocalText{};
}

std::string pointer_field(const json& obj, const char* key, const std::string& origin, const std::string& at) {
  std::string p = member(obj, key, json::value_t::string, origin, at).get<std::string>();
  if (p.empty() || p[0] != '/') fail(origin, at + "/" + key, "a scope is a JSON pointer starting with '/'");
  return p;
}

// {"scope": ..., "schema": ...} at `where`, into the rule's scope and schema.
void condition_of(const json& c, Rule& rule, const std::string& origin, const std::string& where) {
  // Inside a repeat "./field" names the same item's field (docs/forms.md §Rules).
  if (c.contains("scope") && c["scope"].is_string() && c["scope"].get<std::string>().rfind("./", 0) == 0) {
    rule.scope = c["scope"].get<std::string>();
  } else {
    rule.scope = pointer_field(c, "scope", origin, where);
  }
  if (!c.contains("schema") || !(c["schema"].is_object() || c["schema"].is_boolean()))
    fail(origin, where, "missing \"schema\" (a JSON Schema the value must satisfy)");
  rule.schema = c["schema"];
}

std::optional<Rule> rule_of(const json& obj, const std::string& origin, const std::string& at) {
  if (!obj.contains("rule")) return std::nullopt;
  const json& r = member(obj, "rule", json::value_t::object, origin, at);
  std::string where = at + "/rule";
  Rule rule;
  rule.effect = member(r, "effect", json::value_t::string, origin, where).get<std::string>();
  if (rule.effect != "show" && rule.effect != "hide" && rule.effect != "enable" && rule.effect != "disable")
    fail(origin, where + "/effect", "expected show, hide, enable or disable");
  condition_of(member(r, "condition", json::value_t::object, origin, where), rule, origin, where + "/condition");
  return rule;
}

std::vector<Element> elements_of(const json& list, const std::string& origin, const std::string& at);

Element element_of(const json& e, const std::string& origin, const std::string& at) {
  if (!e.is_object()) fail(origin, at, "expected an element object");
  Element el;
  el.where = at;
  std::string type = e.value("type", "control");
  if (type == "control") el.kind = Element::Kind::Control;
  else if (type == "group") el.kind = Element::Kind::Group;
  else if (type == "repeat") el.kind = Element::Kind::Repeat;
  else if (type == "note") el.kind = Element::Kind::Note;
  else fail(origin, at + "/type", "expected control, group, repeat or note, found \"" + type + "\"");

  if (el.kind == Element::Kind::Control || el.kind == Element::Kind::Repeat) el.scope = pointer_field(e, "scope", origin, at);
  if (el.kind == Element::Kind::Control) el.label = local_text(member(e, "label", json::value_t::object, origin, at), origin, at + "/label");
  else el.label = optional_text(e, "label", origin, at);
  if (el.kind == Element::Kind::Note) el.text = local_text(member(e, "text", json::value_t::object, origin, at), origin, at + "/text");
  el.hint = optional_text(e, "hint", origin, at);
  if (el.kind == Element::Kind::Repeat) el.item_label = optional_text(e, "itemLabel", origin, at);
  el.help = optional_text(e, "help", origin, at);
  el.example = optional_text(e, "example", origin, at);
  el.widget = e.value("widget", "text");
  el.unit = optional_text(e, "unit", origin, at);
  const std::pair<const char*, std::string*> dates[] = {{"min", &el.date_min}, {"max", &el.date_max}, {"start", &el.date_start}};
  for (auto [key, field] : dates)
    if (e.contains(key)) *field = member(e, key, json::value_t::string, origin, at).get<std::string>();
  if (e.contains("options")) {
    const json& opts = member(e, "options", json::value_t::array, origin, at);
    for (size_t i = 0; i < opts.size(); ++i) {
      std::string oat = at + "/options/" + std::to_string(i);
      if (!opts[i].is_object() || !opts[i].contains("value")) fail(origin, oat, "an option is {\"value\": ..., \"label\": {...}}");
      el.options.push_back({opts[i]["value"], local_text(member(opts[i], "label", json::value_t::object, origin, oat), origin, oat + "/label")});
    }
  }
  if (e.contains("messages")) el.messages = member(e, "messages", json::value_t::object, origin, at);
  if (e.contains("prefill")) el.prefill = member(e, "prefill", json::value_t::string, origin, at).get<std::string>();
  el.lock_prefilled = e.value("lockPrefilled", false);
  if (e.contains("prefillWhen")) {
    el.prefill_when = Rule{"prefillWhen", "", {}};
    condition_of(member(e, "prefillWhen", json::value_t::object, origin, at), *el.prefill_when, origin, at + "/prefillWhen");
  }
  el.rule = rule_of(e, origin, at);
  if (el.kind == Element::Kind::Group || el.kind == Element::Kind::Repeat)
    el.elements = elements_of(member(e, "elements", json::value_t::array, origin, at), origin, at + "/elements");
  // The kiosk keeps, checks and submits one level of items: a list inside an item would be drawn
  // and then lost from the dossier, so it is refused here rather than dropped there.
  if (el.kind == Element::Kind::Repeat)
    for_each_repeat(el.elements, [&](const Element& inner) {
      fail(origin, inner.where, "a repeat inside a repeat's item is not supported; give the inner list its own repeat outside");
    });
  return el;
}

std::vector<Element> elements_of(const json& list, const std::string& origin, const std::string& at) {
  std::vector<Element> out;
  for (size_t i = 0; i < list.size(); ++i) out.push_back(element_of(list[i], origin, at + "/" + std::to_string(i)));
  return out;
}

void collect_controls(const std::vector<Element>& elements, std::vector<const Element*>& out) {
  for (auto& e : elements) {
    if (e.kind == Element::Kind::Control) out.push_back(&e);
    if (e.kind == Element::Kind::Group) collect_controls(e.elements, out);
  }
}

void index_controls(FormPackage& p) {
  for (auto& s : p.steps) {
    s.controls.clear();
    collect_controls(s.elements, s.controls);
  }
}

std::vector<LocalText> text_lines(const json& obj, const char* key, const std::string& origin, const std::string& at) {
  std::vector<LocalText> out;
  if (!obj.contains(key)) return out;
  const json& list = member(obj, key, json::value_t::array, origin, at);
  for (size_t i = 0; i < list.size(); ++i) out.push_back(local_text(list[i], origin, at + "/" + key + "/" + std::to_string(i)));
  return out;
}

PrintLayout print_of(const json& pr, const std::string& origin) {
  PrintLayout l;
  l.header = pr.contains("header") ? text_lines(pr, "header", origin, "/print") : print_layout(FormPackage()).header;
  l.title = text_lines(pr, "title", origin, "/print");
  l.recipient = optional_text(pr, "recipient", origin, "/print");
  l.pledge = optional_text(pr, "pledge", origin, "/print");
  if (pr.contains("sections")) {
    const json& list = member(pr, "sections", json::value_t::array, origin, "/print");
    for (size_t i = 0; i < list.size(); ++i) {
      std::string at = "/print/sections/" + std::to_string(i);
      if (!list[i].is_object()) fail(origin, at, "a section is {\"heading\"?: {...}, \"fields\": [...]}");
      PrintSection sec;
      sec.heading = optional_text(list[i], "heading", origin, at);
      if (list[i].contains("answeredOnly")) {
        if (!list[i]["answeredOnly"].is_boolean()) fail(origin, at + "/answeredOnly", "must be true or false");
        sec.answered_only = list[i]["answeredOnly"].get<bool>();
      }
      const json& fields = member(list[i], "fields", json::value_t::array, origin, at);
      for (size_t f = 0; f < fields.size(); ++f) {
        std::string fat = at + "/fields/" + std::to_string(f);
        PrintField field;
        field.where = fat;
        if (fields[f].is_string()) {  // "/child/fullName": the control's own label
          field.scope = fields[f].get<std::string>();
          if (field.scope.empty() || field.scope[0] != '/') fail(origin, fat, "a field is a JSON pointer starting with '/'");
        } else if (fields[f].is_object()) {
          field.scope = pointer_field(fields[f], "scope", origin, fat);
          field.label = optional_text(fields[f], "label", origin, fat);
        } else {
          fail(origin, fat, "a field is a scope (\"/child/fullName\") or {\"scope\": ..., \"label\": {...}}");
        }
        sec.fields.push_back(std::move(field));
      }
      l.sections.push_back(std::move(sec));
    }
  }
  if (pr.contains("signature")) {
    const json& sig = member(pr, "signature", json::value_t::object, origin, "/print");
    l.signer = optional_text(sig, "title", origin, "/print/signature");
    l.signer_note = optional_text(sig, "note", origin, "/print/signature");
    if (sig.contains("name")) l.signer_name = pointer_field(sig, "name", origin, "/print/signature");
  }
  return l;
}

}  // namespace

PrintLayout print_layout(const FormPackage& form) {
  if (form.print) return *form.print;
  PrintLayout l;
  LocalText motto, motto2;
  motto.by_lang["vi"] = "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM";  // the national motto heads every
  motto2.by_lang["vi"] = "Độc lập - Tự do - Hạnh phúc";          // declaration, in any language
  l.header = {motto, motto2};
  LocalText title;
  for (auto& [lang, t] : form.title.by_lang) title.by_lang[lang] = text::upper(t);
  if (!title.empty()) l.title = {title};
  l.fill_blanks = false;
  for (auto& step : form.steps) {
    PrintSection sec;
    sec.heading = step.title;
    for (auto& e : step.elements) {
      std::function<void(const Element&)> add = [&](const Element& el) {
        if (el.kind == Element::Kind::Group) for (auto& c : el.elements) add(c);
        if ((el.kind == Element::Kind::Control && el.widget != "signature") || el.kind == Element::Kind::Repeat)
          sec.fields.push_back({el.scope, el.where, {}});
      };
      add(e);
    }
    if (!sec.fields.empty()) l.sections.push_back(std::move(sec));
  }
  // The person who signs: the first card-bound full name, else the first control named fullName.
  for (bool card : {true, false})
    for (auto& step : form.steps)
      for (const Element* c : step.controls)
        if (l.signer_name.empty() && (card ? c->prefill == "card.fullName" : c->scope.ends_with("/fullName"))) l.signer_name = c->scope;
  return l;
}

FormPackage& FormPackage::operator=(const FormPackage& o) {
  if (this == &o) return *this;
  id = o.id; purpose = o.purpose; version = o.version; procedure_code = o.procedure_code; category = o.category;
  title = o.title; agency = o.agency; processing_days = o.processing_days; locales = o.locales;
  fees = o.fees; required_documents = o.required_documents; documents = o.documents; synonyms = o.synonyms; schema = o.schema; steps = o.steps;
  computed = o.computed; checks = o.checks; print = o.print; meta = o.meta; clear_on_hide = o.clear_on_hide;
  index_controls(*this);
  return *this;
}

const json* schema_at_scope(const FormPackage& form, const std::string& scope) {
  const json* at = &form.schema;
  size_t i = 1;
  while (at && i <= scope.size()) {
    size_t end = scope.find('/', i);
    if (end == std::string::npos) end = scope.size();
    std::string token = scope.substr(i, end - i);
    bool index = !token.empty() && std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (index && at->contains("items")) at = &(*at)["items"];
    else if (at->contains("properties") && (*at)["properties"].contains(token)) at = &(*at)["properties"][token];
    else at = nullptr;
    i = end + 1;
  }
  return at;
}

std::vector<Option> choices(const FormPackage& form, const Element& control, const std::string& scope) {
  if (!control.options.empty()) return control.options;
  const json* at = schema_at_scope(form, scope);
  std::vector<Option> out;
  if (at && at->contains("enum") && (*at)["enum"].is_array())
    for (const json& v : (*at)["enum"]) {
      Option o;
      o.value = v;
      o.label.by_lang["vi"] = v.is_string() ? v.get<std::string>() : v.dump();
      out.push_back(std::move(o));
    }
  return out;
}

std::vector<std::string> address_parts(const FormPackage& form, const std::string& scope) {
  std::vector<std::string> out;
  const json* at = schema_at_scope(form, scope);
  if (!at || !at->contains("properties") || !(*at)["properties"].is_object()) return out;
  for (const char* part : {"province", "provinceCode", "commune", "communeCode", "street"})
    if ((*at)["properties"].contains(part)) out.push_back(part);
  return out;
}

std::vector<std::pair<std::string, json>> default_values(const FormPackage& form) {
  std::vector<std::pair<std::string, json>> out;
  for (auto& step : form.steps)
    for (const Element* c : step.controls) {
      const json* s = schema_at_scope(form, c->scope);
      if (!s || !s->is_object() || !s->contains("default")) continue;
      const json& d = (*s)["default"];
      bool number_widget = c->widget == "number" || c->widget == "money";
      bool tick = c->widget == "yes-no";
      if ((d.is_string() && !number_widget && !tick) || (d.is_number() && number_widget) || (d.is_boolean() && tick))
        out.push_back({c->scope, d});
    }
  return out;
}

const std::vector<std::string>& card_fields() {
  static const std::vector<std::string> fields = {
      "idNumber", "fullName", "dateOfBirth", "birthYear", "sex", "nationality", "ethnicity", "religion", "placeOfOrigin",
      "placeOfResidence", "identifyingMarks", "dateOfIssue", "dateOfExpiry", "fatherName", "motherName",
      "spouseName", "oldIdNumber"};
  return fields;
}

const std::string& LocalText::in(const std::string& lang) const {
  static const std::string empty;
  if (auto it = by_lang.find(lang); it != by_lang.end()) return it->second;
  if (auto it = by_lang.find("vi"); it != by_lang.end()) return it->second;
  return by_lang.empty() ? empty : by_lang.begin()->second;
}

FormPackage parse_package(const json& doc, const std::string& origin) {
  if (!doc.is_object()) fail(origin, "", "a form package is a JSON object");
  // A package built in memory (synced, generated) meets the same bound as one read from a file:
  // the schema compiler, the form model and the copies below all recurse.
  if (json_depth(doc, kMaxJsonDepth) > kMaxJsonDepth)
    fail(origin, "", "nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
  FormPackage p;
  const json& meta = member(doc, "meta", json::value_t::object, origin, "");
  p.id = member(meta, "id", json::value_t::string, origin, "/meta").get<std::string>();
  p.version = member(meta, "version", json::value_t::string, origin, "/meta").get<std::string>();
  p.procedure_code = member(meta, "procedureCode", json::value_t::string, origin, "/meta").get<std::string>();
  p.category = member(meta, "category", json::value_t::string, origin, "/meta").get<std::string>();
  p.title = local_text(member(meta, "title", json::value_t::object, origin, "/meta"), origin, "/meta/title");
  p.agency = optional_text(meta, "agency", origin, "/meta");
  p.purpose = optional_text(meta, "purpose", origin, "/meta");
  const json& days = member(meta, "processingDays", json::value_t::number_integer, origin, "/meta");
  if (days.get<long long>() < 0 || days.get<long long>() > 3650 || (days.is_number_unsigned() && days.get<unsigned long long>() > 3650))
    fail(origin, "/meta/processingDays", "expected whole days from 0 to 3650, found " + days.dump());
  p.processing_days = days.get<int>();
  for (auto& l : member(meta, "locales", json::value_t::array, origin, "/meta")) {
    if (!l.is_string()) fail(origin, "/meta/locales", "expected language codes such as \"vi\"");
    p.locales.push_back(l.get<std::string>());
  }
  p.fees = meta.value("fees", json::array());
  // Fees are summed and printed as whole đồng: integers from 0 to 10^12, checked here so that no
  // later cast meets 1e300.
  if (!p.fees.is_array()) fail(origin, "/meta/fees", "expected a list of {\"label\": ..., \"amount\": ...}");
  for (size_t i = 0; i < p.fees.size(); ++i) {
    json amount = p.fees[i].is_object() ? p.fees[i].value("amount", json()) : json();
    if (!amount.is_number_integer() || amount.get<long long>() < 0 || amount.get<long long>() > 1000000000000LL)
      fail(origin, "/meta/fees/" + std::to_string(i) + "/amount", "expected whole đồng from 0 to 1000000000000, found " + amount.dump());
  }
  p.required_documents = meta.value("requiredDocuments", json::array());
  if (meta.contains("documents")) {  // shapes here; unique ids, ranges and languages are lint's
    const json& list = member(meta, "documents", json::value_t::array, origin, "/meta");
    for (size_t i = 0; i < list.size(); ++i) {
      std::string at = "/meta/documents/" + std::to_string(i);
      if (!list[i].is_object()) fail(origin, at, "a document is {\"id\": ..., \"name\": {...}, \"required\": ..., \"maxPages\": ...}");
      Document d;
      d.where = at;
      d.id = member(list[i], "id", json::value_t::string, origin, at).get<std::string>();
      d.name = local_text(member(list[i], "name", json::value_t::object, origin, at), origin, at + "/name");
      if (list[i].contains("required")) d.required = member(list[i], "required", json::value_t::boolean, origin, at).get<bool>();
      if (list[i].contains("maxPages")) {
        const json& n = member(list[i], "maxPages", json::value_t::number_integer, origin, at);
        d.max_pages = n.is_number_unsigned() && n.get<unsigned long long>() > 1000 ? 1000 : static_cast<int>(std::clamp<long long>(n.get<long long>(), -1, 1000));
      }
      if (list[i].contains("originalAtCounter"))
        d.original_at_counter = member(list[i], "originalAtCounter", json::value_t::boolean, origin, at).get<bool>();
      p.documents.push_back(std::move(d));
    }
  }
  if (meta.contains("synonyms")) {  // {"vi": ["giấy độc thân", ...], "en": [...]}
    const json& by_lang = member(meta, "synonyms", json::value_t::object, origin, "/meta");
    for (auto& [lang, names] : by_lang.items()) {
      std::string at = "/meta/synonyms/" + lang;
      if (!names.is_array()) fail(origin, at, "expected a list of everyday names, such as [\"giấy độc thân\"]");
      for (size_t i = 0; i < names.size(); ++i) {
        if (!names[i].is_string()) fail(origin, at + "/" + std::to_string(i), "expected a name as text, found " + names[i].dump());
        p.synonyms.push_back(text::nfc(names[i].get<std::string>()));
      }
    }
  }
  p.schema = member(doc, "schema", json::value_t::object, origin, "");

  const json& ui = member(doc, "ui", json::value_t::object, origin, "");
  const json& steps = member(ui, "steps", json::value_t::array, origin, "/ui");
  if (steps.empty()) fail(origin, "/ui/steps", "a form needs at least one step");
  for (size_t i = 0; i < steps.size(); ++i) {
    std::string at = "/ui/steps/" + std::to_string(i);
    const json& s = steps[i];
    if (!s.is_object()) fail(origin, at, "expected a step object");
    Step step;
    step.where = at;
    step.id = member(s, "id", json::value_t::string, origin, at).get<std::string>();
    step.title = local_text(member(s, "title", json::value_t::object, origin, at), origin, at + "/title");
    step.elements = elements_of(member(s, "elements", json::value_t::array, origin, at), origin, at + "/elements");
    step.rule = rule_of(s, origin, at);
    p.steps.push_back(std::move(step));
  }
  if (ui.contains("computed")) {
    const json& list = member(ui, "computed", json::value_t::array, origin, "/ui");
    for (size_t i = 0; i < list.size(); ++i) {
      std::string at = "/ui/computed/" + std::to_string(i);
      if (!list[i].is_object() || !list[i].contains("expression")) fail(origin, at, "a computed value is {\"scope\": ..., \"expression\": ...}");
      p.computed.push_back({pointer_field(list[i], "scope", origin, at), at, list[i]["expression"], json()});
      if (list[i].contains("messages")) p.computed.back().messages = member(list[i], "messages", json::value_t::object, origin, at);
    }
  }
  if (ui.contains("checks")) {
    const json& list = member(ui, "checks", json::value_t::array, origin, "/ui");
    std::set<std::string> ids;
    for (size_t i = 0; i < list.size(); ++i) {
      std::string at = "/ui/checks/" + std::to_string(i);
      if (!list[i].is_object() || !list[i].contains("expression"))
        fail(origin, at, "a check is {\"id\": ..., \"expression\": ..., \"message\": {...}, \"fields\"?: [...]}");
      Check c;
      c.where = at;
      c.id = member(list[i], "id", json::value_t::string, origin, at).get<std::string>();
      if (!ids.insert(c.id).second) fail(origin, at + "/id", "check id \"" + c.id + "\" is used twice");
      c.expression = list[i]["expression"];
      c.message = local_text(member(list[i], "message", json::value_t::object, origin, at), origin, at + "/message");
      if (list[i].contains("fields")) {
        const json& fields = member(list[i], "fields", json::value_t::array, origin, at);
        if (fields.empty()) fail(origin, at + "/fields", "a check names at least one field its message stands under");
        for (size_t f = 0; f < fields.size(); ++f) {
          std::string fat = at + "/fields/" + std::to_string(f);
          if (!fields[f].is_string() || fields[f].get<std::string>().empty() || fields[f].get<std::string>()[0] != '/')
            fail(origin, fat, "a field is a JSON pointer starting with '/'");
          c.fields.push_back(fields[f].get<std::string>());
        }
      }
      p.checks.push_back(std::move(c));
    }
  }
  if (doc.contains("print")) p.print = print_of(member(doc, "print", json::value_t::object, origin, ""), origin);
  p.meta = meta;
  p.clear_on_hide = ui.value("clearOnHide", true);
  index_controls(p);
  return p;
}

std::vector<ExprProblem> expression_type_problems(const FormPackage& p) {
  std::vector<ExprProblem> out;
  std::vector<std::pair<const json*, std::string>> expressions;
  for (auto& c : p.computed) expressions.push_back({&c.expression, c.where});
  for (auto& c : p.checks) expressions.push_back({&c.expression, c.where});
  for (auto& [expression, where] : expressions) {
    std::vector<ExprInput> inputs;
    try {
      inputs = expression_needs(*expression, where + "/expression");
    } catch (const ExprError&) {
      continue;  // malformed: expression_inputs says so
    }
    for (auto& in : inputs) {
      if (in.meta) {  // a value written once in meta: it must be there, and fit what reads it
        json v;
        try {
          json::json_pointer ptr(in.pointer);
          if (p.meta.contains(ptr)) v = p.meta.at(ptr);
        } catch (const json::exception&) {}
        if (v.is_null()) out.push_back({in.where, "reads meta " + in.pointer + ", which the package's meta does not have"});
        else if (in.needs == "number" && !v.is_number()) out.push_back({in.where, "arithmetic reads meta " + in.pointer + ", which is not a number"});
        continue;
      }
      const json* s = schema_at_scope(p, in.pointer);
      if (!s || !s->is_object() || in.needs.empty()) continue;  // a place the schema does not describe: lint reports it
      std::set<std::string> types;
      if (s->contains("type") && (*s)["type"].is_string()) types.insert((*s)["type"].get<std::string>());
      if (s->contains("type") && (*s)["type"].is_array())
        for (auto& t : (*s)["type"]) if (t.is_string()) types.insert(t.get<std::string>());
      bool number = !types.empty() && std::all_of(types.begin(), types.end(), [](const std::string& t) { return t == "number" || t == "integer"; });
      bool date = types == std::set<std::string>{"string"} && s->value("format", "") == "date";
      if (in.needs == "number" && !number)
        out.push_back({in.where, "arithmetic reads " + in.pointer + ", which is not a number in the schema"});
      if (in.needs == "array" && types != std::set<std::string>{"array"})
        out.push_back({in.where, "\"count\" reads " + in.pointer + ", which is not an array (a repeat) in the schema"});
      if (in.needs == "date" && !date)
        out.push_back({in.where, "\"age\" reads " + in.pointer + ", which is not a date (a string with \"format\": \"date\") in the schema"});
    }
  }
  return out;
}

FormPackage load_package(const std::string& path) {
  json doc;
  try {
    doc = read_json(path);
  } catch (const JsonInputError& e) {
    throw PackageError(e.what());
  }
  FormPackage p = parse_package(doc, path);
  // What could fail at a citizen's tap is refused here, at kiosk start.
  if (auto problems = unusable_parts(p); !problems.empty()) fail(path, problems[0].pointer, problems[0].message);
  return p;
}

std::vector<PackageProblem> unusable_parts(const FormPackage& p) {
  std::vector<PackageProblem> out;
  auto compiles = [&](const json& schema, const std::string& at, const std::string& what) {
    try {
      schema::Validator v(schema, {}, what);
    } catch (const schema::SchemaError& e) {
      out.push_back({at + e.pointer, what + " is unusable: " + (e.reason.empty() ? e.what() : e.reason)});
    } catch (const std::exception& e) {
      out.push_back({at, what + " is unusable: " + e.what()});
    }
  };
  compiles(p.schema, "/schema", "the dossier schema");
  std::function<void(const std::vector<Element>&)> rules = [&](const std::vector<Element>& els) {
    for (auto& e : els) {
      if (e.rule) compiles(e.rule->schema, e.where + "/rule/condition/schema", "the rule's condition schema");
      if (e.prefill_when) compiles(e.prefill_when->schema, e.where + "/prefillWhen/schema", "the prefillWhen condition schema");
      rules(e.elements);
    }
  };
  for (auto& s : p.steps) {
    if (s.rule) compiles(s.rule->schema, s.where + "/rule/condition/schema", "the rule's condition schema");
    rules(s.elements);
  }
  std::vector<std::pair<const json*, std::string>> expressions;
  for (auto& c : p.computed) expressions.push_back({&c.expression, c.where + "/expression"});
  for (auto& c : p.checks) expressions.push_back({&c.expression, c.where + "/expression"});
  for (auto& [expression, at] : expressions) {
    try {
      expression_inputs(*expression, at);
    } catch (const ExprError& e) {
      std::string msg = e.what();
      auto colon = msg.find(": ");
      out.push_back({msg.substr(0, colon), msg.substr(colon + 2)});
    }
  }
  for (auto& t : expression_type_problems(p)) out.push_back({t.pointer, t.message});
  return out;
}

}  // namespace motcua::forms
