#include "terminal/demo_sink.h"

#include <cstdio>
#include <ctime>

namespace motcua {

SubmitReceipt DemoSink::operator()(const forms::FormPackage& form, const std::string&, const PersonalData&, bool) {
  std::time_t t = std::time(nullptr);
  std::tm local{};
  localtime_r(&t, &local);
  char buf[96];
  std::snprintf(buf, sizeof buf, "DEMO-%s-%04d%02d%02d-%04d", kiosk_id_.c_str(), local.tm_year + 1900,
                local.tm_mon + 1, local.tm_mday, ++sequence_);
  char today[16];
  std::strftime(today, sizeof today, "%Y-%m-%d", &local);
  return {buf, calendar_.add_working_days(today, form.processing_days), true};
}

}  // namespace motcua
