// The kiosk's document scanner (or document camera), off the UI thread: one worker that opens the configured SANE
// device on first use and scans one page per request, handing the result to the session.
// Rule (a device never holds the kiosk): start() and cancel() return at once; the scan itself
// runs in motcua-scan (sane_scanner.h), killed on cancel or at its deadline.
// Rule (error translation at the device edge): ScanError kinds become ScanProblem; SANE's own
// words go to the log for staff, never to the screen.
// Rule (personal data): a page goes from the scanner's zeroing buffer to a JPEG in a zeroing
// buffer, and from there into the session's PersonalData; never to a file.
#pragma once
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "devices/scanner/camera_preview.h"
#include "devices/scanner/scanner.h"
#include "terminal/core/config.h"
#include "terminal/core/session.h"

namespace motcua {

ScanProblem to_scan_problem(scanner::ScanErrorKind kind);

class ScanService {
 public:
  // Opens the scanner lazily (in the worker), by the configuration's scanner, scannerOptions and
  // scannerTimeoutSeconds; `wake` is called from the worker when a result is ready.
  ScanService(const KioskConfig& config, std::function<void()> wake);
  // For tests: any Scanner, built by `open` in the worker on first use (it may throw ScanError).
  ScanService(std::function<std::unique_ptr<scanner::Scanner>()> open, std::function<void()> wake);
  ~ScanService();
  ScanService(const ScanService&) = delete;
  ScanService& operator=(const ScanService&) = delete;

  void start();  // a new request replaces one not yet begun; one in progress is forgotten
  void cancel();  // forgets the request and stops the scan in progress
  std::optional<ScanResult> take();  // the result of the latest request, once
  bool busy() const;  // a request waits or a scan runs (its process may still hold the device)
  // The live picture when the scanner is a document camera (scanner "v4l2:/dev/videoN"); null
  // for a scanner. Each scan stops it first: the still picture needs the camera.
  scanner::CameraPreview* camera() { return camera_.get(); }

 private:
  ScanService(std::function<std::unique_ptr<scanner::Scanner>()> open, std::function<void()> wake,
              std::unique_ptr<scanner::CameraPreview> camera);
  void run();
  std::unique_ptr<scanner::CameraPreview> camera_;  // set before the worker starts
  std::function<std::unique_ptr<scanner::Scanner>()> open_;
  std::function<void()> wake_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::unique_ptr<scanner::Scanner> scanner_;  // set and used by the worker; cancel() reaches it under mutex_
  unsigned requested_ = 0, begun_ = 0;         // request numbers: a result counts only for the latest
  bool working_ = false, stopping_ = false;
  std::optional<ScanResult> result_;
  std::thread worker_;
};

ScanPort make_scan_port(ScanService& service);

}  // namespace motcua
