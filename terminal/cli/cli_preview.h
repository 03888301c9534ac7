// `motcua form preview FORM.json`: the form as citizens will see it, in a window that reloads
// when the file changes and shows its lint errors on screen.
#pragma once
#include <iosfwd>
#include <string>
#include <vector>

namespace motcua {

int preview_command(const std::vector<std::string>& args, const std::string& data_root, std::ostream& out,
                    std::ostream& err);

}  // namespace motcua
