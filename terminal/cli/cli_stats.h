// `motcua stats`: the centre's figures from the kiosk's own records, as a table, CSV or JSON.
#pragma once
#include <iosfwd>
#include <string>
#include <vector>

namespace motcua {

int stats_command(const std::vector<std::string>& args, const std::string& data_root, std::ostream& out,
                  std::ostream& err);

extern const char* kStatsHelp;

}  // namespace motcua
