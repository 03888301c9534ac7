// The filled declaration (tờ khai) on A4, for the citizen to sign at the counter: laid out as
// the package's "print" section says (or forms::print_layout's default), shaped by Pango in Noto
// Serif, a QR of the dossier code in the top left corner of every page. PDF, or PNG pages for a
// preview. No UI.
// Rules: a line of text is never cut by a page break (the signature block moves whole); the data
// is printed as given, so check it against the package first (forms/dossier_check.h).
#pragma once
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "forms/package.h"
#include "terminal/core/locale.h"

namespace motcua {

struct Declaration {
  const forms::FormPackage* form = nullptr;
  nlohmann::json data;  // the dossier's data (not the envelope)
  std::string code;     // the dossier code: QR and text on every page; none when empty
  std::string lang = "vi";
  std::string date;     // YYYY-MM-DD of the signature line
};

// A file that cannot be written, fonts that cannot be found: what() says which.
struct DeclarationError : std::runtime_error { using std::runtime_error::runtime_error; };

// Writes the PDF; returns its number of pages.
int write_declaration_pdf(const Declaration& d, const Strings& strings, const std::string& path);

// Writes one PNG per page at `dpi`: `path` itself for a single page, else path with -1, -2...
// before ".png". Returns the files written.
std::vector<std::string> write_declaration_png(const Declaration& d, const Strings& strings, const std::string& path,
                                               double dpi = 150);

}  // namespace motcua
