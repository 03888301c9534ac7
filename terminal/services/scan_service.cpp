#include "terminal/services/scan_service.h"

#include <cstdio>

#include "devices/scanner/page_jpeg.h"
#include "devices/scanner/sane_scanner.h"
#include "devices/scanner/v4l2_camera.h"

namespace motcua {

ScanProblem to_scan_problem(scanner::ScanErrorKind kind) {
  using K = scanner::ScanErrorKind;
  switch (kind) {
    case K::NoScanner: return ScanProblem::NoScanner;
    case K::Busy: return ScanProblem::Busy;
    case K::Jammed: return ScanProblem::Jammed;
    case K::Cancelled: return ScanProblem::Cancelled;
    case K::TooLarge: return ScanProblem::TooLarge;
    case K::TimedOut: return ScanProblem::TimedOut;
    case K::Io: return ScanProblem::Io;
  }
  return ScanProblem::Io;
}

namespace {

scanner::ScanSettings settings_of(const KioskConfig& config) {
  scanner::ScanSettings settings;
  settings.timeout_ms = config.scanner_timeout_seconds * 1000;
  return settings;
}

}  // namespace

ScanService::ScanService(const KioskConfig& config, std::function<void()> wake)
    : ScanService(
          [device = config.scanner == "auto" ? std::string() : config.scanner, options = config.scanner_options,
           settings = settings_of(config)]() -> std::unique_ptr<scanner::Scanner> {
            return std::make_unique<scanner::SaneScanner>(device, settings, options);
          },
          wake,
          scanner::is_camera_device(config.scanner)
              ? std::make_unique<scanner::CameraPreview>(config.scanner, settings_of(config), config.scanner_options, wake)
              : nullptr) {}

ScanService::ScanService(std::function<std::unique_ptr<scanner::Scanner>()> open, std::function<void()> wake)
    : ScanService(std::move(open), std::move(wake), nullptr) {}

ScanService::ScanService(std::function<std::unique_ptr<scanner::Scanner>()> open, std::function<void()> wake,
                         std::unique_ptr<scanner::CameraPreview> camera)
    : camera_(std::move(camera)), open_(std::move(open)), wake_(std::move(wake)), worker_([this] { run(); }) {}

ScanService::~ScanService() {
  {
    std::lock_guard<std::mutex> l(mutex_);
    stopping_ = true;
    ++requested_;
    if (working_ && scanner_) scanner_->cancel();
  }
  cv_.notify_all();
  worker_.join();
}

void ScanService::start() {
  {
    std::lock_guard<std::mutex> l(mutex_);
    ++requested_;
    result_.reset();
  }
  cv_.notify_all();
}

void ScanService::cancel() {
  std::lock_guard<std::mutex> l(mutex_);
  begun_ = ++requested_;  // nothing waiting, and the scan in progress no longer counts
  result_.reset();
  if (working_ && scanner_) scanner_->cancel();
}

std::optional<ScanResult> ScanService::take() {
  std::lock_guard<std::mutex> l(mutex_);
  std::optional<ScanResult> r = std::move(result_);
  result_.reset();
  return r;
}

bool ScanService::busy() const {
  std::lock_guard<std::mutex> l(mutex_);
  return working_ || begun_ != requested_;
}

void ScanService::run() {
  std::unique_lock<std::mutex> l(mutex_);
  for (;;) {
    cv_.wait(l, [&] { return stopping_ || begun_ != requested_; });
    if (stopping_) return;
    unsigned mine = begun_ = requested_;
    working_ = true;
    bool need_open = !scanner_;
    l.unlock();
    ScanResult r;
    try {
      if (camera_) camera_->stop();  // the still picture's process needs the camera to itself
      if (need_open) {
        // Opening runs a probe process too; a cancel that comes meanwhile is seen right after.
        auto opened = open_();
        l.lock();
        scanner_ = std::move(opened);
        bool forgotten = mine != requested_;
        l.unlock();
        if (forgotten) throw scanner::ScanError(scanner::ScanErrorKind::Cancelled, "cancelled while opening");
        std::fprintf(stderr, "motcua: scanner %s\n", scanner_->describe().c_str());
      }
      scanner::GrayImage img = scanner_->scan_page();
      CapturedPage page;
      page.jpeg = scanner::encode_jpeg(img);
      page.width = img.width;
      page.height = img.height;
      page.dpi = img.dpi;
      r.page = std::move(page);
    } catch (const scanner::ScanError& e) {
      r.problem = to_scan_problem(e.kind);
      // For staff: SANE's own words; the citizen is told by kind.
      if (e.kind != scanner::ScanErrorKind::Cancelled)
        std::fprintf(stderr, "motcua: scan failed (%s): %s\n", scanner::kind_name(e.kind), e.what());
      if (e.kind == scanner::ScanErrorKind::NoScanner) {
        l.lock();
        scanner_.reset();  // it went away: open it again next time
        l.unlock();
      }
    } catch (const std::exception& e) {
      r.problem = ScanProblem::Io;
      std::fprintf(stderr, "motcua: scan failed: %s\n", e.what());
    }
    l.lock();
    working_ = false;
    if (mine == requested_ && !stopping_) result_ = std::move(r);
    // else: forgotten (cancelled, or a newer request): its page is wiped here by its buffer.
    // Either way the screen hears of it: the device is free again (a camera's live picture).
    if (!stopping_) {
      l.unlock();
      if (wake_) wake_();
      l.lock();
    }
  }
}

ScanPort make_scan_port(ScanService& service) {
  ScanPort port;
  port.start = [&service] { service.start(); };
  port.poll = [&service] { return service.take(); };
  port.cancel = [&service] { service.cancel(); };
  return port;
}

}  // namespace motcua
