#include "forms/package.h"

#include <fstream>

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
  bool ok = it->type() == type ||
            (type == json::value_t::number_integer && it->is_number_integer());
  if (!ok) fail(origin, at + "/" + key, std::string("expected ") + json(type).type_name() +
                                             ", found " + it->type_name());
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

}  // namespace

const std::string& LocalText::in(const std::string& lang) const {
  static const std::string empty;
  if (auto it = by_lang.find(lang); it != by_lang.end()) return it->second;
  if (auto it = by_lang.find("vi"); it != by_lang.end()) return it->second;
  return by_lang.empty() ? empty : by_lang.begin()->second;
}

FormPackage parse_package(const json& doc, const std::string& origin) {
  if (!doc.is_object()) fail(origin, "", "a form package is a JSON object");
  FormPackage p;
  const json& meta = member(doc, "meta", json::value_t::object, origin, "");
  p.id = member(meta, "id", json::value_t::string, origin, "/meta").get<std::string>();
  p.version = member(meta, "version", json::value_t::string, origin, "/meta").get<std::string>();
  p.procedure_code = member(meta, "procedureCode", json::value_t::string, origin, "/meta").get<std::string>();
  p.category = member(meta, "category", json::value_t::string, origin, "/meta").get<std::string>();
  p.title = local_text(member(meta, "title", json::value_t::object, origin, "/meta"), origin, "/meta/title");
  p.processing_days = member(meta, "processingDays", json::value_t::number_integer, origin, "/meta").get<int>();
  p.schema = member(doc, "schema", json::value_t::object, origin, "");

  const json& ui = member(doc, "ui", json::value_t::object, origin, "");
  const json& steps = member(ui, "steps", json::value_t::array, origin, "/ui");
  if (steps.empty()) fail(origin, "/ui/steps", "a form needs at least one step");
  for (size_t i = 0; i < steps.size(); ++i) {
    std::string at = "/ui/steps/" + std::to_string(i);
    const json& s = steps[i];
    if (!s.is_object()) fail(origin, at, "expected a step object");
    Step step;
    step.id = member(s, "id", json::value_t::string, origin, at).get<std::string>();
    step.title = local_text(member(s, "title", json::value_t::object, origin, at), origin, at + "/title");
    const json& elements = member(s, "elements", json::value_t::array, origin, at);
    for (size_t j = 0; j < elements.size(); ++j) {
      std::string eat = at + "/elements/" + std::to_string(j);
      const json& e = elements[j];
      if (!e.is_object()) fail(origin, eat, "expected an element object");
      if (e.value("type", "control") != "control") continue;  // groups, notes: renderer's business
      Control c;
      c.scope = member(e, "scope", json::value_t::string, origin, eat).get<std::string>();
      if (c.scope.empty() || c.scope[0] != '/') fail(origin, eat + "/scope", "a scope is a JSON pointer starting with '/'");
      c.label = local_text(member(e, "label", json::value_t::object, origin, eat), origin, eat + "/label");
      c.widget = e.value("widget", "text");
      step.controls.push_back(std::move(c));
    }
    p.steps.push_back(std::move(step));
  }
  return p;
}

FormPackage load_package(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw PackageError(path + ": cannot open file");
  json doc;
  try {
    doc = json::parse(in);
  } catch (const json::parse_error& e) {
    throw PackageError(path + ": invalid JSON (" + e.what() + ")");
  }
  return parse_package(doc, path);
}

}  // namespace motcua::forms
