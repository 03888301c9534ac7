#include "terminal/cli/cli_form.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <fstream>
#include <ostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "forms/dossier_check.h"
#include "forms/json_input.h"
#include "forms/json_positions.h"
#include "forms/package.h"
#include "forms/lint.h"
#include "forms/schema/messages.h"
#include "forms/schema/validator.h"
#include "terminal/cli/cli_declaration.h"
#include "terminal/cli/cli_preview.h"
#include "terminal/cli/cli_render.h"
#include "terminal/core/config.h"
#include "terminal/core/input.h"

namespace motcua {

using nlohmann::json;

const char* kFormHelp = R"(Form tools:
  motcua form validate SCHEMA.json DATA.json [--lang vi|en] [--format-assert] [--map-uri PREFIX=DIR]...
  motcua form validate SCHEMA.json --jsonl FILE [options]   one instance per line, one result per line
  motcua form validate PACKAGE.json DOSSIER.json [--today YYYY-MM-DD] [options]
      prints {"valid": bool, "errors": [{instanceLocation, keywordLocation, keyword, params, message}]}
      a form package (meta, schema, ui) is recognised: its rules are evaluated again (keyword
      "hidden": an answer in a field they hide), computed values recomputed ("computed": a forged
      age or fee) at --today (default: today), the package's cross-field checks run ("check"),
      then the schema; DOSSIER is the kiosk's dossier or its bare data (up to 1000 levels deep)
      exit 0 valid, 1 invalid, 2 unusable input (unreadable file, bad JSON, bad schema or package,
      a dossier of another form or version)
  motcua form lint FORM.json|DIR...
      checks each form package (every *.json of a DIR); prints FILE:LINE:COL: error|warning: POINTER: message
      also: meta.category is in the catalog's categories.json, messages' keywords and {placeholders}
      are known, no form id is used by two of the files, every language the kiosk offers is there
      exit 0 clean (warnings allowed), 1 errors found, 2 a file cannot be read or is not JSON
  motcua form render FORM.json --out DIR [--lang vi|en] [--data DATA.json]
      a PNG of every step and of the review page, drawn by the kiosk itself (needs a display:
      use xvfb-run on a server); a step taller than the screen as numbered screenfuls
      step-N.png, step-N-2.png, ...; --data fills the fields with sample answers, repeats included
  motcua form preview FORM.json [--lang vi|en] [--windowed WxH] [--seconds S]
      the form in a window as citizens see it; reloads when the file is saved and shows its lint
      errors on screen and as FILE:LINE:COL (keeping the last good version); --seconds stops it
      (prints a JSON report)
  motcua form print FORM.json --data DATA.json --out FILE.pdf|FILE.png [--code CODE] [--lang vi|en] [--today YYYY-MM-DD]
                    [--to cups:QUEUE|file:DIR]
      the filled declaration (tờ khai) on A4 as the package's "print" section lays it out, to sign
      at the counter; --code puts the dossier code and its QR on every page; a .png preview is
      one file per page (FILE-1.png, FILE-2.png... when there are several), 150 dpi
      DATA is the kiosk's dossier or its bare data and must pass the package's own check
      --to sends the PDF on: cups:QUEUE through lp (A4; "status": "sent" with CUPS's "request"
      id: CUPS accepting a job is not paper printed), file:DIR copies it there
      prints {"pages": N, "files": [...]}; exit 0 written (and sent), 1 written but not sent
      ("status": "failed", "problem"), 2 unusable input (a file that cannot be read, bad JSON or
      package, data that does not pass, an output that cannot be written)
)";

