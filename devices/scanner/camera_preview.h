// The document camera's live picture for the papers screen: a `motcua-scan preview` process
// (scan_process_main.cpp) sends small grey frames; a reader thread keeps the newest one.
// Rule (a device never holds the kiosk): want() returns within milliseconds: it kills, and the
// reader thread reaps (a child stuck in a USB transfer dies late). A preview that sends nothing
// for kFirstFrameSeconds, or then for kFrameGapSeconds, is killed as TimedOut; one that stalls
// or vanishes ends, and its kind is kept for the screen's sentence.
// Rule (one owner of the camera): the still picture is taken by another scan process, so the
// scan service stops the preview first (a camera streams to one program at a time).
// Rule (personal data): frames live in zeroing buffers and are wiped by stop().
#pragma once
#include <sys/types.h>

#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "devices/scanner/scanner.h"

namespace motcua::scanner {

class CameraPreview {
 public:
  // `device` as the scan program takes it ("v4l2:/dev/video0"); `on_frame` is called from the
  // reader thread for each new frame and when the preview ends.
  CameraPreview(std::string device, ScanSettings settings, std::map<std::string, std::string> options,
                std::function<void()> on_frame);
  ~CameraPreview();
  CameraPreview(const CameraPreview&) = delete;
  CameraPreview& operator=(const CameraPreview&) = delete;

  // On: starts the process unless it runs, is still being reaped, or failed since the last time
  // it was off (a missing camera is not asked again every frame). Off: kills it and wipes the
  // frame, without waiting.
  void want(bool on);
  // Kills it and waits (at most 10 s) until it is reaped, so the camera is free for another
  // process; safe from any thread. The scan service calls it before taking a page.
  void stop();
  bool running() const;
  // Copies the newest frame into `out` when it is newer than `seen` (then updated); false else.
  bool newest(GrayImage& out, unsigned& seen) const;
  // Why the preview ended on its own, if it did (NoScanner for a camera that went away).
  std::optional<ScanErrorKind> problem() const;
  const std::string& device() const { return device_; }

 private:
  static constexpr int kFirstFrameSeconds = 10, kFrameGapSeconds = 5;
  void halt();  // kills the process (if one runs) and wipes the frame; mutex_ held
  void read_frames(int fd, pid_t pid);
  std::string device_;
  ScanSettings settings_;
  std::map<std::string, std::string> options_;
  std::function<void()> on_frame_;
  std::mutex control_;        // guards reader_ (the thread object): starting, joining
  mutable std::mutex mutex_;  // what the reader thread shares
  std::condition_variable reaped_;
  std::thread reader_;
  pid_t child_ = -1;       // the preview process while it runs
  bool reaping_ = false;   // a process has ended or been killed and is not reaped yet
  bool failed_ = false;
  std::optional<ScanErrorKind> problem_;
  GrayImage frame_;
  unsigned sequence_ = 0;
};

}  // namespace motcua::scanner
