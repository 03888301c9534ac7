// The papers step of the session (Step::Capture) without a window: the real scan service driving
// SANE's own `test` backend (a real SANE device, found through a private SANE_CONFIG_DIR) in its
// scan process, and the session core deciding what happens to each page.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "devices/scanner/page_jpeg.h"
#include "terminal/core/catalog.h"
#include "terminal/core/session.h"
#include "terminal/services/scan_service.h"
#include "tests/support/files.h"

using namespace motcua;
using K = Intent::Kind;

namespace {

const std::string root = MOTCUA_SOURCE_ROOT;

void use_sane_test_backend() {
  static test::TempDir dir;
  dir.write("dll.conf", "test\n");
  dir.write("test.conf", "number_of_devices 2\n");
  setenv("SANE_CONFIG_DIR", dir.path.c_str(), 1);
}

using Options = std::map<std::string, std::string>;

// One kiosk's session with a dossier sink that keeps what it was handed (the papers' pages).
struct Visit {
  KioskConfig config;
  Catalog catalog = Catalog::load(root + "/assets/forms");
  std::unique_ptr<ScanService> scans;
  std::unique_ptr<Session> session;
  int sinks = 0;
  std::vector<std::pair<std::string, std::pair<size_t, bool>>> papers_sent;  // id -> pages, at counter
  TimePoint now = SteadyClock::now();

  explicit Visit(Options options, const std::string& scanner = "test:0", int timeout_seconds = 60) {
    use_sane_test_backend();
    config.scanner = scanner;
    config.scanner_timeout_seconds = timeout_seconds;
    config.scanner_options = std::move(options);
    SessionServices services;
    services.sink = [this](const forms::FormPackage&, const std::string&, const PersonalData& data, bool) {
      ++sinks;
      for (const auto& d : data.documents().all()) papers_sent.push_back({d.id, {d.pages.size(), d.at_counter}});
      return SubmitReceipt{"K-1", "2026-12-01", false};
    };
    if (scanner != "none") {
      scans = std::make_unique<ScanService>(config, nullptr);
      services.scan = make_scan_port(*scans);
    }
    session = std::make_unique<Session>(config, catalog, std::move(services));
  }
  Session& s() { return *session; }
  void apply(K kind, int number = 0, std::string arg = {}) { session->apply({kind, std::move(arg), number}, now); }

  // Through the procedure page and the form (its steps unchecked) to what follows its last step.
  void through_form(const std::string& form) {
    apply(K::Start);
    apply(K::ChooseLanguage, 0, "vi");
    apply(K::ChooseProcedure, 0, form);
    apply(K::Next);
    apply(K::TypeByHand);
    REQUIRE(s().step() == Step::Form);
    s().data().field("/declarant/fullName") = "Trần Văn Hùng";
    for (int i = 0; i < 10 && s().step() == Step::Form; ++i) apply(K::Next);
  }

