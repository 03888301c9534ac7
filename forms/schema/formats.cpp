#include "forms/schema/formats.h"

#include <cctype>
#include <cstdlib>
#include <map>

namespace motcua::schema {

namespace {

bool digits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return false;
  for (size_t i = pos; i < pos + n; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

int num(std::string_view s, size_t pos, size_t n) { return std::atoi(std::string(s.substr(pos, n)).c_str()); }

bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

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
      if (prefix != "xn" || label.size() < 6) return false;
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
  // RFC 3986 URI (absolute, fragment allowed): scheme ":" hier-part with legal characters only.
  size_t colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0 || !is_alpha(s[0])) return false;
  for (size_t i = 1; i < colon; ++i)
    if (!is_alpha(s[i]) && !is_digit(s[i]) && s[i] != '+' && s[i] != '-' && s[i] != '.') return false;
  static const std::string_view allowed = "-._~:/?#[]@!$&'()*+,;=";
  bool fragment = false;
  for (size_t i = colon + 1; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size() || !is_hex(s[i + 1]) || !is_hex(s[i + 2])) return false;
      i += 2;
      continue;
    }
    if (c == '#') {
      if (fragment) return false;
      fragment = true;
      continue;
    }
    if (!is_alpha(c) && !is_digit(c) && allowed.find(c) == std::string_view::npos) return false;
  }
  std::string_view rest = s.substr(colon + 1);
  if (rest.substr(0, 2) == "//") {
    std::string_view authority = rest.substr(2, rest.find_first_of("/?#", 2) - 2);
    size_t at = authority.rfind('@');
    std::string_view host = at == std::string_view::npos ? authority : authority.substr(at + 1);
    if (!host.empty() && host.front() == '[') {
      size_t close = host.find(']');
      if (close == std::string_view::npos) return false;
      host = host.substr(close + 1);
      if (!host.empty() && host.front() != ':') return false;
    }
    if (auto p = host.rfind(':'); p != std::string_view::npos) {
      for (char c : host.substr(p + 1))
        if (!is_digit(c)) return false;
    }
    if (authority.find('[') != std::string_view::npos && authority.find('[') < (at == std::string_view::npos ? 0 : at))
      return false;
  }
  return true;
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

bool format_valid(const std::string& f, const nlohmann::json& v) {
  if (!v.is_string()) return true;
  std::string_view s = v.get_ref<const std::string&>();
  if (f == "date") return valid_date(s);
  if (f == "time") return valid_time(s);
  if (f == "date-time") return valid_date_time(s);
  if (f == "email") return valid_email(s);
  if (f == "uuid") return valid_uuid(s);
  if (f == "ipv4") return valid_ipv4(s);
  if (f == "ipv6") return valid_ipv6(s);
  if (f == "uri") return valid_uri(s);
  if (f == "hostname") return valid_hostname(s);
  if (f == "duration") return valid_duration(s);
  return true;
}

}  // namespace motcua::schema
