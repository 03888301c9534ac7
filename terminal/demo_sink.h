// The dossier sink of the out-of-the-box demo ("endpoint": "demo"): it issues a receipt
// reference and keeps nothing, so a demo kiosk never stores citizen data. The real sink
// is the encrypted outbox; the kiosk marks demo mode on screen so nobody is misled.
#pragma once
#include <string>

#include "terminal/session.h"

namespace motcua {

class DemoSink {
 public:
  explicit DemoSink(std::string kiosk_id) : kiosk_id_(std::move(kiosk_id)) {}
  // DEMO-<kiosk>-<YYYYMMDD>-<sequence>; the sequence restarts with the process.
  std::string operator()(const forms::FormPackage&, const std::string&, const PersonalData&, bool assisted);

 private:
  std::string kiosk_id_;
  int sequence_ = 0;
};

}  // namespace motcua
