#include "forms/schema/formats.h"

#include <cctype>
#include <cstdlib>
#include <algorithm>
#include <cstdint>
#include <map>

#include <utf8proc.h>

namespace motcua::schema {

namespace {

bool digits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return false;
  for (size_t i = pos; i < pos + n; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

// The value of n characters every caller has checked are digits (no copy: dates are checked
// on every validation).
int num(std::string_view s, size_t pos, size_t n) {
  int v = 0;
  for (size_t i = pos; i < pos + n && i < s.size(); ++i) v = v * 10 + (s[i] - '0');
  return v;
}

bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }


// RFC 3492 Punycode; false on malformed input.
bool punycode_decode(std::string_view in, std::u32string& out) {
  const uint32_t base = 36, tmin = 1, tmax = 26, skew = 38, damp = 700;
  uint32_t n = 128, bias = 72, i = 0;
  size_t b = in.rfind('-');
  if (b == std::string_view::npos) b = 0;
  for (size_t j = 0; j < b; ++j) {
    if (static_cast<unsigned char>(in[j]) >= 0x80) return false;
    out.push_back(static_cast<unsigned char>(in[j]));
  }
  auto adapt = [&](uint32_t delta, uint32_t points, bool first) {
    delta = first ? delta / damp : delta / 2;
    delta += delta / points;
    uint32_t k = 0;
    while (delta > ((base - tmin) * tmax) / 2) { delta /= base - tmin; k += base; }
    return k + (base - tmin + 1) * delta / (delta + skew);
  };
  for (size_t in_pos = b > 0 ? b + 1 : 0; in_pos < in.size();) {
    uint32_t old_i = i, w = 1;
    for (uint32_t k = base;; k += base) {
      if (in_pos >= in.size()) return false;
      char c = in[in_pos++];
      uint32_t digit = (c >= '0' && c <= '9') ? static_cast<uint32_t>(c - '0' + 26)
                     : (c >= 'a' && c <= 'z') ? static_cast<uint32_t>(c - 'a')
                     : (c >= 'A' && c <= 'Z') ? static_cast<uint32_t>(c - 'A') : base;
      if (digit >= base || digit > (0xFFFFFFFFu - i) / w) return false;
      i += digit * w;
      uint32_t t = k <= bias ? tmin : k >= bias + tmax ? tmax : k - bias;
      if (digit < t) break;
      if (w > 0xFFFFFFFFu / (base - t)) return false;
      w *= base - t;
    }
    uint32_t len = static_cast<uint32_t>(out.size()) + 1;
    bias = adapt(i - old_i, len, old_i == 0);
    if (i / len > 0x10FFFF - n) return false;
    n += i / len;
    i %= len;
    if (n > 0x10FFFF || (n >= 0xD800 && n <= 0xDFFF)) return false;
    out.insert(out.begin() + i, static_cast<char32_t>(n));
    ++i;
  }
  return true;
}

bool in(char32_t c, char32_t lo, char32_t hi) { return c >= lo && c <= hi; }
bool greek(char32_t c) { return in(c, 0x0370, 0x03FF) || in(c, 0x1F00, 0x1FFF); }
bool hebrew(char32_t c) { return in(c, 0x0590, 0x05FF); }
bool kana_or_han(char32_t c) {
  return (in(c, 0x3040, 0x30FF) && c != 0x30FB) || in(c, 0x3400, 0x4DBF) || in(c, 0x4E00, 0x9FFF);
}
bool virama(char32_t c) { return utf8proc_get_property(static_cast<utf8proc_int32_t>(c))->combining_class == 9; }

// The IDNA2008 rules (RFC 5891, 5892) a decoded A-label must satisfy.
bool valid_u_label(const std::u32string& u) {
  if (u.empty()) return false;
  auto cat = utf8proc_category(static_cast<utf8proc_int32_t>(u[0]));
  if (cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC || cat == UTF8PROC_CATEGORY_ME) return false;
  if (u.size() >= 4 && u[2] == '-' && u[3] == '-') return false;
  bool arabic_indic = false, extended = false;
  for (size_t i = 0; i < u.size(); ++i) {
    char32_t c = u[i];
    char32_t prev = i > 0 ? u[i - 1] : 0, next = i + 1 < u.size() ? u[i + 1] : 0;
    switch (c) {
      case 0x0640: case 0x07FA: case 0x302E: case 0x302F: case 0x3031: case 0x3032: case 0x3033:
      case 0x3034: case 0x3035: case 0x303B:
        return false;  // DISALLOWED exceptions
      case 0x00B7: if (prev != 'l' || next != 'l') return false; break;
      case 0x0375: if (!greek(next)) return false; break;
      case 0x05F3: case 0x05F4: if (!hebrew(prev)) return false; break;
      case 0x30FB:
        if (std::none_of(u.begin(), u.end(), kana_or_han)) return false;
        break;
      case 0x200D: if (!prev || !virama(prev)) return false; break;
      case 0x200C: if (!prev || (!virama(prev) && !in(prev, 0x0600, 0x06FF))) return false; break;
      default: break;
    }
    arabic_indic |= in(c, 0x0660, 0x0669);
    extended |= in(c, 0x06F0, 0x06F9);
  }
  return !(arabic_indic && extended);
}

}  // namespace

bool valid_date(std::string_view s) {
  if (s.size() != 10 || !digits(s, 0, 4) || s[4] != '-' || !digits(s, 5, 2) || s[7] != '-' || !digits(s, 8, 2)) return false;
  int y = num(s, 0, 4), m = num(s, 5, 2), d = num(s, 8, 2);
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1) return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= days[m - 1] + (m == 2 && leap ? 1 : 0);
}

