// A V4L2 document camera for tests: tests/fixtures/fake_v4l2 preloaded (LD_PRELOAD) into every
// process started while this lives, so each motcua-scan finds a camera at `device` that shows a
// page: white, a QR code of kSceneText, a black square in its top right corner. The variables
// are the fixture's (FAKE_V4L2_*); they are removed again when this goes.
#pragma once
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "devices/printer/codes.h"
#include "tests/support/files.h"

namespace motcua::test {

struct FakeCamera {
  static constexpr const char* kSceneText = "MOTCUA-CAMERA-TEST";
  static constexpr int kSceneWidth = 1600, kSceneHeight = 1200;
  TempDir dir;
  std::string device = dir / "video0";
  std::vector<std::string> set_names;

  FakeCamera() {
    set("LD_PRELOAD", FAKE_V4L2_LIBRARY);
    set("FAKE_V4L2_DEVICE", device);
    set("FAKE_V4L2_SCENE", write_scene());
  }
  ~FakeCamera() {
    for (auto& name : set_names) unsetenv(name.c_str());
  }
  FakeCamera(const FakeCamera&) = delete;
  FakeCamera& operator=(const FakeCamera&) = delete;

  // FAKE_V4L2_FORMATS, _SIZES, _FPS, _FAULT, _LOG: for the processes started from now on.
  void set(const std::string& name, const std::string& value) {
    setenv(name.c_str(), value.c_str(), 1);
    set_names.push_back(name);
  }
  std::string scan_device() const { return "v4l2:" + device; }

 private:
  std::string write_scene() {
    std::vector<unsigned char> grey(static_cast<size_t>(kSceneWidth) * kSceneHeight, 255);
    auto fill = [&](int x0, int y0, int w, int h) {
      for (int y = y0; y < y0 + h; ++y)
        for (int x = x0; x < x0 + w; ++x) grey[static_cast<size_t>(y) * kSceneWidth + x] = 0;
    };
    printer::Bitmap qr = printer::qr_bitmap(kSceneText, 12);
    for (int y = 0; y < qr.height; ++y)
      for (int x = 0; x < qr.width; ++x)
        if (qr.at(x, y)) fill(200 + x, 300 + y, 1, 1);
    fill(kSceneWidth - 200, 0, 200, 200);
    std::string path = dir / "scene.pgm";
    std::ofstream out(path, std::ios::binary);
    out << "P5\n" << kSceneWidth << " " << kSceneHeight << "\n255\n";
    out.write(reinterpret_cast<const char*>(grey.data()), static_cast<std::streamsize>(grey.size()));
    return path;
  }
};

}  // namespace motcua::test