  // Ticks the session until the scan in progress has ended (the scan process has a deadline).
  void wait_for_scan() {
    for (int i = 0; i < 600 && s().scanning(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      session->tick(now);
    }
    REQUIRE_FALSE(s().scanning());
  }
  size_t pages(const std::string& id) {
    const CapturedDocument* d = s().data().documents().find(id);
    return d ? d->pages.size() : 0;
  }
};

}  // namespace

TEST_CASE("the papers step: scan, retake, delete after asking, skip the other, and the review lets the dossier go") {
  Visit v(Options{{"test-picture", "Grid"}});
  v.through_form("khai-tu");
  REQUIRE(v.s().step() == Step::Capture);
  REQUIRE(v.s().capture_document());
  CHECK(v.s().capture_document()->id == "giay-bao-tu");

  // "Tiếp tục" on the required paper with no page asks what happens to it; "Quay lại quét giấy
  // này" stays on it, nothing promised.
  v.apply(K::Next);
  REQUIRE(v.s().asking());
  CHECK(v.s().asking()->kind == K::SkipDocument);
  v.apply(K::Answer, 0);
  CHECK_FALSE(v.s().asking());
  CHECK(v.s().step() == Step::Capture);
  CHECK(v.s().capture_document()->id == "giay-bao-tu");
  CHECK(v.s().data().documents().find("giay-bao-tu") == nullptr);
  // Asked again, "Bỏ qua, tôi mang giấy đến quầy": promised, and on to the optional paper, which
  // Next passes by without a question.
  v.apply(K::Next);
  v.apply(K::Answer, 1);
  CHECK(v.s().capture_document()->id == "uy-quyen");
  CHECK(v.s().data().documents().find("giay-bao-tu")->at_counter);
  v.apply(K::Next);
  CHECK_FALSE(v.s().asking());
  REQUIRE(v.s().step() == Step::Review);
  CHECK(v.s().missing_documents().empty());

  // The review's button leads back to that paper; a page is scanned off the UI thread and kept
  // as JPEG (and the paper is no longer one to bring).
  v.apply(K::FixDocument, 0);
  REQUIRE(v.s().step() == Step::Capture);
  CHECK(v.s().capture_document()->id == "giay-bao-tu");
  v.apply(K::ScanPage);
  CHECK(v.s().scanning());
  v.apply(K::Next);  // nothing moves on while the scanner works
  CHECK(v.s().step() == Step::Capture);
  v.wait_for_scan();
  CHECK(v.s().scan_problem() == ScanProblem::None);
  REQUIRE(v.pages("giay-bao-tu") == 1);
  const CapturedPage& page = v.s().data().documents().find("giay-bao-tu")->pages[0];
  CHECK(page.dpi == 200);
  CHECK(page.width == 1574);
  REQUIRE(page.jpeg.size() > 2);
  CHECK(page.jpeg[0] == 0xFF);
  CHECK(page.jpeg[1] == 0xD8);
  CHECK(scanner::jpeg_size(page.jpeg.data(), page.jpeg.size()).width == 1574);
  // The screen's small picture of it: decoded at 1/8 scale, never full size, black and white squares.
  scanner::GrayImage preview = scanner::decode_jpeg_preview(page.jpeg.data(), page.jpeg.size(), 256);
  CHECK(preview.width == 197);
  CHECK(preview.height == 197);
  CHECK(std::count_if(preview.pixels.begin(), preview.pixels.end(), [](unsigned char v) { return v < 60; }) > 197 * 197 / 5);
  CHECK(std::count_if(preview.pixels.begin(), preview.pixels.end(), [](unsigned char v) { return v > 200; }) > 197 * 197 / 5);
  const unsigned char junk[] = {0xFF, 0xD8, 0xFF, 0x00, 0x12, 0x34};
  CHECK(scanner::decode_jpeg_preview(junk, sizeof junk, 256).width == 0);  // not a page: no picture, no crash

  // A retake replaces the page; a second page is added; a third is past maxPages (2).
  v.apply(K::RetakePage, 0);
  CHECK(v.s().scanning_page() == 0);
  v.wait_for_scan();
  CHECK(v.pages("giay-bao-tu") == 1);
  v.apply(K::ScanPage);
  v.wait_for_scan();
  CHECK(v.pages("giay-bao-tu") == 2);
  v.apply(K::ScanPage);
  CHECK_FALSE(v.s().scanning());
  CHECK(v.s().scan_problem() == ScanProblem::DocumentFull);
  CHECK(v.pages("giay-bao-tu") == 2);

  // Deleting a page asks first: "no" keeps it, "yes" removes it.
  v.apply(K::AskRemovePage, 1);
  REQUIRE(v.s().asking());
  CHECK(v.s().asking()->kind == K::RemovePage);
  v.apply(K::Answer, 0);
  CHECK(v.pages("giay-bao-tu") == 2);
  v.apply(K::AskRemovePage, 1);
  v.apply(K::Answer, 1);
  CHECK(v.pages("giay-bao-tu") == 1);

  v.apply(K::SkipDocument);  // not offered for a paper with pages: nothing happens to them
  CHECK(v.s().step() == Step::Capture);
  CHECK(v.pages("giay-bao-tu") == 1);

  // Came from the review: Next returns there. Nothing is missing; Back reaches the last paper.
  v.apply(K::Next);
  REQUIRE(v.s().step() == Step::Review);
  CHECK(v.s().missing_documents().empty());
  v.apply(K::Back);
  REQUIRE(v.s().step() == Step::Capture);
  CHECK(v.s().capture_document()->id == "uy-quyen");
  v.apply(K::SkipDocument);
  REQUIRE(v.s().step() == Step::Review);
  v.apply(K::ToggleConsent);
  v.apply(K::Confirm);
  CHECK(v.s().step() == Step::Submit);
  v.session->tick(v.now);
  CHECK(v.s().step() == Step::Receipt);
  CHECK(v.sinks == 1);
  using Sent = std::pair<std::string, std::pair<size_t, bool>>;
  CHECK(v.papers_sent == std::vector<Sent>{{"giay-bao-tu", {1, false}}, {"uy-quyen", {0, true}}});

  v.apply(K::Finish);
  CHECK(v.s().data().documents().empty());  // wiped with the session
}

TEST_CASE("a jammed scanner: the papers step says so, keeps the answers, and the paper can be brought to the counter") {
  Visit v(Options{{"read-return-value", "SANE_STATUS_JAMMED"}});
  v.through_form("khai-tu");
  REQUIRE(v.s().step() == Step::Capture);
  v.apply(K::ScanPage);
  v.wait_for_scan();
  CHECK(v.s().scan_problem() == ScanProblem::Jammed);
  CHECK(v.s().step() == Step::Capture);
  CHECK(v.pages("giay-bao-tu") == 0);
  CHECK(std::string_view(*v.s().data().find("/declarant/fullName")) == "Trần Văn Hùng");
  v.apply(K::SkipDocument);
  CHECK(v.s().scan_problem() == ScanProblem::None);
  CHECK(v.s().capture_document()->id == "uy-quyen");
  v.apply(K::Next);
  REQUIRE(v.s().step() == Step::Review);
  CHECK(v.s().missing_documents().empty());
  CHECK(v.s().data().documents().find("giay-bao-tu")->at_counter);
}

TEST_CASE("a scanner that is not there is NoScanner on the papers step, and the citizen can go on") {
  Visit v(Options{}, "test:7");  // the test backend has test:0 and test:1 only
  v.through_form("khai-tu");
  REQUIRE(v.s().step() == Step::Capture);
  v.apply(K::ScanPage);
  v.wait_for_scan();
  CHECK(v.s().scan_problem() == ScanProblem::NoScanner);
  v.apply(K::SkipDocument);
  v.apply(K::SkipDocument);
  CHECK(v.s().step() == Step::Review);
}

TEST_CASE("a scan cancelled with Huy is forgotten: no page arrives, and the next scan is whole") {
  Visit v(Options{{"read-delay", "true"}, {"read-delay-duration", "200000"}});
  v.through_form("khai-tu");
  REQUIRE(v.s().step() == Step::Capture);
  v.apply(K::ScanPage);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  auto t0 = std::chrono::steady_clock::now();
  v.apply(K::CancelScan);
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(200));  // the UI thread does not wait
  CHECK_FALSE(v.s().scanning());
  CHECK(v.s().scan_problem() == ScanProblem::None);
  for (int i = 0; i < 20; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    v.session->tick(v.now);
  }
  CHECK(v.pages("giay-bao-tu") == 0);
  for (int i = 0; i < 100 && v.scans->busy(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK_FALSE(v.scans->busy());  // its scan process was killed, not waited for
}

TEST_CASE("with scanner none the form goes from its last step to the review as before, nothing missing") {
  Visit v(Options{}, "none");
  v.through_form("khai-tu");
  REQUIRE(v.s().step() == Step::Review);
  CHECK_FALSE(v.s().captures_documents());
  CHECK(v.s().missing_documents().empty());
  v.apply(K::ToggleConsent);
  v.apply(K::Confirm);
  CHECK(v.s().step() == Step::Submit);
}

TEST_CASE("each way a scan fails reaches the papers step as its plain kind, the answers kept and the paper skippable") {
  struct Case {
    Options options;
    ScanProblem expected;
  };
  const Case cases[] = {
      {{{"read-return-value", "SANE_STATUS_COVER_OPEN"}}, ScanProblem::Jammed},
      {{{"read-return-value", "SANE_STATUS_NO_DOCS"}}, ScanProblem::Jammed},
      {{{"read-return-value", "SANE_STATUS_DEVICE_BUSY"}}, ScanProblem::Busy},
      {{{"read-return-value", "SANE_STATUS_IO_ERROR"}}, ScanProblem::Io},
      {{{"resolution", "1200"}, {"depth", "16"}}, ScanProblem::TooLarge},  // about 170 MiB of pixels
      {{{"read-delay", "true"}, {"read-delay-duration", "200000"}}, ScanProblem::TimedOut},
  };
  for (const Case& c : cases) {
    CAPTURE(static_cast<int>(c.expected));
    Visit v(c.options, "test:0", 1);  // 1 s a page: the slow device stalls past it
    v.through_form("khai-tu");
    REQUIRE(v.s().step() == Step::Capture);
    v.apply(K::ScanPage);
    v.wait_for_scan();
    CHECK(v.s().scan_problem() == c.expected);
    CHECK(v.pages("giay-bao-tu") == 0);
    CHECK(std::string_view(*v.s().data().find("/declarant/fullName")) == "Trần Văn Hùng");
    v.apply(K::SkipDocument);
    CHECK(v.s().data().documents().find("giay-bao-tu")->at_counter);
  }
}
