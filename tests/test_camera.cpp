// A V4L2 document camera, through the scan process as the kiosk uses it, against a camera the
// kernel would present: tests/fixtures/fake_v4l2, preloaded into motcua-scan (the machine has no
// /dev/video* and no v4l2loopback). Pages, the live preview, and every fault as its plain kind.
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "devices/scanner/camera_preview.h"
#include "devices/scanner/page_jpeg.h"
#include "devices/scanner/sane_scanner.h"
#include "devices/scanner/v4l2_camera.h"
#include "terminal/services/scan_service.h"
#include "tests/support/barcode_reader.h"
#include "tests/support/fake_camera.h"

using namespace motcua;
using namespace motcua::scanner;

namespace {

// The page as zbar would see a photocopy of it.
printer::Bitmap as_paper(const GrayImage& page) {
  printer::Bitmap b(page.width, page.height);
  for (int y = 0; y < page.height; ++y)
    for (int x = 0; x < page.width; ++x) b.set(x, y, page.pixels[static_cast<size_t>(y) * page.width + x] < 128);
  return b;
}

// The mean grey of a corner square, a tenth of the page's width on a side.
int corner_mean(const GrayImage& page, bool right, bool bottom) {
  int side = page.width / 10;
  int x0 = right ? page.width - side : 0, y0 = bottom ? page.height - side : 0;
  long sum = 0;
  for (int y = y0; y < y0 + side; ++y)
    for (int x = x0; x < x0 + side; ++x) sum += page.pixels[static_cast<size_t>(y) * page.width + x];
  return static_cast<int>(sum / (static_cast<long>(side) * side));
}

ScanErrorKind camera_error(test::FakeCamera& camera, ScanSettings settings = {},
                           std::map<std::string, std::string> options = {}) {
  try {
    SaneScanner scanner(camera.scan_device(), settings, options);
    scanner.scan_page();
  } catch (const ScanError& e) {
    MESSAGE(std::string(e.what()));
    return e.kind;
  }
  FAIL("the camera gave a page");
  return ScanErrorKind::Io;
}

template <typename F>
bool eventually(F done, int ms = 8000) {
  for (int i = 0; i < ms / 20; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

}  // namespace

TEST_CASE("camera: a page is the sheet at 200 dpi with its QR code legible in YUYV and MJPG and GREY") {
  for (const char* format : {"YUYV", "MJPG", "GREY"}) {
    CAPTURE(format);
    test::FakeCamera camera;
    camera.set("FAKE_V4L2_FORMATS", format);
    // Mounted across the sheet: the camera's 2592x1944 picture, turned, holds A4 at 222 dpi.
    SaneScanner scanner(camera.scan_device(), ScanSettings{}, {{"rotate", "90"}});
    CHECK(scanner.describe().find("MotCua test camera") != std::string::npos);
    GrayImage page = scanner.scan_page();
    CHECK(page.dpi == 200);
    CHECK(page.width == doctest::Approx(1944 * 200 / 221.7).epsilon(0.01));
    CHECK(page.height == doctest::Approx(2592 * 200 / 221.7).epsilon(0.01));
    CHECK(test::symbols_of(as_paper(page), "QR-Code") == std::vector<std::string>{test::FakeCamera::kSceneText});
    // Turned clockwise: the scene's top right corner is the page's bottom right.
    CHECK(corner_mean(page, true, true) < 64);
    CHECK(corner_mean(page, true, false) > 192);
    CHECK(corner_mean(page, false, false) > 192);
    // Stored as every scanned page is: a greyscale JPEG that says 200 dpi.
    auto jpeg = encode_jpeg(page);
    CHECK(jpeg_size(jpeg.data(), jpeg.size()).components == 1);
  }
}

TEST_CASE("camera: rows a driver pads past the width are read by bytesperline in GREY and YUYV") {
  for (const char* format : {"GREY", "YUYV"}) {
    CAPTURE(format);
    test::FakeCamera camera;
    camera.set("FAKE_V4L2_FORMATS", format);
    camera.set("FAKE_V4L2_ROW_PADDING", "96");
    GrayImage page = SaneScanner(camera.scan_device(), ScanSettings{}, {{"rotate", "90"}}).scan_page();
    CHECK(test::symbols_of(as_paper(page), "QR-Code") == std::vector<std::string>{test::FakeCamera::kSceneText});
    CHECK(corner_mean(page, true, true) < 64);  // rows that drifted would smear the corner square
    CHECK(corner_mean(page, false, true) > 192);
  }
}

TEST_CASE("camera: unturned the picture is kept whole at the dpi it gives and the smallest size that is enough is chosen") {
  test::FakeCamera camera;
  SaneScanner wide(camera.scan_device(), ScanSettings{}, {});
  GrayImage page = wide.scan_page();
  // A landscape picture cannot hold portrait A4 at 200 dpi: the largest, at what it gives.
  CHECK(page.width == 2592);
  CHECK(page.height == 1944);
  CHECK(page.dpi == 166);
  CHECK(corner_mean(page, true, false) < 64);

  // A smaller sheet (A5 across) is reached by 1280x960 already: no larger picture is moved.
  ScanSettings a5;
  a5.width_mm = 148;
  a5.height_mm = 105;
  camera.set("FAKE_V4L2_SIZES", "640x480,1280x960,2592x1944");
  GrayImage small = SaneScanner(camera.scan_device(), a5, {}).scan_page();
  CHECK(small.dpi == 200);
  CHECK(small.width == doctest::Approx(1280 * 200 / 219.7).epsilon(0.01));
}

TEST_CASE("camera: absent busy unplugged stalled not a camera and broken pictures each become their plain kind") {
  {
    test::FakeCamera camera;
    camera.set("FAKE_V4L2_FAULT", "open-fails");
    CHECK(camera_error(camera) == ScanErrorKind::NoScanner);
  }
  {
    test::FakeCamera camera;
    camera.set("FAKE_V4L2_FAULT", "busy");
    CHECK(camera_error(camera) == ScanErrorKind::Busy);
  }
  {
    test::FakeCamera camera;
    camera.set("FAKE_V4L2_FAULT", "not-capture");
    CHECK(camera_error(camera) == ScanErrorKind::NoScanner);
  }
  {
    test::FakeCamera camera;  // pulled out while exposure settles, before the page
    camera.set("FAKE_V4L2_FAULT", "vanish:3");
    CHECK(camera_error(camera) == ScanErrorKind::NoScanner);
  }
  {
    test::FakeCamera camera;
    camera.set("FAKE_V4L2_FAULT", "stall");
    ScanSettings quick;
    quick.timeout_ms = 2000;
    auto started = std::chrono::steady_clock::now();
    CHECK(camera_error(camera, quick) == ScanErrorKind::TimedOut);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(10));
  }
  {
    test::FakeCamera camera;
    camera.set("FAKE_V4L2_FORMATS", "MJPG");
    camera.set("FAKE_V4L2_FAULT", "corrupt:1");
    CHECK(camera_error(camera) == ScanErrorKind::Io);
  }
  {
    test::FakeCamera camera;  // every size over the page limit
    camera.set("FAKE_V4L2_SIZES", "4000x3000");
    ScanSettings tight;
    tight.max_bytes = 1u << 20;
    CHECK(camera_error(camera, tight) == ScanErrorKind::TooLarge);
  }
  {
    test::FakeCamera camera;
    CHECK(camera_error(camera, {}, {{"rotate", "45"}}) == ScanErrorKind::Io);
    CHECK(camera_error(camera, {}, {{"source", "Flatbed"}}) == ScanErrorKind::Io);
  }
}

TEST_CASE("a JPEG camera without libjpeg: the page is refused naming the package, and the same camera works with it") {
  // libjpeg is opened by motcua-scan at the first JPEG frame (devices/scanner/jpeg_library.cpp).
  test::FakeCamera camera;
  camera.set("FAKE_V4L2_FORMATS", "MJPG");  // a camera that only sends JPEG
  std::string gone = camera.dir / "libjpeg-gone.so";
  camera.set("MOTCUA_JPEG_LIBRARY", gone);
  std::string why;
  ScanErrorKind kind = ScanErrorKind::Io;
  try {
    SaneScanner(camera.scan_device(), ScanSettings{}, {}).scan_page();
    FAIL("a page came without a JPEG decoder");
  } catch (const ScanError& e) {
    why = e.what();
    kind = e.kind;
  }
  CHECK(kind == ScanErrorKind::Io);
  CHECK_MESSAGE(why.find("install the libjpeg62-turbo package") != std::string::npos, why);
  unsetenv("MOTCUA_JPEG_LIBRARY");
  CHECK(SaneScanner(camera.scan_device(), ScanSettings{}, {}).scan_page().width == 2592);
}

TEST_CASE("camera preview: small frames keep coming until stopped and then nothing is left") {
  test::FakeCamera camera;
  std::atomic<int> woken{0};
  CameraPreview preview(camera.scan_device(), ScanSettings{}, {}, [&] { ++woken; });
  GrayImage frame;
  unsigned seen = 0;
  preview.want(true);
  REQUIRE(eventually([&] { return preview.newest(frame, seen); }));
  CHECK(preview.running());
  CHECK(std::max(frame.width, frame.height) <= kPreviewSide);
  CHECK(frame.width * 3 == frame.height * 4);
  unsigned first = seen;
  REQUIRE(eventually([&] { return preview.newest(frame, seen); }));
  CHECK(seen > first);
  CHECK(woken >= 2);
  preview.stop();
  CHECK_FALSE(preview.running());
  CHECK_FALSE(preview.newest(frame, seen));
  CHECK_FALSE(preview.problem());
  // The camera is free again at once: a page can be taken.
  CHECK(SaneScanner(camera.scan_device(), ScanSettings{}, {}).scan_page().width == 2592);
}

TEST_CASE("camera preview: a 13 MP camera sending MJPG still gives frames no larger than the screen needs") {
  test::FakeCamera camera;
  camera.set("FAKE_V4L2_FORMATS", "MJPG");
  camera.set("FAKE_V4L2_SIZES", "4160x3120");  // libjpeg's 1/8 alone leaves 520 pixels
  CameraPreview preview(camera.scan_device(), ScanSettings{}, {}, [] {});
  preview.want(true);
  GrayImage frame;
  unsigned seen = 0;
  REQUIRE(eventually([&] { return preview.newest(frame, seen); }));
  CHECK(std::max(frame.width, frame.height) <= kPreviewSide);
  CHECK_FALSE(preview.problem());
}

TEST_CASE("camera preview: a camera that stops sending ends it as TimedOut within seconds, not the scan's minute") {
  test::FakeCamera camera;
  camera.set("FAKE_V4L2_FAULT", "stall");
  CameraPreview preview(camera.scan_device(), ScanSettings{}, {}, [] {});
  auto started = std::chrono::steady_clock::now();
  preview.want(true);
  REQUIRE(eventually([&] { return preview.problem().has_value(); }, 15000));
  CHECK(*preview.problem() == ScanErrorKind::TimedOut);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(8));
  CHECK_FALSE(preview.running());
}

