// `motcua card list|read`: the chip card reader from the command line, for staff and tests.
// Rule: personal fields go to standard output only, as the asked-for JSON; error messages
// name the reader and the step, never a field or a key.
#pragma once
#include <iosfwd>
#include <string>
#include <vector>

namespace motcua {

int card_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

extern const char* kCardHelp;

}  // namespace motcua