namespace {

using Unusable = InputError;

json result_of(const schema::Validator& v, const json& instance, const std::string& lang) {
  json errors = json::array();
  for (auto& e : v.validate(instance))
    errors.push_back({{"instanceLocation", e.instance_location}, {"keywordLocation", e.keyword_location},
                      {"keyword", e.keyword}, {"params", e.params}, {"message", schema::error_message(e, lang)}});
  return {{"valid", errors.empty()}, {"errors", errors}};
}

// Data to validate may follow a recursive schema hundreds of levels down (a tree, an org chart):
// deeper than any package or configuration, still far inside what the validator's bound
// (forms/schema/validate.cpp) and the stack allow. docs/limits.md.
constexpr size_t kMaxInstanceDepth = 1000;

int validate(const std::vector<std::string>& args, std::ostream& out, std::ostream& /*err: unusable input is thrown to the caller*/) {
  std::vector<std::string> files;
  std::string lang = "vi", jsonl, today = local_time("%Y-%m-%d");
  schema::Options options;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&]() {
      if (i + 1 >= args.size()) throw Unusable(a + " needs a value");
      return args[++i];
    };
    if (a == "--lang") {
      lang = value();
      if (lang != "vi" && lang != "en") throw Unusable("--lang: expected vi or en, got \"" + lang + "\"");
    } else if (a == "--format-assert") {
      options.format_assertion = true;
    } else if (a == "--map-uri") {
      std::string m = value();
      auto eq = m.find('=');
      if (eq == std::string::npos || eq == 0) throw Unusable("--map-uri: expected PREFIX=DIR, got \"" + m + "\"");
      options.uri_map.push_back({m.substr(0, eq), m.substr(eq + 1)});
    } else if (a == "--today") {
      today = value();
      if (today.size() != 10 || today[4] != '-' || today[7] != '-') throw Unusable("--today: expected YYYY-MM-DD, got \"" + today + "\"");
    } else if (a == "--jsonl") {
      jsonl = value();
    } else if (!a.empty() && a[0] == '-') {
      throw Unusable("form validate: unknown option '" + a + "'");
    } else {
      files.push_back(a);
    }
  }
  if (files.empty() || files.size() > 2 || (files.size() == 2) == !jsonl.empty())
    throw Unusable("form validate: give SCHEMA.json and DATA.json, or SCHEMA.json --jsonl FILE");

  json schema_doc = read_json_file(files[0]);
  std::unique_ptr<schema::Validator> v;
  std::optional<forms::FormPackage> package;
  if (forms::looks_like_package(schema_doc)) {
    // A whole package: never its bare JSON read as a schema (that accepts anything).
    try {
      package = forms::parse_package(schema_doc, files[0]);
    } catch (const forms::PackageError& e) {
      throw Unusable(e.what());
    }
    schema_doc = package->schema;
  } else if (schema_doc.is_object() && (schema_doc.contains("ui") || schema_doc.contains("meta"))) {
    throw Unusable(files[0] + ": has \"ui\" or \"meta\" but is not a whole form package (meta, schema, ui)");
  }
  try {
    v = std::make_unique<schema::Validator>(schema_doc, options, files[0]);
  } catch (const schema::SchemaError& e) {
    throw Unusable(e.what());
  }
  auto check = [&](const json& instance) {
    if (!package) return result_of(*v, instance, lang);
    json errors = json::array();
    try {
      for (auto& e : forms::check_dossier(*package, instance, today, lang, options))
        errors.push_back({{"instanceLocation", e.instance_location}, {"keywordLocation", e.keyword_location},
                          {"keyword", e.keyword}, {"params", e.params}, {"message", e.message}});
    } catch (const forms::DossierMismatch& e) {
      throw Unusable(std::string(e.what()));
    }
    return json{{"valid", errors.empty()}, {"errors", errors}};
  };
  if (jsonl.empty()) {
    json data;
    try {
      data = forms::read_json(files[1], kMaxInstanceDepth);
    } catch (const forms::JsonInputError& e) {
      throw Unusable(e.what());
    }
    json r = check(data);
    out << r.dump(2) << "\n";
    return r["valid"] ? 0 : 1;
  }
  std::ifstream in(jsonl);
  if (!in) throw Unusable(jsonl + ": cannot open file");
  int status = 0;
  std::string line;
  for (long n = 1; std::getline(in, line); ++n) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    json instance;
    try {
      instance = forms::parse_json(line, kMaxInstanceDepth);  // bounded: the validator compares values recursively
    } catch (const forms::JsonInputError&) {
      instance = json(json::value_t::discarded);
    }
    if (instance.is_discarded()) {
      // One bad line is reported and the rest still checked: nothing is skipped silently.
      out << json{{"line", n}, {"error", jsonl + ":" + std::to_string(n) + ": invalid JSON"}}.dump() << "\n";
      status = 2;
      continue;
    }
    json r;
    try {
      r = check(instance);
    } catch (const Unusable& e) {
      out << json{{"line", n}, {"error", jsonl + ":" + std::to_string(n) + ": " + e.what()}}.dump() << "\n";
      status = 2;
      continue;
    }
    r["line"] = n;
    if (!r["valid"] && status == 0) status = 1;
    out << r.dump() << "\n";
  }
  return status;
}

