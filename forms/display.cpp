#include "forms/display.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace motcua::forms {

std::string group_thousands(double n, const std::string& lang) {
  char sep = lang == "vi" ? '.' : ',', point = lang == "vi" ? ',' : '.';
  bool negative = n < 0;
  double whole = std::floor(std::fabs(n));
  long long cents = std::llround((std::fabs(n) - whole) * 100);
  if (cents == 100) { whole += 1; cents = 0; }
  char digits[32];
  std::snprintf(digits, sizeof digits, "%.0f", whole);
  std::string d = digits, out;
  for (size_t i = 0; i < d.size(); ++i) {
    if (i > 0 && (d.size() - i) % 3 == 0) out += sep;
    out += d[i];
  }
  if (cents) {
    char frac[8];
    std::snprintf(frac, sizeof frac, "%02lld", cents);
    out += point;
    out += frac;
  }
  return negative ? "-" + out : out;
}

std::string display_value(const FormPackage& form, const Element& control, const std::string& scope, std::string_view text,
                          const std::string& lang) {
  if (text.empty()) return "";
  std::string s(text);
  char* end = nullptr;
  double n = std::strtod(s.c_str(), &end);
  bool number = end && *end == '\0' && std::isfinite(n) && s.find_first_not_of("0123456789-.eE+") == std::string::npos;
  if (!number) return s;
  if (control.widget == "money") return group_thousands(n, lang) + " đ";
  std::string unit = control.unit.empty() ? "" : control.unit.in(lang);
  if (unit.empty())
    for (const Computed& c : form.computed)  // an age needs no unit written by the author
      if (c.scope == scope && c.expression.is_object() && c.expression.contains("age")) unit = lang == "vi" ? "tuổi" : "years";
  std::string shown = std::fabs(n) >= 10000 ? group_thousands(n, lang) : s;
  return unit.empty() ? shown : shown + " " + unit;
}

}  // namespace motcua::forms