TEST_CASE("camera: a frame whose header lies about its size is never decoded") {
  GrayImage big;
  big.width = 2000;
  big.height = 1500;
  big.pixels.assign(static_cast<size_t>(big.width) * big.height, 255);
  auto real = encode_jpeg(big);
  REQUIRE(real.size() < 0xFFE0);
  // FFD8, a marker without length (RST0), then the real JPEG from its APP0 on. A reader that takes
  // every marker to have a length reads APP0's FF E0 as one and jumps to a fake SOF: 64x48.
  std::vector<unsigned char> crafted = {0xFF, 0xD8, 0xFF, 0xD0};
  crafted.insert(crafted.end(), real.begin() + 2, real.end());
  crafted.resize(4 + 0xFFE0, 0);
  const unsigned char fake_sof[] = {0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 48, 0x00, 64, 0x01, 0x01, 0x11, 0x00};
  crafted.insert(crafted.end(), std::begin(fake_sof), std::end(fake_sof));
  CHECK(jpeg_size(crafted.data(), crafted.size()).width == 64);  // the lie, as a careless reader sees it
  CHECK(decode_jpeg_frame(crafted.data(), crafted.size(), 64, 48, 0).pixels.empty());
  // The agreed size decodes; a progressive frame of it does not.
  CHECK(decode_jpeg_frame(real.data(), real.size(), 2000, 1500, 0).width == 2000);
  CHECK(decode_jpeg_frame(real.data(), real.size(), 2000, 1500, 480).width <= 480);
  CHECK(decode_jpeg_frame(real.data(), real.size(), 2001, 1500, 0).pixels.empty());
}