bool valid_time(std::string_view s) {
  // RFC 3339 full-time: HH:MM:SS[.frac](Z|±HH:MM); a leap second only at 23:59:60 UTC.
  if (s.size() < 9 || !digits(s, 0, 2) || s[2] != ':' || !digits(s, 3, 2) || s[5] != ':' || !digits(s, 6, 2)) return false;
  int h = num(s, 0, 2), m = num(s, 3, 2), sec = num(s, 6, 2);
  size_t i = 8;
  if (i < s.size() && s[i] == '.') {
    size_t start = ++i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == start) return false;
  }
  if (i >= s.size()) return false;
  int off_h = 0, off_m = 0, sign = 0;
  if (s[i] == 'Z' || s[i] == 'z') {
    if (i + 1 != s.size()) return false;
  } else if (s[i] == '+' || s[i] == '-') {
    if (s.size() != i + 6 || !digits(s, i + 1, 2) || s[i + 3] != ':' || !digits(s, i + 4, 2)) return false;
    sign = s[i] == '+' ? 1 : -1;
    off_h = num(s, i + 1, 2);
    off_m = num(s, i + 4, 2);
    if (off_h > 23 || off_m > 59) return false;
  } else {
    return false;
  }
  if (h > 23 || m > 59 || sec > 60) return false;
  if (sec == 60) {
    int utc = ((h * 60 + m - sign * (off_h * 60 + off_m)) % 1440 + 1440) % 1440;
    return utc == 23 * 60 + 59;
  }
  return true;
}

bool valid_date_time(std::string_view s) {
  if (s.size() < 11 || (s[10] != 'T' && s[10] != 't')) return false;
  return valid_date(s.substr(0, 10)) && valid_time(s.substr(11));
}

bool valid_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < 36; ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !is_hex(s[i])) return false;
  }
  return true;
}

bool valid_ipv4(std::string_view s) {
  int parts = 0;
  size_t i = 0;
  while (true) {
    size_t start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    size_t len = i - start;
    if (len == 0 || len > 3 || (len > 1 && s[start] == '0') || num(s, start, len) > 255) return false;
    ++parts;
    if (i == s.size()) break;
    if (s[i] != '.' || parts == 4) return false;
    ++i;
  }
  return parts == 4;
}

bool valid_ipv6(std::string_view s) {
  if (s.empty()) return false;
  int groups = 0;
  bool compressed = false;
  size_t i = 0;
  if (s.substr(0, 2) == "::") { compressed = true; i = 2; if (i == s.size()) return true; }
  else if (s[0] == ':') return false;
  while (i < s.size()) {
    size_t start = i;
    while (i < s.size() && is_hex(s[i])) ++i;
    if (i < s.size() && s[i] == '.') {  // trailing dotted IPv4 counts as two groups
      if (!valid_ipv4(s.substr(start))) return false;
      groups += 2;
      i = s.size();
      break;
    }
    size_t len = i - start;
    if (len == 0 || len > 4) return false;
    ++groups;
    if (i == s.size()) break;
    if (s[i] != ':') return false;
    ++i;
    if (i < s.size() && s[i] == ':') {
      if (compressed) return false;
      compressed = true;
      ++i;
    } else if (i == s.size()) {
      return false;  // ends with a single ':'
    }
  }
  return compressed ? groups < 8 : groups == 8;
}

bool valid_hostname(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  size_t start = 0;
  while (true) {
    size_t end = s.find('.', start);
    std::string_view label = s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (char c : label)
      if (!is_alpha(c) && !is_digit(c) && c != '-') return false;
    // "--" in the third and fourth positions is reserved for IDNA ("xn--").
    if (label.size() >= 4 && label[2] == '-' && label[3] == '-') {
      std::string prefix(label.substr(0, 2));
      for (auto& c : prefix) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::u32string decoded;
      if (prefix != "xn" || !punycode_decode(label.substr(4), decoded) || !valid_u_label(decoded)) return false;
    }
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return true;
}

bool valid_email(std::string_view s) {
  size_t at = s.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == s.size()) return false;
  std::string_view local = s.substr(0, at), domain = s.substr(at + 1);
  if (local.front() == '"') {
    if (local.size() < 2 || local.back() != '"') return false;
  } else {
    if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) return false;
    static const std::string_view specials = "!#$%&'*+-/=?^_`{|}~.";
    for (char c : local)
      if (!is_alpha(c) && !is_digit(c) && specials.find(c) == std::string_view::npos) return false;
  }
  if (domain.front() == '[') {
    if (domain.back() != ']') return false;
    std::string_view inner = domain.substr(1, domain.size() - 2);
    if (inner.substr(0, 5) == "IPv6:") return valid_ipv6(inner.substr(5));
    return valid_ipv4(inner);
  }
  return valid_hostname(domain);
}

