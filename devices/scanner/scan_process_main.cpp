// motcua-scan: the disposable process that talks to SANE, or to a V4L2 document camera
// (--device v4l2:/dev/videoN, v4l2_camera.h), for the kiosk (sane_scanner.h).
//   motcua-scan probe|scan|preview --device NAME --dpi N --area WIDTHxHEIGHT --max-bytes N [--option NAME=VALUE]...
// Answers one line on stdout, then ends without tearing SANE down:
//   ok DESCRIPTION                       (probe: the device opened and took its options)
//   page WIDTH HEIGHT DPI  + WIDTH*HEIGHT bytes of 8-bit grey, rows top to bottom
//   error KIND MESSAGE                   (KIND as kind_name says)
// preview (cameras only) answers ok, then a small picture at most 5 times a second until it is
// killed or its reader goes away, each as
//   frame WIDTH HEIGHT  + WIDTH*HEIGHT bytes of 8-bit grey (the longer side at most kPreviewSide)
// Rule: this process may hang or die inside a backend; the kiosk's deadline and SIGKILL end it.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include "devices/scanner/sane_session.h"
#include "devices/scanner/v4l2_camera.h"
#include "terminal/core/personal_data.h"

using namespace motcua::scanner;

namespace {

bool write_all(const void* data, size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t n = ::write(1, p, size);
    if (n < 0) return false;
    p += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

void answer_line(const std::string& line) { write_all(line.data(), line.size()); }

[[noreturn]] void answer(const std::string& line, int status = 0) {
  write_all(line.data(), line.size());
  _exit(status);  // no destructors, no atexit: SANE's teardown is what hangs
}

std::string one_line(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  return s;
}

[[noreturn]] void send_page(GrayImage page) {
  std::string head = "page " + std::to_string(page.width) + " " + std::to_string(page.height) + " " +
                     std::to_string(page.dpi) + "\n";
  if (write_all(head.data(), head.size())) write_all(page.pixels.data(), page.pixels.size());
  motcua::secure_zero(page.pixels.data(), page.pixels.size());
  _exit(0);
}

constexpr int kPreviewFrameTimeoutMs = 3000;

// Every frame is taken (so the picture is never stale), but only the first after each 200 ms is
// decoded and sent: the screen needs a moving picture, not the camera's full rate. A picture
// that stops moving is a stalled camera: kPreviewFrameTimeoutMs, not the scan's minute.
[[noreturn]] void stream_preview(V4l2Camera& camera) {
  auto due = std::chrono::steady_clock::time_point{};
  for (;;) {
    std::optional<GrayImage> frame = camera.preview(kPreviewSide, kPreviewFrameTimeoutMs, due);
    if (!frame) continue;
    due = std::chrono::steady_clock::now() + std::chrono::milliseconds(200);
    std::string head = "frame " + std::to_string(frame->width) + " " + std::to_string(frame->height) + "\n";
    if (!write_all(head.data(), head.size()) || !write_all(frame->pixels.data(), frame->pixels.size())) _exit(0);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) answer("error io motcua-scan: no command (probe or scan)\n", 2);
  std::string command = argv[1];
  std::string device;
  ScanSettings settings;
  std::map<std::string, std::string> options;
  try {
    for (int i = 2; i + 1 < argc; i += 2) {
      std::string key = argv[i], value = argv[i + 1];
      if (key == "--device") {
        device = value;
      } else if (key == "--dpi") {
        settings.dpi = std::stoi(value);
      } else if (key == "--area") {
        size_t x = value.find('x');
        settings.width_mm = std::stod(value.substr(0, x));
        settings.height_mm = std::stod(value.substr(x + 1));
      } else if (key == "--max-bytes") {
        settings.max_bytes = std::stoull(value);
      } else if (key == "--option") {
        size_t eq = value.find('=');
        if (eq == std::string::npos) answer("error io motcua-scan: --option wants NAME=VALUE\n", 2);
        options[value.substr(0, eq)] = value.substr(eq + 1);
      } else {
        answer("error io motcua-scan: unknown argument " + one_line(key) + "\n", 2);
      }
    }
  } catch (const std::exception&) {
    answer("error io motcua-scan: a number is not a number\n", 2);
  }
  if (command != "probe" && command != "scan" && command != "preview") answer("error io motcua-scan: unknown command " + one_line(command) + "\n", 2);
  try {
    if (is_camera_device(device)) {
      V4l2Camera camera(device.substr(std::string(kCameraPrefix).size()), settings, options);
      if (command == "probe") answer("ok " + one_line(camera.describe()) + "\n");
      if (command == "preview") {
        answer_line("ok " + one_line(camera.describe()) + "\n");
        stream_preview(camera);
      }
      GrayImage page = camera.page(settings.timeout_ms);
      camera.wipe();
      send_page(std::move(page));
    }
    if (command == "preview") answer("error io a scanner shows no live picture; only a camera (v4l2:PATH) does\n");
    SaneSession session(device, settings, options);
    if (command == "probe") answer("ok " + one_line(session.describe()) + "\n");
    send_page(session.scan_page());
  } catch (const ScanError& e) {
    answer(std::string("error ") + kind_name(e.kind) + " " + one_line(e.what()) + "\n");
  } catch (const std::exception& e) {
    answer(std::string("error io ") + one_line(e.what()) + "\n");
  }
}
