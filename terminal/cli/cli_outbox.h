// `motcua outbox status|list|retry`: the staff's view of the dossiers waiting for the portal.
// Rule: references, states and errors only; never a name, an ID number or an answer.
#pragma once
#include <iosfwd>
#include <string>
#include <vector>

namespace motcua {

int outbox_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

extern const char* kOutboxHelp;

}  // namespace motcua