int lint(const std::vector<std::string>& args, const std::string& data_root, std::ostream& out) {
  if (args.empty()) throw Unusable("form lint: give one or more FORM.json files or folders");
  std::vector<std::string> files;
  for (auto& a : args) {
    if (!std::filesystem::is_directory(a)) {
      files.push_back(a);
      continue;
    }
    // A catalog folder: its packages, not its index files or signatures.
    std::vector<std::string> found;
    for (auto& e : std::filesystem::directory_iterator(a))
      if (e.path().extension() == ".json" && e.path().filename() != "categories.json") found.push_back(e.path().string());
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  json package_schema = read_json_file(data_root + "/assets/schemas/form-package.schema.json");
  int status = 0;
  std::map<std::string, std::string> ids;  // form id -> the first file that has it
  for (auto& path : files) {
    std::ifstream in(path);
    if (!in) throw Unusable(path + ": cannot open file");
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    json doc = json::parse(text, nullptr, false);
    if (doc.is_discarded()) {
      try {
        json again = json::parse(text);  // throws: the parse above failed; this one says where
      } catch (const json::parse_error& e) {
        // nlohmann counts bytes; turn its offset into a line and column like the other messages.
        size_t line = 1, col = 1;
        for (size_t i = 0; i + 1 < e.byte && i < text.size(); ++i) { if (text[i] == '\n') { ++line; col = 1; } else { ++col; } }
        out << path << ":" << line << ":" << col << ": error: /: invalid JSON\n";
      }
      status = 2;
      continue;
    }
    auto positions = forms::json_positions(text);
    auto issues = forms::lint_package(doc, package_schema, lint_context(path, data_root));
    // Two packages with one id: a kiosk would show one of them, and dossiers could not say which.
    if (doc.is_object() && doc.contains("meta") && doc["meta"].is_object() && doc["meta"].contains("id") && doc["meta"]["id"].is_string()) {
      std::string id = doc["meta"]["id"].get<std::string>();
      auto [it, fresh] = ids.emplace(id, path);
      if (!fresh) issues.push_back({true, "/meta/id", "form id \"" + id + "\" is also the id of " + it->second + ": every package needs its own"});
    }
    auto line_of = [&](const forms::LintIssue& i) {
      auto p = forms::position_of(positions, i.pointer);
      return std::pair(p.line, p.column);
    };
    std::stable_sort(issues.begin(), issues.end(), [&](auto& a, auto& b) { return line_of(a) < line_of(b); });
    for (auto& issue : issues) {
      auto pos = forms::position_of(positions, issue.pointer);
      out << path << ":" << pos.line << ":" << pos.column << ": " << (issue.error ? "error" : "warning") << ": "
          << (issue.pointer.empty() ? "/" : issue.pointer) << ": " << issue.message << "\n";
      if (issue.error && status == 0) status = 1;
    }
  }
  return status;
}

}  // namespace

forms::LintContext lint_context(const std::string& form_path, const std::string& data_root) {
  forms::LintContext c;
  c.kiosk_languages = KioskConfig{}.locales;
  std::string beside = (std::filesystem::path(form_path).parent_path() / "categories.json").string();
  std::string file = std::filesystem::exists(beside) ? beside : data_root + "/assets/forms/categories.json";
  try {
    json doc = read_json_file(file);
    if (doc.contains("categories") && doc["categories"].is_array())
      for (auto& cat : doc["categories"])
        if (cat.is_object() && cat.contains("id") && cat["id"].is_string()) c.categories.push_back(cat["id"].get<std::string>());
  } catch (const std::exception&) {
    // No catalog to check against (a form drafted on its own): categories are not checked.
  }
  return c;
}

int form_command(const std::vector<std::string>& args, const std::string& data_root, std::ostream& out,
                 std::ostream& err) {
  try {
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
      (args.empty() ? err : out) << kFormHelp;
      return args.empty() ? 2 : 0;
    }
    if (args[0] == "validate") return validate({args.begin() + 1, args.end()}, out, err);
    if (args[0] == "lint") return lint({args.begin() + 1, args.end()}, data_root, out);
    if (args[0] == "render") return render_command({args.begin() + 1, args.end()}, data_root, out, err);
    if (args[0] == "preview") return preview_command({args.begin() + 1, args.end()}, data_root, out, err);
    if (args[0] == "print") return declaration_command({args.begin() + 1, args.end()}, data_root, out, err);
    throw Unusable("form: unknown command '" + args[0] + "'");
  } catch (const Unusable& e) {
    err << "motcua: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace motcua
