#include "devices/scanner/v4l2_camera.h"

#include <fcntl.h>
#include <linux/videodev2.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>

#include "devices/scanner/jpeg_library.h"
#include "devices/scanner/page_jpeg.h"
#include "terminal/core/personal_data.h"

namespace motcua::scanner {

namespace {

int xioctl(int fd, unsigned long request, void* arg) {
  int r;
  do r = ioctl(fd, request, arg);
  while (r < 0 && errno == EINTR);
  return r;
}

// The translation at the edge: what the kernel says about a camera, as the kinds the citizen's
// sentence is chosen by. The errno's own words go to staff.
ScanError camera_error(int err, const std::string& during) {
  ScanErrorKind kind = ScanErrorKind::Io;
  std::string hint;
  switch (err) {
    case ENOENT:
    case ENODEV:
    case ENXIO: kind = ScanErrorKind::NoScanner; break;  // absent, or unplugged mid-stream
    case EACCES:
    case EPERM:
      kind = ScanErrorKind::NoScanner;
      hint = " (the kiosk's user is not in the camera's group, usually video)";
      break;
    case EBUSY: kind = ScanErrorKind::Busy; break;  // another program streams from it
    case ENOMEM: kind = ScanErrorKind::TooLarge; break;
  }
  return ScanError(kind, during + ": " + std::strerror(err) + hint);
}

// A fixed-size string from the driver, cut at its NUL and kept printable.
std::string driver_text(const unsigned char* s, size_t n) {
  std::string out(reinterpret_cast<const char*>(s), strnlen(reinterpret_cast<const char*>(s), n));
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  return out;
}

bool is_jpeg_format(unsigned fourcc) { return fourcc == V4L2_PIX_FMT_MJPEG || fourcc == V4L2_PIX_FMT_JPEG; }

// Lower is better at the same size: raw grey needs no work, JPEG needs decoding and can be broken.
int format_rank(unsigned fourcc) {
  if (fourcc == V4L2_PIX_FMT_GREY) return 0;
  if (fourcc == V4L2_PIX_FMT_YUYV) return 1;
  if (is_jpeg_format(fourcc)) return 2;
  return -1;
}

struct Mode { unsigned fourcc; int width, height; };

std::vector<Mode> offered_modes(int fd) {
  std::vector<Mode> modes;
  for (unsigned i = 0; i < 64; ++i) {  // bounded: a driver that never says EINVAL does not keep us here
    v4l2_fmtdesc f{};
    f.index = i;
    f.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    if (xioctl(fd, VIDIOC_ENUM_FMT, &f) < 0) break;
    if (format_rank(f.pixelformat) < 0) continue;
    size_t before = modes.size();
    for (unsigned j = 0; j < 256; ++j) {
      v4l2_frmsizeenum s{};
      s.index = j;
      s.pixel_format = f.pixelformat;
      if (xioctl(fd, VIDIOC_ENUM_FRAMESIZES, &s) < 0) break;
      if (s.type == V4L2_FRMSIZE_TYPE_DISCRETE) {
        modes.push_back({f.pixelformat, static_cast<int>(s.discrete.width), static_cast<int>(s.discrete.height)});
      } else {  // stepwise or continuous: its largest size
        modes.push_back({f.pixelformat, static_cast<int>(s.stepwise.max_width), static_cast<int>(s.stepwise.max_height)});
        break;
      }
    }
    if (modes.size() == before) {  // no size list (an older driver): the largest it snaps to
      v4l2_format t{};
      t.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
      t.fmt.pix.width = t.fmt.pix.height = 16384;
      t.fmt.pix.pixelformat = f.pixelformat;
      t.fmt.pix.field = V4L2_FIELD_NONE;
      if (xioctl(fd, VIDIOC_TRY_FMT, &t) == 0 && t.fmt.pix.pixelformat == f.pixelformat)
        modes.push_back({f.pixelformat, static_cast<int>(t.fmt.pix.width), static_cast<int>(t.fmt.pix.height)});
    }
  }
  return modes;
}

// Dots per inch of the sheet when the picture (after rotation) holds the whole area.
double sheet_dpi(int width, int height, const ScanSettings& s) {
  return std::min(width / s.width_mm, height / s.height_mm) * 25.4;
}

// Area averaging, for a picture sharper than the page needs: every source pixel counts once.
GrayImage scale_down(const GrayImage& in, int width, int height) {
  GrayImage out;
  out.width = width;
  out.height = height;
  out.pixels.resize(static_cast<size_t>(width) * height);
  std::vector<int> x0(static_cast<size_t>(width) + 1);
  for (int x = 0; x <= width; ++x) x0[static_cast<size_t>(x)] = static_cast<int>(static_cast<long long>(x) * in.width / width);
  for (int y = 0; y < height; ++y) {
    int ya = static_cast<int>(static_cast<long long>(y) * in.height / height);
    int yb = std::max(ya + 1, static_cast<int>(static_cast<long long>(y + 1) * in.height / height));
    for (int x = 0; x < width; ++x) {
      int xa = x0[static_cast<size_t>(x)], xb = std::max(xa + 1, x0[static_cast<size_t>(x) + 1]);
      unsigned sum = 0;
      for (int yy = ya; yy < yb; ++yy) {
        const unsigned char* row = in.pixels.data() + static_cast<size_t>(yy) * in.width;
        for (int xx = xa; xx < xb; ++xx) sum += row[xx];
      }
      out.pixels[static_cast<size_t>(y) * width + x] = static_cast<unsigned char>(sum / static_cast<unsigned>((yb - ya) * (xb - xa)));
    }
  }
  return out;
}

// Every how many pixels one is kept so the longer side is at most max_side (0: all of them).
int step_to_fit(int width, int height, int max_side) {
  int step = 1;
  while (max_side > 0 && std::max(width, height) / step > max_side) ++step;
  return step;
}

// Every step-th pixel, so the longer side is at most max_side: enough for a live picture.
GrayImage subsample(const GrayImage& in, int max_side) {
  int step = step_to_fit(in.width, in.height, max_side);
  GrayImage out;
  out.width = in.width / step;
  out.height = in.height / step;
  out.pixels.resize(static_cast<size_t>(out.width) * out.height);
  for (int y = 0; y < out.height; ++y)
    for (int x = 0; x < out.width; ++x)
      out.pixels[static_cast<size_t>(y) * out.width + x] = in.pixels[static_cast<size_t>(y) * step * in.width + static_cast<size_t>(x) * step];
  return out;
}

// Clockwise by quarter turns.
// Taken by value: a moved page keeps its zeroing buffer (a copy would not).
GrayImage rotate(GrayImage in, int degrees) {
  if (degrees == 0) return in;
  GrayImage out;
  bool quarter = degrees == 90 || degrees == 270;
  out.width = quarter ? in.height : in.width;
  out.height = quarter ? in.width : in.height;
  out.dpi = in.dpi;
  out.pixels.resize(in.pixels.size());
  for (int y = 0; y < out.height; ++y)
    for (int x = 0; x < out.width; ++x) {
      int sx, sy;
      if (degrees == 90) sx = y, sy = in.height - 1 - x;
      else if (degrees == 180) sx = in.width - 1 - x, sy = in.height - 1 - y;
      else sx = in.width - 1 - y, sy = x;
      out.pixels[static_cast<size_t>(y) * out.width + x] = in.pixels[static_cast<size_t>(sy) * in.width + sx];
    }
  return out;
}

int option_int(const std::map<std::string, std::string>& options, const std::string& name, int fallback) {
  auto it = options.find(name);
  if (it == options.end()) return fallback;
  try {
    size_t used = 0;
    int v = std::stoi(it->second, &used);
    if (used == it->second.size()) return v;
  } catch (const std::exception&) {
  }
  throw ScanError(ScanErrorKind::Io, "the camera option " + name + " is not a whole number: " + it->second);
}

constexpr int kMaxBrokenFrames = 10;

}  // namespace

V4l2Camera::V4l2Camera(const std::string& path, ScanSettings settings, const std::map<std::string, std::string>& options)
    : settings_(settings) {
  rotate_ = option_int(options, "rotate", 0);
  if (rotate_ != 0 && rotate_ != 90 && rotate_ != 180 && rotate_ != 270)
    throw ScanError(ScanErrorKind::Io, "the camera option rotate is 0, 90, 180 or 270, not " + std::to_string(rotate_));
  warmup_ = std::clamp(option_int(options, "warmup", 5), 0, 100);
  for (auto& [name, value] : options)
    if (name != "rotate" && name != "warmup") throw ScanError(ScanErrorKind::Io, "a camera has no option " + name);

  fd_ = ::open(path.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd_ < 0) throw camera_error(errno, "the camera " + path);
  v4l2_capability cap{};
  if (xioctl(fd_, VIDIOC_QUERYCAP, &cap) < 0) throw camera_error(errno == ENOTTY ? ENODEV : errno, path + " is not a V4L2 device");
  unsigned caps = (cap.capabilities & V4L2_CAP_DEVICE_CAPS) ? cap.device_caps : cap.capabilities;
  if (!(caps & V4L2_CAP_VIDEO_CAPTURE) || !(caps & V4L2_CAP_STREAMING))
    throw ScanError(ScanErrorKind::NoScanner, path + " is not a camera that captures pictures by streaming");
  description_ = driver_text(cap.card, sizeof cap.card) + " (" + driver_text(cap.driver, sizeof cap.driver) + ", " +
                 driver_text(cap.bus_info, sizeof cap.bus_info) + ")";

  // The smallest picture that gives the page its dpi (less to move and decode), else the largest;
  // never one over the page limit. At the same size, the format that needs least work.
  bool quarter = rotate_ == 90 || rotate_ == 270;
  auto dpi_of = [&](const Mode& m) { return quarter ? sheet_dpi(m.height, m.width, settings_) : sheet_dpi(m.width, m.height, settings_); };
  std::vector<Mode> modes = offered_modes(fd_);
  if (modes.empty()) throw ScanError(ScanErrorKind::NoScanner, path + " offers none of GREY, YUYV or MJPG");
  std::vector<Mode> fitting;
  for (const Mode& m : modes)
    if (m.width > 0 && m.height > 0 && static_cast<size_t>(m.width) * static_cast<size_t>(m.height) <= settings_.max_bytes)
      fitting.push_back(m);
  if (fitting.empty()) throw ScanError(ScanErrorKind::TooLarge, path + ": every picture size is over the page limit");
  auto area = [](const Mode& m) { return static_cast<long long>(m.width) * m.height; };
  auto better = [&](const Mode& a, const Mode& b) {  // is a a better choice than b?
    bool a_enough = dpi_of(a) >= settings_.dpi - 0.5, b_enough = dpi_of(b) >= settings_.dpi - 0.5;
    if (a_enough != b_enough) return a_enough;
    if (area(a) != area(b)) return a_enough ? area(a) < area(b) : area(a) > area(b);
    return format_rank(a.fourcc) < format_rank(b.fourcc);
  };
  Mode chosen = fitting.front();
  for (const Mode& m : fitting)
    if (better(m, chosen)) chosen = m;

  v4l2_format fmt{};
  fmt.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  fmt.fmt.pix.width = static_cast<unsigned>(chosen.width);
  fmt.fmt.pix.height = static_cast<unsigned>(chosen.height);
  fmt.fmt.pix.pixelformat = chosen.fourcc;
  fmt.fmt.pix.field = V4L2_FIELD_NONE;
  if (xioctl(fd_, VIDIOC_S_FMT, &fmt) < 0) throw camera_error(errno, "setting the camera's picture format");
  // The driver has the last word; take what it set, if it is still something this reads.
  fourcc_ = fmt.fmt.pix.pixelformat;
  width_ = static_cast<int>(fmt.fmt.pix.width);
  height_ = static_cast<int>(fmt.fmt.pix.height);
  if (format_rank(fourcc_) < 0 || width_ <= 0 || height_ <= 0 || width_ > 16384 || height_ > 16384 ||
      fmt.fmt.pix.bytesperline > 65536)
    throw ScanError(ScanErrorKind::Io, "the camera set a picture format this kiosk does not read");
  int bpp = fourcc_ == V4L2_PIX_FMT_YUYV ? 2 : 1;
  stride_ = std::max(static_cast<int>(fmt.fmt.pix.bytesperline), width_ * bpp);
  if (static_cast<size_t>(width_) * static_cast<size_t>(height_) > settings_.max_bytes)
    throw ScanError(ScanErrorKind::TooLarge, "the camera's picture is over the page limit");

  v4l2_requestbuffers req{};
  req.count = 4;
  req.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  req.memory = V4L2_MEMORY_MMAP;
  if (xioctl(fd_, VIDIOC_REQBUFS, &req) < 0) throw camera_error(errno, "asking the camera for buffers");
  if (req.count < 1 || req.count > 32) throw ScanError(ScanErrorKind::Io, "the camera gave no usable buffers");
  for (unsigned i = 0; i < req.count; ++i) {
    v4l2_buffer b{};
    b.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    b.memory = V4L2_MEMORY_MMAP;
    b.index = i;
    if (xioctl(fd_, VIDIOC_QUERYBUF, &b) < 0) throw camera_error(errno, "reading the camera's buffers");
    void* p = mmap(nullptr, b.length, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, b.m.offset);
    if (p == MAP_FAILED) throw camera_error(errno, "mapping the camera's buffers");
    buffers_.emplace_back(p, b.length);
    if (xioctl(fd_, VIDIOC_QBUF, &b) < 0) throw camera_error(errno, "queueing the camera's buffers");
  }
  v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  if (xioctl(fd_, VIDIOC_STREAMON, &type) < 0) throw camera_error(errno, "starting the camera");
}

V4l2Camera::~V4l2Camera() {
  if (fd_ < 0) return;
  wipe();
  for (auto& [p, n] : buffers_) munmap(p, n);
  ::close(fd_);
}

void V4l2Camera::wipe() {
  v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  xioctl(fd_, VIDIOC_STREAMOFF, &type);  // no frame is written into them any more
  for (auto& [p, n] : buffers_) secure_zero(p, n);  // pictures of a citizen's paper
}

V4l2Camera::Frame V4l2Camera::dequeue(int timeout_ms) {
  using clock = std::chrono::steady_clock;
  auto deadline = clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
    if (left <= 0) throw ScanError(ScanErrorKind::TimedOut, "the camera sent no picture within " + std::to_string(timeout_ms / 1000) + " s");
    pollfd p{fd_, POLLIN, 0};
    int r = poll(&p, 1, static_cast<int>(left));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) throw camera_error(errno, "waiting for the camera");
    if (r == 0) continue;
    v4l2_buffer b{};
    b.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    b.memory = V4L2_MEMORY_MMAP;
    if (xioctl(fd_, VIDIOC_DQBUF, &b) < 0) {
      if (errno == EAGAIN) {
        if (p.revents & (POLLERR | POLLHUP)) throw camera_error(ENODEV, "reading the camera");
        continue;
      }
      throw camera_error(errno, "reading the camera");
    }
    if (b.index >= buffers_.size()) throw ScanError(ScanErrorKind::Io, "the camera returned a buffer it was not given");
    size_t used = b.bytesused ? b.bytesused : buffers_[b.index].second;
    if (used > buffers_[b.index].second) used = buffers_[b.index].second;
    if (b.flags & V4L2_BUF_FLAG_ERROR) used = 0;  // the driver says this picture is damaged
    return {static_cast<const unsigned char*>(buffers_[b.index].first), used, b.index};
  }
}

