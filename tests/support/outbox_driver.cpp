// A kiosk's submission path without a window, for the kill -9 and ownership tests.
//   outbox_driver DIR URL CA_FILE TOKEN ENVELOPE_PUBLIC_KEY COUNT
//     enqueues COUNT dossiers the way the kiosk does (printing "confirmed UUID" only once the
//     outbox returned, i.e. when the citizen would see "submitted"), then sends until the
//     outbox is empty. MOTCUA_CRASH_AT kills it at a named point. With OUTBOX_DRIVER_PAPERS=1
//     each dossier also carries a birth notice scanned from SANE's test:0 (SANE_CONFIG_DIR).
//   outbox_driver kiosk DATA_DIR URL CA_FILE TOKEN ENVELOPE_PUBLIC_KEY COUNT
//     the kiosk's own Submission (the outbox's one owner, its sender thread and control socket):
//     submits COUNT dossiers one after another ("confirmed UUID" or "failed"), then waits for
//     the outbox to drain.
#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "devices/scanner/page_jpeg.h"
#include "devices/scanner/sane_scanner.h"
#include "terminal/core/catalog.h"
#include "terminal/core/input.h"
#include "terminal/services/outbox/sender.h"
#include "terminal/services/submission.h"

using namespace motcua;

namespace {

int kiosk(char** argv) {
  KioskConfig config;
  config.data_dir = argv[2];
  config.endpoint = argv[3];
  config.portal_ca_file = argv[4];
  config.portal_token = argv[5];
  config.envelope_key_file = argv[6];
  config.portal_wait_seconds = 0.2;
  int count = std::atoi(argv[7]);
  std::string root = MOTCUA_SOURCE_ROOT;
  Catalog catalog = Catalog::load(root + "/assets/forms");
  WorkingCalendar calendar = WorkingCalendar::load(root + "/assets/holidays/vn.json");
  Submission submission(config, root, calendar, {});
  for (int i = 0; i < count; ++i) {
    PersonalData data;
    data.field("/declarant/fullName") = "Nguyễn Văn Chủ " + std::to_string(i);
    std::string uuid = new_uuid_v4();
    try {
      submission.submit(*catalog.form("khai-sinh"), uuid, data, false);
      std::printf("confirmed %s\n", uuid.c_str());
    } catch (const std::exception& e) {
      std::printf("failed %s\n", e.what());
    }
    std::fflush(stdout);
    // A citizen's pace, compressed: long enough (60 × 40 ms) for the staff commands the test runs
    // beside to see the kiosk submitting, now that submit no longer waits for the portal.
    std::this_thread::sleep_for(std::chrono::milliseconds(40));
  }
  for (int i = 0; i < 3000 && submission.store().summary().waiting > 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  auto s = submission.store().summary();
  std::printf("waiting %d sent %d rejected %d\n", s.waiting, s.sent, s.rejected);
  return s.waiting == 0 && s.rejected == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 8 && std::string(argv[1]) == "kiosk") return kiosk(argv);
  if (argc != 7) {
    std::fprintf(stderr,
                 "usage: outbox_driver DIR URL CA_FILE TOKEN ENVELOPE_PUBLIC_KEY COUNT\n"
                 "       outbox_driver kiosk DATA_DIR URL CA_FILE TOKEN ENVELOPE_PUBLIC_KEY COUNT\n");
    return 2;
  }
  std::string dir = argv[1];
  std::stringstream key;
  key << std::ifstream(argv[5]).rdbuf();
  int count = std::atoi(argv[6]);
  Catalog catalog = Catalog::load(std::string(MOTCUA_SOURCE_ROOT) + "/assets/forms");
  const forms::FormPackage* form = catalog.form("khai-sinh");
  outbox::Store store(dir);
  outbox::SenderOptions so;
  so.portal = {argv[2], argv[4], argv[3], "KIOSK-01"};
  so.seed = 7;
  so.backoff_base_s = 0.01;  // the test server is healthy between crashes
  so.backoff_cap_s = 0.05;
  so.min_retry_s = 0;
  outbox::Sender sender(store, so);
  for (int i = 0; i < count; ++i) {
    PersonalData data;
    data.field("/declarant/fullName") = "Nguyễn Thị Crash " + std::to_string(i);
    if (const char* papers = std::getenv("OUTBOX_DRIVER_PAPERS"); papers && std::string(papers) == "1") {
      scanner::SaneScanner device("test:0", scanner::ScanSettings{}, {{"test-picture", "Grid"}});
      scanner::GrayImage img = device.scan_page();
      CapturedPage page;
      page.jpeg = scanner::encode_jpeg(img);
      page.width = img.width;
      page.height = img.height;
      page.dpi = img.dpi;
      data.documents().add_page(form->documents.at(0), std::move(page));
    }
    std::string uuid = new_uuid_v4();
    enqueue_dossier(store, *form, uuid, data, false, "KIOSK-01", key.str(), "2026-11-27");
    std::printf("confirmed %s\n", uuid.c_str());
    std::fflush(stdout);
  }
  for (int guard = 0; guard < 10000 && store.summary().waiting > 0; ++guard)
    if (!sender.send_one(std::time(nullptr) + 3600)) break;
  auto s = store.summary();
  std::printf("waiting %d sent %d rejected %d\n", s.waiting, s.sent, s.rejected);
  return s.waiting == 0 && s.rejected == 0 ? 0 : 1;
}
