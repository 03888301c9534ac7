#include "forms/dossier_check.h"

#include "forms/expr.h"
#include "forms/model.h"
#include "forms/schema/messages.h"
#include "forms/schema/uri.h"

namespace motcua::forms {

using nlohmann::json;

bool looks_like_package(const json& doc) {
  return doc.is_object() && doc.contains("ui") && doc.contains("schema") && doc.contains("meta");
}

std::vector<DossierError> check_dossier(const FormPackage& form, const json& instance, const std::string& today,
                                        const std::string& lang, const schema::Options& options) {
  bool vi = lang == "vi";
  json data = instance;
  if (instance.is_object() && instance.contains("formId") && instance.contains("data")) {
    // A whole dossier names what it was filled against; checking it against anything else is no answer.
    if (instance["formId"] != form.id)
      throw DossierMismatch("the dossier is for form " + instance["formId"].dump() + ", the package is \"" + form.id + "\"");
    if (instance.contains("formVersion") && instance["formVersion"] != form.version)
      throw DossierMismatch("the dossier is for version " + instance["formVersion"].dump() + ", the package is " + form.version);
    if (instance.contains("schemaSha256") && instance["schemaSha256"] != schema_sha256(form.schema))
      throw DossierMismatch("the dossier's schemaSha256 is not this package's schema");
    data = instance["data"];
  }
  if (auto problems = unusable_parts(form); !problems.empty())
    throw DossierMismatch("the package is unusable: " + problems[0].pointer + ": " + problems[0].message);
  std::vector<DossierError> out;
  FormModel model(form, today);
  // The model as the kiosk would hold it: the data as given, computed values worked out again.
  if (data.is_object())
    for (auto& [key, value] : data.items())
      if (!value.is_null()) {
        std::string scope = "/";
        scope.append(schema::pointer_escape(key));  // appended, not "+": g++ 12 -Wrestrict false positive (GCC 105329)
        model.set(scope, value, Source::Card);
      }
  for (auto& c : form.computed) {
    json given, expected = model.value(c.scope);
    try {
      json::json_pointer p(c.scope);
      if (data.is_object() && data.contains(p)) given = data.at(p);
    } catch (const json::exception&) {}
    if (given == expected) continue;
    std::string g = given.is_null() ? (vi ? "không có" : "nothing") : given.dump();
    std::string x = expected.is_null() ? (vi ? "không có" : "nothing") : expected.dump();
    out.push_back({c.scope, c.where + "/expression", "computed", {{"given", given}, {"computed", expected}},
                   vi ? "Giá trị tự tính không khớp: hồ sơ ghi " + g + ", biểu mẫu tính ra " + x + "."
                      : "Computed value does not match: the dossier says " + g + ", the form computes " + x + "."});
  }
  if (form.clear_on_hide) {
    // What the rules hide is never submitted: the model drops it, so whatever it drops was forged.
    json kept = model.data();
    for (auto& op : json::diff(model.values(), kept))
      if (op["op"] == "remove")
        out.push_back({op["path"].get<std::string>(), "/ui", "hidden", json::object(),
                       vi ? "Có câu trả lời cho mục mà quy tắc của biểu mẫu đang ẩn." : "An answer is given for a field the form's rules hide."});
  }
  for (size_t step = 0; step < form.steps.size(); ++step)
  {
    for (auto& e : model.date_errors(step, lang))
      out.push_back({e.scope, "/ui", e.keyword, json::object(), e.message});
    if (!options.format_assertion)  // else the schema's own validation reports them
      for (auto& e : model.format_errors(step, lang))
        out.push_back({e.scope, "/ui", e.keyword, json::object(), e.message});
  }
  for (const Check* c : model.failing_checks()) {
    std::vector<std::string> fields = c->fields.empty() ? expression_inputs(c->expression) : c->fields;
    out.push_back({fields.front(), c->where + "/expression", "check", {{"check", c->id}, {"fields", fields}}, c->message.in(lang)});
  }
  schema::Validator v(form.schema, options, form.id);
  for (auto& e : v.validate(data))
    out.push_back({e.instance_location, e.keyword_location, e.keyword, e.params, schema::error_message(e, lang)});
  model.wipe();
  return out;
}

}  // namespace motcua::forms
