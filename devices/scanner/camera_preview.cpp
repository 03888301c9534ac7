#include "devices/scanner/camera_preview.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "devices/scanner/sane_scanner.h"
#include "devices/scanner/v4l2_camera.h"
#include "terminal/core/personal_data.h"

namespace motcua::scanner {

namespace {

// One header line, at most 4 KiB; false at the end of the stream.
bool read_line(int fd, std::string& line) {
  line.clear();
  char c;
  for (;;) {
    ssize_t n = read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    if (c == '\n') return true;
    if (line.size() >= 4096) return false;
    line.push_back(c);
  }
}

bool read_exactly(int fd, unsigned char* p, size_t size) {
  while (size > 0) {
    ssize_t n = read(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

CameraPreview::CameraPreview(std::string device, ScanSettings settings, std::map<std::string, std::string> options,
                             std::function<void()> on_frame)
    : device_(std::move(device)), settings_(settings), options_(std::move(options)), on_frame_(std::move(on_frame)) {}

CameraPreview::~CameraPreview() { stop(); }

void CameraPreview::want(bool on) {
  if (!on) {
    stop();
    return;
  }
  std::lock_guard<std::mutex> control(control_);
  {
    std::lock_guard<std::mutex> l(mutex_);
    if (child_ > 0 || failed_) return;
  }
  int fd = -1;
  pid_t pid;
  try {
    pid = spawn_scan_process(scan_process_arguments("preview", device_, settings_, options_), fd);
  } catch (const ScanError& e) {
    std::lock_guard<std::mutex> l(mutex_);
    failed_ = true;
    problem_ = e.kind;
    std::fprintf(stderr, "motcua: camera preview cannot start: %s\n", e.what());
    return;
  }
  std::lock_guard<std::mutex> l(mutex_);
  child_ = pid;
  problem_.reset();
  reader_ = std::thread([this, fd] { read_frames(fd); });
}

void CameraPreview::stop() {
  std::lock_guard<std::mutex> control(control_);
  pid_t pid;
  {
    std::lock_guard<std::mutex> l(mutex_);
    pid = child_;
    child_ = -1;
    failed_ = false;
    problem_.reset();
  }
  if (pid > 0) kill(-pid, SIGKILL);  // not reaped yet, so the group is still the child's
  if (reader_.joinable()) reader_.join();  // the pipe ends with the process
  if (pid > 0)
    while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
  // Reaped: the camera is free for the still picture's process.
  std::lock_guard<std::mutex> l(mutex_);
  secure_zero(frame_.pixels.data(), frame_.pixels.size());
  frame_.pixels.clear();
  frame_.width = frame_.height = 0;
}

bool CameraPreview::running() const {
  std::lock_guard<std::mutex> l(mutex_);
  return child_ > 0 && !failed_;
}

bool CameraPreview::newest(GrayImage& out, unsigned& seen) const {
  std::lock_guard<std::mutex> l(mutex_);
  if (sequence_ == seen || frame_.pixels.empty()) return false;
  out.width = frame_.width;
  out.height = frame_.height;
  out.pixels.assign(frame_.pixels.begin(), frame_.pixels.end());  // into out's own zeroing buffer
  seen = sequence_;
  return true;
}

std::optional<ScanErrorKind> CameraPreview::problem() const {
  std::lock_guard<std::mutex> l(mutex_);
  return problem_;
}

// Rule (bounded answers): a frame's size is checked against kPreviewSide before a byte of it is
// read; anything that is not the protocol ends the preview as Io.
void CameraPreview::read_frames(int fd) {
  std::string line;
  ScanErrorKind ended = ScanErrorKind::Io;
  std::string why = "the preview process ended without a word";
  if (read_line(fd, line)) {
    if (line.rfind("error ", 0) == 0) {
      size_t space = line.find(' ', 6);
      ended = kind_from_name(line.substr(6, space == std::string::npos ? std::string::npos : space - 6));
      why = space == std::string::npos ? line : line.substr(space + 1);
    } else if (line.rfind("ok ", 0) == 0) {
      for (;;) {
        if (!read_line(fd, line)) break;
        if (line.rfind("error ", 0) == 0) {
          size_t space = line.find(' ', 6);
          ended = kind_from_name(line.substr(6, space == std::string::npos ? std::string::npos : space - 6));
          why = space == std::string::npos ? line : line.substr(space + 1);
          break;
        }
        int w = 0, h = 0;
        char extra = 0;
        if (std::sscanf(line.c_str(), "frame %d %d %c", &w, &h, &extra) != 2 || w <= 0 || h <= 0 || w > kPreviewSide ||
            h > kPreviewSide) {
          why = "the preview process sent something else than a frame";
          break;
        }
        GrayImage frame;
        frame.width = w;
        frame.height = h;
        frame.pixels.resize(static_cast<size_t>(w) * static_cast<size_t>(h));
        if (!read_exactly(fd, frame.pixels.data(), frame.pixels.size())) break;
        {
          std::lock_guard<std::mutex> l(mutex_);
          if (child_ <= 0) break;  // stopped meanwhile: this frame is wiped with `frame`
          std::swap(frame_, frame);
          ++sequence_;
        }
        if (on_frame_) on_frame_();
      }
    } else {
      why = "the preview process answered something else than ok";
    }
  }
  close(fd);
  bool stopped;
  {
    std::lock_guard<std::mutex> l(mutex_);
    stopped = child_ <= 0;
    if (!stopped) {
      failed_ = true;
      problem_ = ended;
    }
  }
  if (stopped) return;  // stop() killed it: not a failure
  std::fprintf(stderr, "motcua: camera preview ended (%s): %s\n", kind_name(ended), why.c_str());
  if (on_frame_) on_frame_();
}

}  // namespace motcua::scanner
