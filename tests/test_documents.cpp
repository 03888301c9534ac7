// Document capture against SANE's own `test` backend (a real SANE device producing test pages,
// found through a private SANE_CONFIG_DIR), pages as JPEG, one PDF per document read back with
// poppler's tools, and the limits a session keeps.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <thread>

#include "devices/scanner/page_jpeg.h"
#include "devices/scanner/sane_scanner.h"
#include "terminal/core/captured_documents.h"
#include "terminal/core/personal_data.h"
#include "terminal/services/document_pdf.h"
#include "tests/support/files.h"

using namespace motcua;
using namespace motcua::scanner;

namespace {

// A SANE configuration holding only the test backend: two devices, test:0 and test:1. Every scan
// process (motcua-scan) reads it afresh.
struct SaneTestBackend {
  explicit SaneTestBackend(const std::string& backends = "test\n") {
    static test::TempDir dir;
    dir.write("dll.conf", backends);
    dir.write("test.conf", "number_of_devices 2\n");
    setenv("SANE_CONFIG_DIR", dir.path.c_str(), 1);
  }
};

ScanErrorKind scan_error(const std::map<std::string, std::string>& options, ScanSettings s = {}) {
  SaneScanner scanner("test:0", s, options);
  try {
    scanner.scan_page();
  } catch (const ScanError& e) {
    MESSAGE(std::string(e.what()));
    return e.kind;
  }
  FAIL("the scan succeeded");
  return ScanErrorKind::Io;
}

CapturedPage page_of(const GrayImage& img) {
  CapturedPage p;
  p.jpeg = encode_jpeg(img);
  p.width = img.width;
  p.height = img.height;
  p.dpi = img.dpi;
  return p;
}

// The value after "Name:" on pdfinfo's line for it.
std::string info_field(const std::string& info, const std::string& name) {
  size_t at = info.find(name + ":");
  if (at == std::string::npos) return "";
  size_t start = info.find_first_not_of(' ', at + name.size() + 1);
  return info.substr(start, info.find('\n', start) - start);
}

CapturedPage fake_page(size_t bytes) {
  CapturedPage p;
  p.jpeg.assign(bytes, 0x55);
  p.width = p.height = 100;
  p.dpi = 200;
  return p;
}

}  // namespace

TEST_CASE("SANE test backend: one page at 200 dpi greyscale over the A4 area the device allows") {
  SaneTestBackend sane;
  SaneScanner scanner("test:0", ScanSettings{}, {{"test-picture", "Grid"}});
  GrayImage img = scanner.scan_page();
  CHECK(img.dpi == 200);
  // The test device's bed is 200 x 200 mm: A4 is clamped to it, 200 mm at 200 dpi = 1574 pixels.
  CHECK(img.width == 1574);
  CHECK(img.height == 1574);
  REQUIRE(img.pixels.size() == 1574u * 1574u);
  std::set<unsigned char> levels(img.pixels.begin(), img.pixels.end());
  CHECK(levels.count(0) == 1);    // the grid's black squares
  CHECK(levels.count(255) == 1);  // and its white ones
  // A second page from the same open device.
  GrayImage again = scanner.scan_page();
  CHECK(again.pixels == img.pixels);
}

TEST_CASE("SANE: with no backend configured, opening the first scanner is NoScanner") {
  SaneTestBackend none("");
  try {
    SaneScanner scanner("", ScanSettings{});
    FAIL("opened a scanner that is not there");
  } catch (const ScanError& e) {
    CHECK(e.kind == ScanErrorKind::NoScanner);
  }
}

TEST_CASE("SANE: the first device is used when none is named, an unknown name is NoScanner") {
  {
    SaneTestBackend sane;
    SaneScanner scanner("", ScanSettings{});
    CHECK(scanner.describe().rfind("test:0", 0) == 0);
  }
  {
    SaneTestBackend sane;  // two test devices: test:0 and test:1
    try {
      SaneScanner scanner("test:7", ScanSettings{});
      FAIL("opened a scanner that is not there");
    } catch (const ScanError& e) {
      CHECK(e.kind == ScanErrorKind::NoScanner);
      CHECK(std::string(e.what()).find("test:7") != std::string::npos);
    }
  }
}

