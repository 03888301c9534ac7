#include "forms/widget_values.h"

#include <cstdio>

#include "forms/display.h"
#include "forms/schema/formats.h"

namespace motcua::forms {

namespace {
bool two_digits(std::string_view t, size_t at) {
  return at + 2 <= t.size() && t[at] >= '0' && t[at] <= '9' && t[at + 1] >= '0' && t[at + 1] <= '9';
}
std::string hh_mm(TimeOfDay t) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d", t.h % 100, t.m % 100);
  return buf;
}
std::string format_of(const nlohmann::json* schema) {
  return schema && schema->is_object() && schema->contains("format") && (*schema)["format"].is_string()
             ? (*schema)["format"].get<std::string>()
             : std::string();
}
}  // namespace

std::optional<TimeOfDay> parse_time_of_day(std::string_view t) {
  if (t.size() < 5 || !two_digits(t, 0) || t[2] != ':' || !two_digits(t, 3)) return std::nullopt;
  if (t.size() > 5 && !schema::valid_time(t)) return std::nullopt;
  TimeOfDay r{(t[0] - '0') * 10 + (t[1] - '0'), (t[3] - '0') * 10 + (t[4] - '0')};
  if (r.h > 23 || r.m > 59) return std::nullopt;
  return r;
}

TimeOfDay step_time(std::optional<TimeOfDay> at, int change) {
  TimeOfDay t = at.value_or(kTimeStart);
  if (change == 60 || change == -60) t.h = ((t.h + change / 60) % 24 + 24) % 24;
  else if (change == 1 || change == -1 || change == 10 || change == -10) t.m = ((t.m + change) % 60 + 60) % 60;
  return t;
}

std::string time_value(TimeOfDay t, const nlohmann::json* schema, std::string_view utc_offset) {
  if (format_of(schema) != "time") return hh_mm(t);
  // %z gives "+0700"; RFC 3339 wants "+07:00". Anything else: the kiosk's clock is UTC.
  std::string offset = "Z";
  if (utc_offset.size() == 5 && (utc_offset[0] == '+' || utc_offset[0] == '-') && two_digits(utc_offset, 1) && two_digits(utc_offset, 3))
    offset = std::string(utc_offset.substr(0, 3)) + ":" + std::string(utc_offset.substr(3, 2));
  if (offset == "+00:00" || offset == "-00:00") offset = "Z";
  return hh_mm(t) + ":00" + offset;
}

std::string time_shown(std::string_view text) {
  auto t = parse_time_of_day(text);
  return t ? hh_mm(*t) : std::string();
}

bool tick_value(std::string_view text) { return text == "true"; }

std::string money_key(std::string_view digits, std::string_view key) {
  std::string out(digits);
  if (key == "backspace") {
    if (!out.empty()) out.pop_back();
  } else if (key.size() == 1 && key[0] >= '0' && key[0] <= '9') {
    if (out == "0") out.clear();  // "0" then "5" is 5, not 05
    if (out.size() < 13) out.push_back(key[0]);
  }
  return out;
}

std::string money_shown(std::string_view digits, const std::string& lang) {
  if (digits.empty()) return "";
  double n = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::string(digits);  // not typed on the pad (a default, a card): as it is
    n = n * 10 + (c - '0');
  }
  return group_thousands(n, lang) + " đ";
}

std::optional<std::string> format_error(const Element& control, const nlohmann::json* schema, const nlohmann::json& value,
                                        const std::string& lang) {
  if (!value.is_string() || value.get<std::string>().empty()) return std::nullopt;
  const std::string& text = value.get_ref<const std::string&>();
  std::string format = format_of(schema);
  bool vi = lang == "vi";
  std::optional<std::string> fallback;
  if (format == "email" || (control.widget == "email" && format.empty())) {
    // A public address has a dotted domain: "an@gmail" is a slip (RFC 5321 would let it pass).
    size_t at = text.rfind('@');
    bool dotted = at != std::string::npos && text.find('.', at) != std::string::npos && text.back() != '.';
    if (schema::valid_email(text) && dotted) return std::nullopt;
    fallback = vi ? "Địa chỉ thư điện tử chưa đúng. Viết liền, có một dấu @, ví dụ: nguyenvanan@gmail.com."
                  : "This is not an e-mail address. Write it without spaces, with one @, for example nguyenvanan@gmail.com.";
  } else if (format == "time" || control.widget == "time") {
    bool ok = format == "time" ? schema::valid_time(text) : parse_time_of_day(text) && text.size() == 5;
    if (ok) return std::nullopt;
    fallback = vi ? "Giờ chưa đúng. Chọn giờ và phút bằng các nút + và –." : "This is not a time. Set the hour and minute with + and –.";
  } else {
    return std::nullopt;
  }
  // The form's own words first, as for every other keyword.
  if (control.messages.is_object() && control.messages.contains("format")) {
    const auto& m = control.messages["format"];
    if (m.is_string()) return m.get<std::string>();
    if (m.is_object()) {
      if (m.contains(lang) && m[lang].is_string()) return m[lang].get<std::string>();
      if (m.contains("vi") && m["vi"].is_string()) return m["vi"].get<std::string>();
    }
  }
  return fallback;
}

}  // namespace motcua::forms
