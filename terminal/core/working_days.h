// Appointment dates: a procedure's processing time counts working days, so weekends and
// public holidays are skipped. Holidays are data (assets/holidays/vn.json), not code:
// the government publishes them year by year, sometimes with a Saturday worked in exchange.
#pragma once
#include <set>
#include <string>

namespace motcua {

class WorkingCalendar {
 public:
  WorkingCalendar() = default;  // weekends and the Labour Code's fixed days (1/1, 30/4, 1/5, 2/9) only
  // Throws InputError naming the file and the entry when the file is unusable.
  static WorkingCalendar load(const std::string& path);

  bool is_working_day(const std::string& ymd) const;
  // The date `days` working days after `from` (YYYY-MM-DD); `from` itself is the day of receipt.
  std::string add_working_days(const std::string& from, int days) const;
  // The file lists this year: dates in it are exact, otherwise only weekends and the fixed days are known.
  bool knows_year(int year) const { return years_.count(year) > 0; }

 private:
  std::set<std::string> holidays_, working_weekends_;
  std::set<int> years_;
};

}  // namespace motcua
