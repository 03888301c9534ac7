// `motcua form render FORM.json --out DIR`: a PNG of every step and of the review page, drawn by
// the kiosk's own code in a real window (run it under xvfb-run on a server).
#pragma once
#include <iosfwd>
#include <string>
#include <vector>

namespace motcua {

int render_command(const std::vector<std::string>& args, const std::string& data_root, std::ostream& out,
                   std::ostream& err);

}  // namespace motcua
