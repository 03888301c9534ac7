// A document camera through V4L2 (a USB visualiser over the desk, /dev/videoN), inside the scan
// process (motcua-scan) like a SANE session: it opens the camera, streams, and hands over frames
// as 8-bit grey pages. Only that disposable process uses it, so a camera that hangs costs a kill.
// Rule (the page is a scan): the camera is set up so its picture spans the sheet (ScanSettings'
// area, A4 by default); the page's resolution follows from that, and a sharper picture is scaled
// down to the settings' dpi, so a camera page is stored like a scanner page (docs/documents.md).
// Rule (error translation at the device edge): errno values become ScanErrorKind; a camera pulled
// out mid-stream (ENODEV) is NoScanner, one held by another program (EBUSY) is Busy.
#pragma once
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "devices/scanner/scanner.h"

namespace motcua::scanner {

// The scan process's device name for a camera: "v4l2:/dev/video0".
constexpr const char* kCameraPrefix = "v4l2:";
// The live preview's longer side in pixels at most: enough for the citizen to place the sheet.
constexpr int kPreviewSide = 480;

inline bool is_camera_device(const std::string& device) { return device.rfind(kCameraPrefix, 0) == 0; }

class V4l2Camera {
 public:
  // Opens `path`, picks a format (GREY, YUYV or MJPG) at the smallest size that reaches the
  // settings' dpi over the area (else the largest), maps its buffers and starts streaming.
  // Options: "rotate" 0|90|180|270 (a camera mounted across the sheet), "warmup" frames dropped
  // before the first page while exposure settles (default 5). Throws ScanError.
  V4l2Camera(const std::string& path, ScanSettings settings, const std::map<std::string, std::string>& options);
  ~V4l2Camera();
  V4l2Camera(const V4l2Camera&) = delete;
  V4l2Camera& operator=(const V4l2Camera&) = delete;

  // The next whole frame as a page at the settings' dpi; throws ScanError. Waits at most
  // `frame_timeout_ms` for a frame; a camera that sends broken frames only is Io after a few.
  GrayImage page(int frame_timeout_ms);
  // The next frame, small (its longer side at most `max_side`), for the live preview; nothing
  // when it came before `not_before`: then it is handed straight back undecoded (the preview
  // shows fewer frames than the camera sends, and a frame left queued would be shown late).
  std::optional<GrayImage> preview(int max_side, int frame_timeout_ms, std::chrono::steady_clock::time_point not_before = {});
  const std::string& describe() const { return description_; }
  // Stops the stream and zeroes the driver's buffers (the process ends by _exit or a kill, so
  // the destructor does not run): call it once the page is out of them.
  void wipe();

 private:
  struct Frame { const unsigned char* data; size_t size; unsigned index; };
  Frame dequeue(int timeout_ms);
  void requeue(unsigned index);
  GrayImage grey(const Frame& f, int max_side);
  int fd_ = -1;
  ScanSettings settings_;
  unsigned fourcc_ = 0;
  int width_ = 0, height_ = 0, stride_ = 0;
  int rotate_ = 0, warmup_ = 5;
  std::vector<std::pair<void*, size_t>> buffers_;
  std::string description_;
};

}  // namespace motcua::scanner