TEST_CASE("SANE: the device's own failures become plain kinds") {
  SaneTestBackend sane;
  CHECK(scan_error({{"read-return-value", "SANE_STATUS_JAMMED"}}) == ScanErrorKind::Jammed);
  CHECK(scan_error({{"read-return-value", "SANE_STATUS_NO_DOCS"}}) == ScanErrorKind::Jammed);
  CHECK(scan_error({{"read-return-value", "SANE_STATUS_COVER_OPEN"}}) == ScanErrorKind::Jammed);
  CHECK(scan_error({{"read-return-value", "SANE_STATUS_DEVICE_BUSY"}}) == ScanErrorKind::Busy);
  CHECK(scan_error({{"read-return-value", "SANE_STATUS_CANCELLED"}}) == ScanErrorKind::Cancelled);
  CHECK(scan_error({{"read-return-value", "SANE_STATUS_IO_ERROR"}}) == ScanErrorKind::Io);
  // An option the configuration names and the device lacks is an error for staff, not ignored.
  try {
    SaneScanner scanner("test:0", ScanSettings{}, {{"no-such-option", "1"}});
    FAIL("an unknown option was accepted");
  } catch (const ScanError& e) {
    CHECK(std::string(e.what()).find("no-such-option") != std::string::npos);
  }
}

TEST_CASE("SANE: a 200 MB page is refused before it is read") {
  SaneTestBackend sane;
  // 200 x 200 mm at 1200 dpi, 16 bits a pixel: 9449 x 9449 x 2 bytes, about 170 MiB.
  auto t0 = std::chrono::steady_clock::now();
  SaneScanner scanner("test:0", ScanSettings{}, {{"resolution", "1200"}, {"depth", "16"}});
  try {
    scanner.scan_page();
    FAIL("a 170 MiB page was read");
  } catch (const ScanError& e) {
    CHECK(e.kind == ScanErrorKind::TooLarge);
    CHECK(std::string(e.what()).find("the limit is 64.0 MiB") != std::string::npos);
    MESSAGE(std::string(e.what()));
  }
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(10));
  // A device that does not announce its length is stopped once it has sent the limit.
  ScanSettings small;
  small.max_bytes = 1024 * 1024;
  SaneScanner hand("test:1", small, {{"hand-scanner", "true"}});
  try {
    hand.scan_page();
    FAIL("an unannounced page went over the limit");
  } catch (const ScanError& e) {
    CHECK(e.kind == ScanErrorKind::TooLarge);
  }
}

TEST_CASE("SANE: a stalled device times out") {
  SaneTestBackend sane;
  ScanSettings s;
  s.timeout_ms = 1000;
  // 0.2 s before each block the device sends: the 2.5 MB page would take about 8 s.
  auto t0 = std::chrono::steady_clock::now();
  CHECK(scan_error({{"read-delay", "true"}, {"read-delay-duration", "200000"}}, s) == ScanErrorKind::TimedOut);
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5));
}

TEST_CASE("SANE: a scan cancelled from another thread ends at once, its process killed") {
  SaneTestBackend sane;
  SaneScanner scanner("test:0", ScanSettings{}, {{"read-delay", "true"}, {"read-delay-duration", "200000"}});
  auto t0 = std::chrono::steady_clock::now();
  std::thread stop([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    scanner.cancel();
  });
  ScanErrorKind kind = ScanErrorKind::Io;
  try {
    scanner.scan_page();
  } catch (const ScanError& e) {
    kind = e.kind;
  }
  stop.join();
  CHECK(kind == ScanErrorKind::Cancelled);
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(3));  // the page alone takes about 8 s
  // The next scan is a new process and works.
  SaneScanner again("test:0", ScanSettings{}, {{"test-picture", "Grid"}});
  CHECK(again.scan_page().width == 1574);
}

// A stand-in for motcua-scan that answers `probe` properly and `scan` with the given shell text.
struct HostileScanProgram {
  explicit HostileScanProgram(const std::string& scan_answer) {
    std::string script = "#!/bin/sh\nif [ \"$1\" = probe ]; then echo 'ok hostile'; exit 0; fi\n" + scan_answer + "\n";
    std::string file = dir.write("motcua-scan", script);
    std::filesystem::permissions(file, std::filesystem::perms::owner_all);
    setenv("MOTCUA_SCAN_PROGRAM", file.c_str(), 1);
  }
  ~HostileScanProgram() { unsetenv("MOTCUA_SCAN_PROGRAM"); }
  test::TempDir dir;
};

