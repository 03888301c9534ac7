// A kiosk's submission path without a window, for the kill -9 tests: enqueues N dossiers the
// way the kiosk does (printing "confirmed UUID" only once the outbox returned, i.e. when the
// citizen would see "submitted"), then sends until the outbox is empty. MOTCUA_CRASH_AT kills
// it at a named point.
// usage: outbox_driver DIR URL CA_FILE TOKEN ENVELOPE_PUBLIC_KEY COUNT
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>
#include <string>

#include "terminal/catalog.h"
#include "terminal/outbox/sender.h"
#include "terminal/submission.h"

using namespace motcua;

int main(int argc, char** argv) {
  if (argc != 7) {
    std::fprintf(stderr, "usage: outbox_driver DIR URL CA_FILE TOKEN ENVELOPE_PUBLIC_KEY COUNT\n");
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
  outbox::Sender sender(store, so);
  for (int i = 0; i < count; ++i) {
    PersonalData data;
    data.field("/declarant/fullName") = "Nguyễn Thị Crash " + std::to_string(i);
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
