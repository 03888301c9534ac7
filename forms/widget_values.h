// What the kiosk keeps for the widgets that are not free text, and how it reads back: a time of
// day (steppers, no typing), a single yes/no tick, an e-mail address and a money amount typed on
// the digit pad. The session stores text; these turn it into the dossier's value and into what
// the screen shows. No UI.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "forms/package.h"

namespace motcua::forms {

struct TimeOfDay {
  int h = 0, m = 0;
  auto operator<=>(const TimeOfDay&) const = default;
};

// "HH:MM", or an RFC 3339 full-time ("08:30:00+07:00") whose hour and minute are read; nothing else.
std::optional<TimeOfDay> parse_time_of_day(std::string_view text);
// Where a time picker starts when nothing is set: 08:00, when the centres open.
constexpr TimeOfDay kTimeStart{8, 0};
// The time moved by `change`: ±1 or ±10 minutes (the minute wraps inside the hour, 55 + 10 → 05),
// ±60 one hour (the hour wraps inside the day, 23 → 00). Unset: the start itself, then the change.
TimeOfDay step_time(std::optional<TimeOfDay> at, int change);
// The dossier's text for `t` under the schema at the control's scope: "HH:MM", or with
// "format": "time" (RFC 3339 full-time, which needs seconds and an offset) "HH:MM:00+07:00",
// the offset being the kiosk's (`utc_offset` as strftime's %z gives it, "+0700").
std::string time_value(TimeOfDay t, const nlohmann::json* schema, std::string_view utc_offset);
// As people read it: "08:30"; "" when the text is no time.
std::string time_shown(std::string_view text);

// A yes/no tick keeps "true" when ticked and "" when not; the dossier gets true or false.
bool tick_value(std::string_view text);
inline const char* toggled_tick(std::string_view text) { return tick_value(text) ? "" : "true"; }

// A money amount as it is typed: digits only, no leading zero, at most 13 digits (under ten
// thousand billion đồng). Returns the text after `key` ("0".."9", "backspace"); others change nothing.
std::string money_key(std::string_view digits, std::string_view key);
// As a bill writes it while typing: "1.250.000 đ" (vi), "1,250,000 đ" (en); "" when empty.
std::string money_shown(std::string_view digits, const std::string& lang);

// The format error of a widget's value, or nothing: an e-mail address that is not one (the
// schema's "format": "email", and a dotted domain: "an@gmail" is a slip), a time that is not one ("format": "time" or the time widget).
// Messages in the kiosk's words unless the control gives its own `messages.format`.
std::optional<std::string> format_error(const Element& control, const nlohmann::json* schema, const nlohmann::json& value,
                                        const std::string& lang);

}  // namespace motcua::forms
