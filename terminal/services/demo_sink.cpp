#include "terminal/services/demo_sink.h"

#include "terminal/core/input.h"
#include "terminal/services/queue_numbers.h"

namespace motcua {

SubmitReceipt DemoSink::operator()(const forms::FormPackage& form, const std::string&, const PersonalData&, bool) {
  std::string today = local_time("%Y-%m-%d"), day = local_time("%Y%m%d");
  std::string sequence = QueueNumbers(state_path_).next("D", false, today).substr(1);
  return {"DEMO-" + kiosk_id_ + "-" + day + "-" + sequence, calendar_.add_working_days(today, form.processing_days), true};
}

}  // namespace motcua
