#include "terminal/services/demo_sink.h"

#include "terminal/core/input.h"
#include "terminal/services/queue_numbers.h"

namespace motcua {

SubmitReceipt DemoSink::operator()(const forms::FormPackage& form, const std::string&, const PersonalData&, bool) {
  std::string today = local_time("%Y-%m-%d"), day = local_time("%Y%m%d");
  std::string sequence = QueueNumbers(state_path_).next("D", false, today).substr(1);
  SubmitReceipt demo{"DEMO-" + kiosk_id_ + "-" + day + "-" + sequence, calendar_.add_working_days(today, form.processing_days), true};
  demo.estimated = true;  // counted here: no agency has set a date
  return demo;
}

}  // namespace motcua