TEST_CASE("camera preview: a camera pulled out ends it as NoScanner and it is not started again until stopped") {
  test::FakeCamera camera;
  camera.set("FAKE_V4L2_FAULT", "vanish:6");
  CameraPreview preview(camera.scan_device(), ScanSettings{}, {}, [] {});
  preview.want(true);
  REQUIRE(eventually([&] { return preview.problem().has_value(); }));
  CHECK(*preview.problem() == ScanErrorKind::NoScanner);
  CHECK_FALSE(preview.running());
  preview.want(true);  // the screen asks every frame: a missing camera is not asked again
  CHECK_FALSE(preview.running());
  CHECK(preview.problem().has_value());
  preview.stop();
  CHECK_FALSE(preview.problem());
}

TEST_CASE("camera: the scan service stops the live picture before it takes the page so the camera is never busy") {
  test::FakeCamera camera;
  KioskConfig config;
  config.scanner = camera.scan_device();
  std::atomic<int> woken{0};
  ScanService service(config, [&] { ++woken; });
  REQUIRE(service.camera() != nullptr);
  service.camera()->want(true);
  GrayImage frame;
  unsigned seen = 0;
  REQUIRE(eventually([&] { return service.camera()->newest(frame, seen); }));
  service.start();
  std::optional<ScanResult> result;
  REQUIRE(eventually([&] { return (result = service.take()).has_value(); }, 20000));
  CHECK(result->problem == ScanProblem::None);
  REQUIRE(result->page);
  CHECK(result->page->dpi == 166);
  CHECK_FALSE(service.camera()->running());
}