ScanError hostile_scan(const std::string& scan_answer, ScanSettings s = {}) {
  HostileScanProgram program(scan_answer);
  SaneScanner scanner("", s);
  CHECK(scanner.describe() == "hostile");
  try {
    scanner.scan_page();
  } catch (const ScanError& e) {
    MESSAGE(std::string(e.what()));
    return e;
  }
  FAIL("a hostile answer gave a page");
  return ScanError(ScanErrorKind::Io, "");
}

TEST_CASE("a scan process that answers wrong, lies about its size, stalls or dies is an error, never a page") {
  CHECK(hostile_scan("exit 0").kind == ScanErrorKind::Io);                      // no answer
  CHECK(hostile_scan("echo 'page 100000 100000 200'").kind == ScanErrorKind::Io);  // 10 GB announced
  CHECK(hostile_scan("echo 'page 10 10 200'; printf 'short'").kind == ScanErrorKind::Io);  // cut short
  CHECK(hostile_scan("echo 'page ten 10 200'").kind == ScanErrorKind::Io);
  CHECK(hostile_scan("echo 'hello'").kind == ScanErrorKind::Io);
  CHECK(hostile_scan("head -c 100000 /dev/zero").kind == ScanErrorKind::Io);   // no line end
  CHECK(hostile_scan("kill -9 $$").kind == ScanErrorKind::Io);
  CHECK(hostile_scan("echo 'error jammed Paper jam at the feeder'").kind == ScanErrorKind::Jammed);
  CHECK(hostile_scan("echo 'error nonsense what'").kind == ScanErrorKind::Io);
  ScanSettings quick;
  quick.timeout_ms = 500;
  auto t0 = std::chrono::steady_clock::now();
  CHECK(hostile_scan("sleep 30", quick).kind == ScanErrorKind::TimedOut);
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(3));
  // A well-formed one is a page, byte for byte.
  HostileScanProgram program("echo 'page 4 2 100'; printf 'abcdefgh'");
  GrayImage img = SaneScanner("", ScanSettings{}).scan_page();
  CHECK(img.width == 4);
  CHECK(img.height == 2);
  CHECK(img.dpi == 100);
  CHECK(std::string(img.pixels.begin(), img.pixels.end()) == "abcdefgh");
}

TEST_CASE("no scan program is NoScanner, with the program named") {
  setenv("MOTCUA_SCAN_PROGRAM", "/nonexistent/motcua-scan", 1);
  try {
    SaneScanner scanner("", ScanSettings{});
    FAIL("a scanner without its program");
  } catch (const ScanError& e) {
    CHECK(e.kind == ScanErrorKind::NoScanner);
    CHECK(std::string(e.what()).find("/nonexistent/motcua-scan") != std::string::npos);
  }
  unsetenv("MOTCUA_SCAN_PROGRAM");
}

TEST_CASE("A scanned page as JPEG: greyscale, its size and resolution in the header") {
  SaneTestBackend sane;
  SaneScanner scanner("test:0", ScanSettings{}, {{"test-picture", "Grid"}});
  GrayImage img = scanner.scan_page();
  auto jpeg = encode_jpeg(img);
  JpegSize size = jpeg_size(jpeg.data(), jpeg.size());
  CHECK(size.width == 1574);
  CHECK(size.height == 1574);
  CHECK(size.components == 1);
  REQUIRE(jpeg.size() > 20);
  CHECK(std::string(reinterpret_cast<const char*>(jpeg.data()) + 6, 4) == "JFIF");
  CHECK(jpeg[13] == 1);                      // density in dots per inch
  CHECK((jpeg[14] << 8 | jpeg[15]) == 200);  // 200 of them
  CHECK(jpeg.size() < kMaxPageBytes);
  MESSAGE("grid page at 200 dpi, quality ", kPageJpegQuality, ": ", jpeg.size(), " bytes");
}

