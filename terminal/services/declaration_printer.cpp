#include "terminal/services/declaration_printer.h"

#include <filesystem>

#include "devices/printer/lp.h"
#include "devices/printer/transport.h"
#include "terminal/services/declaration_pdf.h"

namespace motcua {

bool declaration_target_ok(const std::string& target) {
  return (target.rfind("cups:", 0) == 0 || target.rfind("file:", 0) == 0) && target.size() > 5;
}

DeclarationSent send_declaration(const std::string& target, const std::string& pdf, const std::string& title) {
  if (!declaration_target_ok(target)) throw DeclarationError("printer \"" + target + "\": expected cups:QUEUE or file:DIR");
  std::string where = target.substr(5);
  if (target.rfind("file:", 0) == 0) {
    std::string file = (std::filesystem::path(where) / std::filesystem::path(pdf).filename()).string();
    std::error_code ec;
    std::filesystem::copy_file(pdf, file, std::filesystem::copy_options::overwrite_existing, ec);
    if (ec) throw DeclarationError(target + ": cannot write " + file + ": " + ec.message());
    // The copy is for whoever takes it from the folder (a print server's account, staff): it may
    // be read by the folder's group when the folder lets its group in, never by everyone, since it
    // holds personal data. A folder of the kiosk's own (0700) keeps it owner-only.
    namespace fs = std::filesystem;
    fs::perms folder = fs::status(where, ec).permissions();
    fs::perms mode = fs::perms::owner_read | fs::perms::owner_write;
    if (!ec && (folder & fs::perms::group_exec) != fs::perms::none) mode |= fs::perms::group_read;
    fs::permissions(file, mode, fs::perm_options::replace, ec);
    if (ec) throw DeclarationError(target + ": cannot set who may read " + file + ": " + ec.message());
    return {target, file};
  }
  printer::LpRun run;
  try {
    run = printer::run_lp({"-d", where, "-n", "1", "-o", "media=A4", "-t", title, "--", pdf}, target);
  } catch (const printer::PrintError& e) {
    throw DeclarationError(e.what());
  }
  if (!run.ok()) throw DeclarationError(target + ": lp refused the job: " + run.why());
  const std::string& said = run.said;
  // "request id is a4-12 (1 file(s))"
  std::string id;
  if (auto at = said.find("request id is "); at != std::string::npos) id = said.substr(at + 14, said.find(' ', at + 14) - at - 14);
  return {target, id};
}

}  // namespace motcua
