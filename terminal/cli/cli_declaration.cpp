#include "terminal/cli/cli_declaration.h"

#include <filesystem>
#include <ostream>

#include <nlohmann/json.hpp>

#include "forms/dossier_check.h"
#include "forms/json_input.h"
#include "forms/package.h"
#include "terminal/core/input.h"
#include "terminal/core/locale.h"
#include "terminal/services/declaration_pdf.h"
#include "terminal/services/declaration_printer.h"

namespace motcua {

using nlohmann::json;
using Unusable = InputError;

int declaration_command(const std::vector<std::string>& args, const std::string& data_root, std::ostream& out,
                        std::ostream& err) {
  std::string form_file, data_file, out_file, code, target, lang = "vi", today = local_time("%Y-%m-%d");
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&]() {
      if (i + 1 >= args.size()) throw Unusable(a + " needs a value");
      return args[++i];
    };
    if (a == "--data") data_file = value();
    else if (a == "--out") out_file = value();
    else if (a == "--code") code = value();
    else if (a == "--lang") lang = value();
    else if (a == "--today") today = value();
    else if (a == "--to") target = value();
    else if (!a.empty() && a[0] == '-') throw Unusable("form print: unknown option '" + a + "'");
    else if (form_file.empty()) form_file = a;
    else throw Unusable("form print: one FORM.json at a time");
  }
  if (form_file.empty() || data_file.empty() || out_file.empty())
    throw Unusable("form print: give FORM.json --data DATA.json --out FILE.pdf|FILE.png");
  if (lang != "vi" && lang != "en") throw Unusable("--lang: expected vi or en, got \"" + lang + "\"");
  if (today.size() != 10 || today[4] != '-' || today[7] != '-') throw Unusable("--today: expected YYYY-MM-DD, got \"" + today + "\"");
  std::string ext = std::filesystem::path(out_file).extension().string();
  if (ext != ".pdf" && ext != ".png") throw Unusable("--out: expected a FILE.pdf or a FILE.png preview, got \"" + out_file + "\"");
  if (!target.empty() && (ext != ".pdf" || !declaration_target_ok(target)))
    throw Unusable("--to: expected cups:QUEUE or file:DIR, with --out FILE.pdf (got \"" + target + "\")");

  forms::FormPackage form;
  json data;
  try {
    form = forms::load_package(form_file);
    data = forms::read_json(data_file);
  } catch (const forms::PackageError& e) {
    throw Unusable(e.what());
  } catch (const forms::JsonInputError& e) {
    throw Unusable(e.what());
  }
  // A declaration to be signed says only what the kiosk would submit: the data must pass the
  // package's whole check (rules, computed values, cross-field checks, schema).
  try {
    auto errors = forms::check_dossier(form, data, today, lang);
    if (!errors.empty())
      throw Unusable(data_file + ": " + (errors[0].instance_location.empty() ? "/" : errors[0].instance_location) + ": " +
                     errors[0].message + (errors.size() > 1 ? " (and " + std::to_string(errors.size() - 1) + " more)" : ""));
  } catch (const forms::DossierMismatch& e) {
    throw Unusable(data_file + ": " + e.what());
  }
  Declaration d;
  d.form = &form;
  d.data = data.is_object() && data.contains("data") && data.contains("formId") ? data["data"] : data;
  d.code = code;
  d.lang = lang;
  d.date = today;
  Strings strings = Strings::load(data_root + "/locales", {lang});
  json report = {{"pages", 0}, {"files", json::array()}};
  try {
    if (ext == ".pdf") {
      report["pages"] = write_declaration_pdf(d, strings, out_file);
      report["files"].push_back(out_file);
    } else {
      auto files = write_declaration_png(d, strings, out_file);
      report["pages"] = files.size();
      for (auto& f : files) report["files"].push_back(f);
    }
  } catch (const DeclarationError& e) {
    throw Unusable(e.what());
  }
  if (target.empty()) {
    out << report.dump() << "\n";
    return 0;
  }
  // Sent, not printed: CUPS says nothing back about the paper.
  try {
    DeclarationSent sent = send_declaration(target, out_file, form.title.in(lang));
    report["status"] = "sent";
    report["target"] = sent.target;
    report["request"] = sent.request;
    out << report.dump() << "\n";
    return 0;
  } catch (const DeclarationError& e) {
    report["status"] = "failed";
    report["problem"] = e.what();
    out << report.dump() << "\n";
    err << "motcua: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace motcua