TEST_CASE("One PDF per document: a page per scan, its JPEG embedded as it is") {
  SaneTestBackend sane;
  CapturedDocument doc{"giay-chung-sinh", {}, false};
  {
    SaneScanner grid("test:0", ScanSettings{}, {{"test-picture", "Grid"}});
    doc.pages.push_back(page_of(grid.scan_page()));
    SaneScanner white("test:1", ScanSettings{}, {{"test-picture", "Solid white"}});
    doc.pages.push_back(page_of(white.scan_page()));
  }
  std::pmr::string pdf = document_pdf(doc);
  REQUIRE(pdf.rfind("%PDF-", 0) == 0);
  test::TempDir out;
  std::string file = out.write("doc.pdf", std::string(pdf));
  auto [rc, info_text] = test::run_capture("pdfinfo " + file);
  REQUIRE(rc == 0);
  const std::string& info = info_text;  // clang 14 cannot capture a structured binding in INFO
  INFO(info);
  CHECK(info_field(info, "Pages") == "2");
  // 1574 pixels at 200 dpi: 566.64 points, 199.9 mm.
  CHECK(info_field(info, "Page size") == "566.64 x 566.64 pts");
  auto [rc2, list_text] = test::run_capture("pdfimages -list " + file);
  REQUIRE(rc2 == 0);
  const std::string& list = list_text;
  INFO(list);
  size_t jpegs = 0;
  for (size_t at = list.find(" gray    1   8  jpeg "); at != std::string::npos; at = list.find(" gray    1   8  jpeg ", at + 1)) ++jpegs;
  CHECK(jpegs == 2);  // greyscale, one component, 8 bits, DCT: the JPEG itself
  // The JPEGs come back out byte for byte.
  REQUIRE(test::run_capture("pdfimages -j " + file + " " + (out / "img")).first == 0);
  CHECK(test::slurp(out / "img-000.jpg") == std::string(doc.pages[0].jpeg.begin(), doc.pages[0].jpeg.end()));
  CHECK(test::slurp(out / "img-001.jpg") == std::string(doc.pages[1].jpeg.begin(), doc.pages[1].jpeg.end()));
  CHECK_THROWS(document_pdf(CapturedDocument{"empty", {}, false}));
}

TEST_CASE("Captured documents: page, document and dossier limits, retake, delete, skip, missing, wipe") {
  forms::FormPackage form;
  forms::Document birth, id_copy;
  birth.id = "giay-chung-sinh";
  birth.max_pages = 2;
  id_copy.id = "ban-sao";
  id_copy.max_pages = 10;
  id_copy.required = false;
  form.documents = {birth, id_copy};
  PersonalData data;
  CapturedDocuments& docs = data.documents();
  REQUIRE(docs.missing(form).size() == 1);
  CHECK(docs.missing(form)[0]->id == "giay-chung-sinh");

  CHECK(docs.add_page(birth, fake_page(kMaxPageBytes + 1)) == PageRefusal::PageTooLarge);
  CHECK(docs.add_page(birth, fake_page(1000)) == PageRefusal::None);
  CHECK(docs.missing(form).empty());
  CHECK(!data.empty());
  CHECK(docs.add_page(birth, fake_page(2000)) == PageRefusal::None);
  CHECK(docs.add_page(birth, fake_page(1000)) == PageRefusal::DocumentFull);
  CHECK(docs.add_page(birth, fake_page(3000), 0) == PageRefusal::None);  // a retake of page 1
  REQUIRE(docs.find("giay-chung-sinh")->pages.size() == 2);
  CHECK(docs.find("giay-chung-sinh")->pages[0].jpeg.size() == 3000);
  CHECK(docs.total_bytes() == 5000);
  docs.remove_page("giay-chung-sinh", 0);
  CHECK(docs.find("giay-chung-sinh")->pages.size() == 1);

  // The dossier's limit counts every document's pages.
  int kept = 0;
  while (docs.add_page(id_copy, fake_page(kMaxPageBytes)) == PageRefusal::None) ++kept;
  CHECK(kept == static_cast<int>((kMaxDossierBytes - 2000) / kMaxPageBytes));
  CHECK(docs.add_page(id_copy, fake_page(kMaxPageBytes)) == PageRefusal::DossierFull);
  CHECK(docs.total_bytes() <= kMaxDossierBytes);

  docs.bring_to_counter("giay-chung-sinh");
  CHECK(docs.find("giay-chung-sinh")->pages.empty());
  CHECK(docs.missing(form).empty());  // the paper comes to the counter instead

  data.wipe();
  CHECK(docs.empty());
  CHECK(data.empty());
  CHECK(docs.missing(form).size() == 1);
}
