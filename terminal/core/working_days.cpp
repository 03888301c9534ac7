#include "terminal/core/working_days.h"

#include <cstdio>
#include <ctime>

#include "terminal/core/input.h"

namespace motcua {

namespace {

bool parse_ymd(const std::string& s, std::tm& tm) {
  tm = {};
  int y, m, d;
  char tail;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 || m > 12 || d < 1 || d > 31) return false;
  tm.tm_year = y - 1900;
  tm.tm_mon = m - 1;
  tm.tm_mday = d;
  tm.tm_hour = 12;
  std::time_t t = timegm(&tm);
  std::tm back{};
  gmtime_r(&t, &back);
  if (back.tm_mday != d) return false;  // 2026-02-30 and the like
  tm = back;
  return true;
}

std::string format_ymd(const std::tm& tm) {
  char out[16];
  std::strftime(out, sizeof out, "%Y-%m-%d", &tm);
  return out;
}

}  // namespace

WorkingCalendar WorkingCalendar::load(const std::string& path) {
  nlohmann::json doc = read_json_file(path);
  WorkingCalendar cal;
  if (!doc.contains("years") || !doc["years"].is_object()) throw InputError(path + ": expected an object \"years\"");
  for (auto& [year, entry] : doc["years"].items()) {
    int y = std::atoi(year.c_str());
    if (y < 2000 || y > 2200) throw InputError(path + ": years: \"" + year + "\" is not a year");
    cal.years_.insert(y);
    for (const char* list : {"holidays", "workingWeekends"}) {
      if (!entry.contains(list)) continue;
      for (auto& d : entry[list]) {
        std::tm tm;
        if (!d.is_string() || !parse_ymd(d.get<std::string>(), tm) || tm.tm_year + 1900 != y)
          throw InputError(path + ": years." + year + "." + list + ": " + d.dump() + " is not a date of " + year);
        (std::string(list) == "holidays" ? cal.holidays_ : cal.working_weekends_).insert(d.get<std::string>());
      }
    }
  }
  return cal;
}

bool WorkingCalendar::is_working_day(const std::string& ymd) const {
  std::tm tm;
  if (!parse_ymd(ymd, tm)) return false;
  if (working_weekends_.count(ymd)) return true;
  if (tm.tm_wday == 0 || tm.tm_wday == 6) return false;
  // A year the file does not list still has the days the Labour Code fixes by the solar
  // calendar (art. 112): 1/1, 30/4, 1/5, 2/9. Tết, the Hùng Kings' day and the second National
  // Day follow each year's notice, so they are known only from the file.
  if (!years_.count(tm.tm_year + 1900)) {
    const int month = tm.tm_mon + 1, day = tm.tm_mday;
    return !((month == 1 && day == 1) || (month == 4 && day == 30) || (month == 5 && day == 1) || (month == 9 && day == 2));
  }
  return holidays_.count(ymd) == 0;
}

std::string WorkingCalendar::add_working_days(const std::string& from, int days) const {
  std::tm tm;
  if (!parse_ymd(from, tm)) return from;
  std::time_t t = timegm(&tm);
  while (days > 0) {
    t += 86400;
    std::tm d{};
    gmtime_r(&t, &d);
    if (is_working_day(format_ymd(d))) --days;
  }
  std::tm d{};
  gmtime_r(&t, &d);
  return format_ymd(d);
}

}  // namespace motcua
