// The A4 printer for declarations (config "declarationPrinter"): cups:QUEUE hands the PDF to CUPS
// with lp (A4, one copy), file:DIR keeps a copy there (a shared folder, a test).
// Rule: CUPS accepting the job is "sent", never "printed": no answer comes back from the paper.
#pragma once
#include <string>

namespace motcua {

struct DeclarationSent {
  std::string target;   // as configured: cups:QUEUE or file:DIR
  std::string request;  // CUPS's job id ("a4-12"), or the file written
};

// Throws DeclarationError (terminal/services/declaration_pdf.h) saying why nothing was sent: an
// unknown target, lp missing or refusing, lp silent for 30 s, a folder that cannot be written.
DeclarationSent send_declaration(const std::string& target, const std::string& pdf, const std::string& title);

// True for a target send_declaration takes: "cups:" or "file:" and something after it.
bool declaration_target_ok(const std::string& target);

}  // namespace motcua
