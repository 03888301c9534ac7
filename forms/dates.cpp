#include "forms/dates.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace motcua::forms {

std::string Ymd::iso() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

int days_in_month(int y, int m) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12) return 0;
  return days[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
}

std::optional<Ymd> parse_ymd(std::string_view t) {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
  Ymd r;
  auto num = [&](size_t at, size_t n, int& out) {
    auto [p, ec] = std::from_chars(t.data() + at, t.data() + at + n, out);
    return ec == std::errc() && p == t.data() + at + n;
  };
  if (!num(0, 4, r.y) || !num(5, 2, r.m) || !num(8, 2, r.d)) return std::nullopt;
  if (r.m < 1 || r.m > 12 || r.d < 1 || r.d > days_in_month(r.y, r.m)) return std::nullopt;
  return r;
}

std::optional<Ymd> resolve_date(std::string_view spec, const Ymd& today) {
  if (spec == "today") return today;
  if (spec.size() >= 3 && (spec[0] == '-' || spec[0] == '+') && spec.back() == 'y') {
    int years = 0;
    auto [p, ec] = std::from_chars(spec.data() + 1, spec.data() + spec.size() - 1, years);
    if (ec != std::errc() || p != spec.data() + spec.size() - 1 || years > 200) return std::nullopt;
    Ymd r = today;
    r.y += spec[0] == '-' ? -years : years;
    r.d = std::min(r.d, days_in_month(r.y, r.m));  // 29 February in a common year
    return r;
  }
  return parse_ymd(spec);
}

DateBounds date_bounds(const Element& c, const Ymd& today) {
  DateBounds b{{1900, 1, 1}, {2100, 12, 31}, today};
  if (auto v = resolve_date(c.date_min, today)) b.min = std::max(*v, b.min);
  if (auto v = resolve_date(c.date_max, today)) b.max = std::min(*v, b.max);
  if (b.max < b.min) b.max = b.min;
  if (auto v = resolve_date(c.date_start, today)) b.start = *v;
  b.start = std::clamp(b.start, b.min, b.max);
  return b;
}

Ymd step_date(Ymd at, int change, const DateBounds& b) {
  switch (change) {
    case 1: case -1: {
      at.d += change;
      int last = days_in_month(at.y, at.m);
      if (at.d < 1) at.d = last;
      if (at.d > last) at.d = 1;  // stepping past the end wraps
      break;
    }
    case 2: case -2: at.m += change / 2; break;
    case 3: case -3: case 30: case -30: at.y += change / 3; break;
    default: return std::clamp(at, b.min, b.max);
  }
  if (at.m < 1) at.m = 12;
  if (at.m > 12) at.m = 1;
  at.d = std::min(at.d, days_in_month(at.y, at.m));
  return std::clamp(at, b.min, b.max);
}

TypedDate read_typed_date(std::string_view text) {
  TypedDate out;
  std::string digits;
  for (char c : text)
    if (c >= '0' && c <= '9' && digits.size() < 8) digits += c;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i == 2 || i == 4) out.shown += '/';
    out.shown += digits[i];
  }
  out.complete = digits.size() == 8;
  if (out.complete) out.date = parse_ymd(digits.substr(4, 4) + "-" + digits.substr(2, 2) + "-" + digits.substr(0, 2));
  return out;
}

std::string dmy(const Ymd& d) {
  char out[16];
  std::snprintf(out, sizeof out, "%02d/%02d/%04d", d.d, d.m, d.y);
  return out;
}

}  // namespace motcua::forms
