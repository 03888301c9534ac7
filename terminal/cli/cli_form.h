// `motcua form ...`: tools for form authors and integrators.
#pragma once
#include <iosfwd>
#include <string>
#include <vector>

namespace motcua {

// args are the words after "form". Returns the exit status: 0 ok/valid, 1 invalid, 2 unusable input.
// data_root holds assets/schemas/form-package.schema.json.
int form_command(const std::vector<std::string>& args, const std::string& data_root, std::ostream& out,
                 std::ostream& err);

extern const char* kFormHelp;

}  // namespace motcua

#include "forms/lint.h"

namespace motcua {

// What `form lint` and `form preview` check a package against beyond itself: the category ids of
// the categories.json beside the file (else the bundled one under data_root) and the kiosk's
// languages (KioskConfig's default locales).
forms::LintContext lint_context(const std::string& form_path, const std::string& data_root);

}  // namespace motcua
