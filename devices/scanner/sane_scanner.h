// A Scanner through SANE (libsane): any scanner a centre has, by its SANE device name, or the
// first one found; or a V4L2 document camera, by "v4l2:/dev/videoN" (v4l2_camera.h). The configuration may set further backend options by name (a feeder's
// "source", or in tests the `test` backend's "read-return-value").
// Rule (a device never holds the kiosk): SANE runs in a process of its own (motcua-scan), one per
// scan, given a deadline and killed when it passes or when the scan is cancelled. SANE's backends
// hang in their cancel and teardown paths (seen with its own test backend: a reader thread
// cancelled inside malloc leaves the heap locked); in a child that costs one SIGKILL.
#pragma once
#include <map>
#include <mutex>
#include <string>
#include <sys/types.h>
#include <vector>

#include "devices/scanner/scanner.h"

namespace motcua::scanner {

// The scan program: $MOTCUA_SCAN_PROGRAM, else motcua-scan beside the running executable, else
// the installed one (../lib/motcua/motcua-scan from it: /usr/lib/motcua), else the one this build made.
std::string scan_program();

// The scan program's command line for `command` (probe, scan or preview).
std::vector<std::string> scan_process_arguments(const std::string& command, const std::string& device,
                                                const ScanSettings& settings, const std::map<std::string, std::string>& options);
// Starts it in a process group of its own, stdin /dev/null; `out_fd` reads its stdout. Throws
// ScanError(NoScanner) when it cannot start.
pid_t spawn_scan_process(const std::vector<std::string>& args, int& out_fd);

class SaneScanner : public Scanner {
 public:
  // Opens the device once to check it is there and takes the options (in the scan process).
  // Throws ScanError: NoScanner when none is there, Busy when another program holds it.
  SaneScanner(const std::string& device, ScanSettings settings, std::map<std::string, std::string> options = {});
  SaneScanner(const SaneScanner&) = delete;
  SaneScanner& operator=(const SaneScanner&) = delete;

  GrayImage scan_page() override;
  void cancel() override;
  std::string describe() const override { return description_; }

 private:
  // Runs the scan process with `command`; returns its first line; for a page, fills `page`.
  std::string run(const std::string& command, GrayImage* page);
  std::string device_;
  ScanSettings settings_;
  std::map<std::string, std::string> options_;
  std::string description_;
  std::mutex child_mutex_;  // guards child_ and cancelled_ against cancel() from another thread
  pid_t child_ = -1;
  bool cancelled_ = false;
};

}  // namespace motcua::scanner