void V4l2Camera::requeue(unsigned index) {
  v4l2_buffer b{};
  b.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  b.memory = V4L2_MEMORY_MMAP;
  b.index = index;
  if (xioctl(fd_, VIDIOC_QBUF, &b) < 0) throw camera_error(errno, "handing a buffer back to the camera");
}

// The frame in grey, its longer side at most max_side when that is given (0: full size); empty
// when the frame is broken (short, or a JPEG that is not the agreed size or does not decode).
GrayImage V4l2Camera::grey(const Frame& f, int max_side) {
  GrayImage img;
  if (is_jpeg_format(fourcc_)) {
    // Without libjpeg every frame would look broken: said as what it is, naming the package.
    if (!jpeg::library_error().empty()) throw ScanError(ScanErrorKind::Io, "the camera sends JPEG: " + jpeg::library_error());
    img = decode_jpeg_frame(f.data, f.size, width_, height_, max_side);  // a header that lies is not decoded
    if (max_side > 0 && std::max(img.width, img.height) > max_side) img = subsample(img, max_side);  // past libjpeg's 1/8
    return img;
  }
  int bpp = fourcc_ == V4L2_PIX_FMT_YUYV ? 2 : 1;
  if (f.size < static_cast<size_t>(stride_) * (height_ - 1) + static_cast<size_t>(width_) * bpp) return img;
  int step = step_to_fit(width_, height_, max_side);  // straight from the frame: no full-size copy
  img.width = width_ / step;
  img.height = height_ / step;
  img.pixels.resize(static_cast<size_t>(img.width) * img.height);
  for (int y = 0; y < img.height; ++y) {
    const unsigned char* row = f.data + static_cast<size_t>(y) * step * stride_;
    unsigned char* out = img.pixels.data() + static_cast<size_t>(y) * img.width;
    for (int x = 0; x < img.width; ++x) out[x] = row[static_cast<size_t>(x) * step * bpp];  // YUYV: Y is every other byte
  }
  return img;
}

