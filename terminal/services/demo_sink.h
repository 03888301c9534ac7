// The dossier sink of the out-of-the-box demo ("endpoint": "demo"): it stands in for the portal,
// issues a receipt reference and keeps nothing, so a demo kiosk never stores citizen data. The real sink
// is the encrypted outbox; the kiosk marks demo mode on screen so nobody is misled.
#pragma once
#include <string>

#include "terminal/core/session.h"
#include "terminal/core/working_days.h"

namespace motcua {

class DemoSink {
 public:
  // state_path: where the day's sequence is kept, so a reference is never issued twice.
  DemoSink(std::string kiosk_id, const WorkingCalendar& calendar, std::string state_path)
      : kiosk_id_(std::move(kiosk_id)), calendar_(calendar), state_path_(std::move(state_path)) {}
  // DEMO-<kiosk>-<YYYYMMDD>-<sequence>; the sequence restarts every day.
  SubmitReceipt operator()(const forms::FormPackage&, const std::string&, const PersonalData&, bool assisted);

 private:
  std::string kiosk_id_;
  const WorkingCalendar& calendar_;
  std::string state_path_;
};

}  // namespace motcua
