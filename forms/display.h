// How a value the citizen does not type reads on screen and on the review: money with thousands
// separators and "đ" (1.250.000 đ), an age in years (45 tuổi), other numbers grouped. No UI.
#pragma once
#include <string>
#include <string_view>

#include "forms/package.h"

namespace motcua::forms {

// 1250000 → "1.250.000" (vi) or "1,250,000" (other languages); fractions keep two digits.
std::string group_thousands(double n, const std::string& lang);

// `text` is the value as the kiosk keeps it (a number as digits). Empty text gives "".
std::string display_value(const FormPackage& form, const Element& control, const std::string& scope, std::string_view text,
                          const std::string& lang);

}  // namespace motcua::forms