bool valid_uri(std::string_view s) {
  // RFC 3986 URI (absolute, fragment allowed): scheme ":" hier-part with legal characters only;
  // brackets only around an IP literal in the authority.
  size_t colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0 || !is_alpha(s[0])) return false;
  for (size_t i = 1; i < colon; ++i)
    if (!is_alpha(s[i]) && !is_digit(s[i]) && s[i] != '+' && s[i] != '-' && s[i] != '.') return false;
  std::string_view rest = s.substr(colon + 1), authority;
  if (rest.substr(0, 2) == "//") {
    size_t end = rest.find_first_of("/?#", 2);
    authority = rest.substr(2, end == std::string_view::npos ? std::string_view::npos : end - 2);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
    size_t at = authority.rfind('@');
    std::string_view userinfo = at == std::string_view::npos ? std::string_view() : authority.substr(0, at);
    std::string_view host = at == std::string_view::npos ? authority : authority.substr(at + 1);
    if (userinfo.find_first_of("[]") != std::string_view::npos) return false;
    std::string_view port;
    if (!host.empty() && host.front() == '[') {
      size_t close = host.find(']');
      if (close == std::string_view::npos) return false;
      std::string_view literal = host.substr(1, close - 1);
      bool future = !literal.empty() && (literal[0] == 'v' || literal[0] == 'V');
      if (!future && !valid_ipv6(literal)) return false;
      port = host.substr(close + 1);
      if (!port.empty() && port.front() != ':') return false;
      if (!port.empty()) port.remove_prefix(1);
    } else {
      if (host.find_first_of("[]") != std::string_view::npos) return false;
      if (auto p = host.rfind(':'); p != std::string_view::npos) port = host.substr(p + 1);
    }
    for (char c : port)
      if (!is_digit(c)) return false;
  }
  static const std::string_view allowed = "-._~:/?#@!$&'()*+,;=";
  auto legal = [&](std::string_view part, bool brackets) {
    for (size_t i = 0; i < part.size(); ++i) {
      char c = part[i];
      if (c == '%') {
        if (i + 2 >= part.size() || !is_hex(part[i + 1]) || !is_hex(part[i + 2])) return false;
        i += 2;
      } else if (!is_alpha(c) && !is_digit(c) && allowed.find(c) == std::string_view::npos &&
                 !(brackets && (c == '[' || c == ']'))) {
        return false;
      }
    }
    return true;
  };
  if (!legal(authority, true) || !legal(rest, false)) return false;
  size_t hash = rest.find('#');
  return hash == std::string_view::npos || rest.find('#', hash + 1) == std::string_view::npos;
}

bool valid_duration(std::string_view s) {
  // RFC 3339 Appendix A: P (date [T time] | T time | week); units in order, no gaps.
  if (s.size() < 3 || s[0] != 'P') return false;
  size_t i = 1;
  auto unit = [&](char& u) {
    size_t start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == start || i >= s.size()) return false;
    u = s[i++];
    return true;
  };
  char u;
  if (s.find('W') != std::string_view::npos) return unit(u) && u == 'W' && i == s.size();
  const std::string date_units = "YMD", time_units = "HMS";
  int last = -1;
  bool any = false;
  while (i < s.size() && s[i] != 'T') {
    if (!unit(u)) return false;
    int k = static_cast<int>(date_units.find(u));
    if (k < 0 || (last >= 0 && k != last + 1) || (last < 0 && false)) return false;
    last = k;
    any = true;
  }
  if (i < s.size()) {
    ++i;  // 'T'
    int tlast = -1;
    bool any_time = false;
    while (i < s.size()) {
      if (!unit(u)) return false;
      int k = static_cast<int>(time_units.find(u));
      if (k < 0 || (tlast >= 0 && k != tlast + 1)) return false;
      tlast = k;
      any_time = true;
    }
    return any_time;
  }
  return any;
}

bool format_known(const std::string& f) {
  static const char* names[] = {"date", "time", "date-time", "email", "uuid", "ipv4", "ipv6", "uri", "hostname", "duration"};
  for (auto* n : names)
    if (f == n) return true;
  return false;
}

FormatCheck format_check(std::string_view f) {
  if (f == "date") return valid_date;
  if (f == "time") return valid_time;
  if (f == "date-time") return valid_date_time;
  if (f == "email") return valid_email;
  if (f == "uuid") return valid_uuid;
  if (f == "ipv4") return valid_ipv4;
  if (f == "ipv6") return valid_ipv6;
  if (f == "uri") return valid_uri;
  if (f == "hostname") return valid_hostname;
  if (f == "duration") return valid_duration;
  return nullptr;
}

bool format_valid(const std::string& f, const nlohmann::json& v) {
  if (!v.is_string()) return true;
  FormatCheck check = format_check(f);
  return !check || check(v.get_ref<const std::string&>());
}

}  // namespace motcua::schema
