// One SANE session inside the scan process (motcua-scan, scan_process_main.cpp): opens a device,
// sets its options and reads one page. Only that disposable process uses it: SANE's backends can
// hang or crash on cancel and teardown, so the kiosk never loads them (sane_scanner.h). Nothing is
// closed or exited; the process ends after its one answer.
#pragma once
#include <map>
#include <string>

#include "devices/scanner/scanner.h"

namespace motcua::scanner {

class SaneSession {
 public:
  // Opens the device (empty: the first SANE finds) and sets resolution, greyscale mode and area.
  // Throws ScanError: NoScanner when none is there, Busy when another program holds it.
  SaneSession(const std::string& device, ScanSettings settings, const std::map<std::string, std::string>& options);
  SaneSession(const SaneSession&) = delete;
  SaneSession& operator=(const SaneSession&) = delete;

  // One page, converted to 8-bit grey; throws ScanError. Size limits as in ScanSettings; the
  // time limit is the caller's (it kills the process).
  GrayImage scan_page();
  const std::string& describe() const { return description_; }

 private:
  // false when the option is not there or not settable yet; throws when `required`.
  bool set_option(const std::string& name, const std::string& value, bool required);
  void* handle_ = nullptr;  // SANE_Handle
  ScanSettings settings_;
  std::string description_;
};

}  // namespace motcua::scanner
