// `motcua form print FORM.json --data DATA.json --out FILE.pdf|FILE.png`: the filled declaration
// on A4 (terminal/services/declaration_pdf.h), for form authors to see what a citizen will sign.
#pragma once
#include <iosfwd>
#include <string>
#include <vector>

namespace motcua {

int declaration_command(const std::vector<std::string>& args, const std::string& data_root, std::ostream& out,
                        std::ostream& err);

}  // namespace motcua
