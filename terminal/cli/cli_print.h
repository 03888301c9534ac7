// `motcua print receipt|ticket|apology FILE --to TARGET ...`: ESC/POS for real printers.
#pragma once
#include <iosfwd>
#include <string>
#include <vector>

namespace motcua {

int print_command(const std::vector<std::string>& args, const std::string& data_root, std::ostream& out,
                  std::ostream& err);

extern const char* kPrintHelp;

}  // namespace motcua
