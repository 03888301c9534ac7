// Date bounds of a date control: "min", "max" and "start" as YYYY-MM-DD, "today", or years from
// today ("-18y", "+1y"). Defaults: not before 1900-01-01, not after 2100-12-31, starting today
// (inside the bounds). The kiosk's stepper never leaves them; the model and `form validate`
// refuse a date outside them. No UI.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "forms/package.h"

namespace motcua::forms {

struct Ymd {
  int y = 0, m = 0, d = 0;
  std::string iso() const;  // YYYY-MM-DD
  auto operator<=>(const Ymd&) const = default;
};

// A real calendar date (leap years included), or nothing.
std::optional<Ymd> parse_ymd(std::string_view text);
int days_in_month(int y, int m);

// "today", "-18y", "+1y" or a date; nothing when the text is none of these (lint reports it).
std::optional<Ymd> resolve_date(std::string_view spec, const Ymd& today);

struct DateBounds {
  Ymd min, max, start;
};
DateBounds date_bounds(const Element& control, const Ymd& today);

// A date typed on the digit pad as day, month and year, 8 digits ("05031968"; anything not a
// digit is dropped, digits past the eighth too). `shown` is how far it got, "05/03/19"; `date`
// is set once the 8 digits make a real calendar date (bounds are the caller's).
struct TypedDate {
  std::string shown;
  bool complete = false;
  std::optional<Ymd> date;
};
TypedDate read_typed_date(std::string_view text);
std::string dmy(const Ymd& d);  // 05/03/1968, as the citizen reads and types it

// The date moved by `change` (±1 day, ±2 month, ±3 year, ±30 ten years) and kept inside the
// bounds: days wrap inside the month, a month or year change clamps the day (31 → 30).
Ymd step_date(Ymd at, int change, const DateBounds& b);

}  // namespace motcua::forms
