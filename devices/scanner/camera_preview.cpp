#include "devices/scanner/camera_preview.h"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>

#include "devices/scanner/sane_scanner.h"
#include "devices/scanner/v4l2_camera.h"
#include "terminal/core/personal_data.h"

namespace motcua::scanner {

namespace {

using Clock = std::chrono::steady_clock;

// Reads from the preview process until `deadline`; false at its end, on an error or when the
// deadline passes (then `late` is set).
bool read_until(int fd, unsigned char* p, size_t size, Clock::time_point deadline, bool& late) {
  while (size > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      late = true;
      return false;
    }
    pollfd w{fd, POLLIN, 0};
    int r = poll(&w, 1, static_cast<int>(left));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return false;
    if (r == 0) continue;
    ssize_t n = read(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

// One header line, at most 4 KiB.
bool read_line(int fd, std::string& line, Clock::time_point deadline, bool& late) {
  line.clear();
  unsigned char c;
  for (;;) {
    if (!read_until(fd, &c, 1, deadline, late)) return false;
    if (c == '\n') return true;
    if (line.size() >= 4096) return false;
    line.push_back(static_cast<char>(c));
  }
}

// "error KIND MESSAGE": the kind, and the message for staff.
ScanErrorKind error_line(const std::string& line, std::string& why) {
  size_t space = line.find(' ', 6);
  why = space == std::string::npos ? line : line.substr(space + 1);
  return kind_from_name(line.substr(6, space == std::string::npos ? std::string::npos : space - 6));
}

}  // namespace

CameraPreview::CameraPreview(std::string device, ScanSettings settings, std::map<std::string, std::string> options,
                             std::function<void()> on_frame)
    : device_(std::move(device)), settings_(settings), options_(std::move(options)), on_frame_(std::move(on_frame)) {}

CameraPreview::~CameraPreview() {
  stop();
  std::lock_guard<std::mutex> control(control_);
  if (reader_.joinable()) reader_.join();
}

void CameraPreview::want(bool on) {
  if (!on) {
    std::lock_guard<std::mutex> l(mutex_);
    halt();
    return;
  }
  std::lock_guard<std::mutex> control(control_);
  {
    std::lock_guard<std::mutex> l(mutex_);
    if (child_ > 0 || reaping_ || failed_) return;
  }
  if (reader_.joinable()) reader_.join();  // it has reaped its process: it is ending or ended
  int fd = -1;
  pid_t pid = -1;
  try {
    pid = spawn_scan_process(scan_process_arguments("preview", device_, settings_, options_), fd);
    std::lock_guard<std::mutex> l(mutex_);
    child_ = pid;
    problem_.reset();
    reader_ = std::thread([this, fd, pid] { read_frames(fd, pid); });
  } catch (const std::exception& e) {  // the program cannot start, or no thread: not shown live
    if (pid > 0) {
      kill(-pid, SIGKILL);
      close(fd);
      while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
      }
    }
    std::lock_guard<std::mutex> l(mutex_);
    child_ = -1;
    failed_ = true;
    const auto* scan = dynamic_cast<const ScanError*>(&e);
    problem_ = scan ? scan->kind : ScanErrorKind::Io;
    std::fprintf(stderr, "motcua: camera preview cannot start: %s\n", e.what());
  }
}

void CameraPreview::halt() {
  if (child_ > 0) {
    kill(-child_, SIGKILL);  // not reaped yet (the reader reaps), so the group is still the child's
    child_ = -1;
    reaping_ = true;
  }
  failed_ = false;
  problem_.reset();
  secure_zero(frame_.pixels.data(), frame_.pixels.size());
  frame_.pixels.clear();
  frame_.width = frame_.height = 0;
}

void CameraPreview::stop() {
  std::unique_lock<std::mutex> l(mutex_);
  halt();
  // Reaped: the camera is free for the page's own process.
  if (!reaped_.wait_for(l, std::chrono::seconds(10), [&] { return !reaping_; }))
    std::fprintf(stderr, "motcua: the camera preview process has not ended 10 s after it was killed\n");
}

bool CameraPreview::running() const {
  std::lock_guard<std::mutex> l(mutex_);
  return child_ > 0;
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
// read, and every read has a deadline; anything else than the protocol ends the preview as Io.
void CameraPreview::read_frames(int fd, pid_t pid) {
  std::string line;
  ScanErrorKind ended = ScanErrorKind::Io;
  std::string why = "the preview process ended without a word";
  bool late = false;
  auto deadline = Clock::now() + std::chrono::seconds(kFirstFrameSeconds);
  if (read_line(fd, line, deadline, late)) {
    if (line.rfind("error ", 0) == 0) {
      ended = error_line(line, why);
    } else if (line.rfind("ok ", 0) == 0) {
      for (;;) {
        if (!read_line(fd, line, deadline, late)) break;
        if (line.rfind("error ", 0) == 0) {
          ended = error_line(line, why);
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
        if (!read_until(fd, frame.pixels.data(), frame.pixels.size(), deadline, late)) break;
        deadline = Clock::now() + std::chrono::seconds(kFrameGapSeconds);
        {
          std::lock_guard<std::mutex> l(mutex_);
          if (child_ != pid) break;  // stopped meanwhile: this frame is wiped with `frame`
          std::swap(frame_, frame);
          ++sequence_;
        }
        if (on_frame_) on_frame_();
      }
    } else {
      why = "the preview process answered something else than ok";
    }
  }
  if (late) {
    ended = ScanErrorKind::TimedOut;
    why = "the camera sent no picture for " + std::to_string(kFrameGapSeconds) + " s";
  }
  kill(-pid, SIGKILL);  // done with it either way; not reaped yet, so still its group
  close(fd);
  bool halted;
  {
    std::lock_guard<std::mutex> l(mutex_);
    halted = child_ != pid;
    if (!halted) {
      child_ = -1;
      reaping_ = true;
      failed_ = true;
      problem_ = ended;
    }
  }
  while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
  }
  {
    std::lock_guard<std::mutex> l(mutex_);
    reaping_ = false;
  }
  reaped_.notify_all();
  if (!halted) std::fprintf(stderr, "motcua: camera preview ended (%s): %s\n", kind_name(ended), why.c_str());
  if (on_frame_) on_frame_();  // the screen says why, or starts it again
}

}  // namespace motcua::scanner