GrayImage V4l2Camera::page(int frame_timeout_ms) {
  int broken = 0;
  for (;;) {
    Frame f = dequeue(frame_timeout_ms);
    if (warmup_ > 0) {  // exposure and focus are still settling
      --warmup_;
      requeue(f.index);
      continue;
    }
    GrayImage img = grey(f, 0);
    requeue(f.index);
    if (img.pixels.empty()) {
      if (++broken >= kMaxBrokenFrames)
        throw ScanError(ScanErrorKind::Io, "the camera sent " + std::to_string(broken) + " broken pictures in a row");
      continue;
    }
    img = rotate(std::move(img), rotate_);
    double dpi = sheet_dpi(img.width, img.height, settings_);
    img.dpi = static_cast<int>(std::lround(dpi));
    if (dpi > settings_.dpi + 0.5) {
      double s = settings_.dpi / dpi;
      img = scale_down(img, std::max(1, static_cast<int>(std::lround(img.width * s))), std::max(1, static_cast<int>(std::lround(img.height * s))));
      img.dpi = settings_.dpi;
    }
    return img;
  }
}

std::optional<GrayImage> V4l2Camera::preview(int max_side, int frame_timeout_ms, std::chrono::steady_clock::time_point not_before) {
  for (int broken = 0;;) {
    Frame f = dequeue(frame_timeout_ms);
    if (std::chrono::steady_clock::now() < not_before) {
      requeue(f.index);
      return std::nullopt;
    }
    GrayImage img = grey(f, max_side);
    requeue(f.index);
    if (!img.pixels.empty()) return rotate(std::move(img), rotate_);
    if (++broken >= kMaxBrokenFrames)
      throw ScanError(ScanErrorKind::Io, "the camera sent " + std::to_string(broken) + " broken pictures in a row");
  }
}

}  // namespace motcua::scanner
