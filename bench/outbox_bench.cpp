// The outbox's two promises, measured: how long the citizen waits between "confirm" and
// "submitted" (seal + durable enqueue, fsync on), and how fast a backlog drains to the
// reference intake server over loopback HTTPS.
// Baselines in the same run: one fsynced file write (the disk's floor for any durable
// enqueue), and the same POSTs sent straight from memory without the outbox.
// usage: motcua_outbox_bench [DOSSIERS_TO_DRAIN] [ENQUEUE_SAMPLES]
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <vector>

#include "terminal/core/catalog.h"
#include "terminal/services/outbox/sender.h"
#include "terminal/services/submission.h"
#include "tests/intake/credentials.h"
#include "tests/intake/intake_server.h"
#include "tests/support/files.h"

using namespace motcua;
using Clock = std::chrono::steady_clock;

namespace {

using test::slurp;

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}


}  // namespace

int main(int argc, char** argv) {
  int drain_count = argc > 1 ? std::atoi(argv[1]) : 10000;
  int samples = argc > 2 ? std::atoi(argv[2]) : 500;
  test::TempDir dir;
  auto keys = intake::make_demo_credentials(dir / "keys");
  std::string token, pub = slurp(keys.envelope_public);
  std::getline(std::ifstream(keys.kiosk_token), token);
  Catalog catalog = Catalog::load(std::string(MOTCUA_SOURCE_ROOT) + "/assets/forms");
  const forms::FormPackage* form = catalog.form("khai-sinh");

  outbox::Store store(dir / "outbox");
  auto enqueue = [&](int i) {
    PersonalData data;
    data.field("/declarant/fullName") = "Nguyễn Văn Bench " + std::to_string(i);
    data.field("/child/fullName") = "Nguyễn Thị Bé";
    std::string uuid = new_uuid_v4();
    enqueue_dossier(store, *form, uuid, data, false, "KIOSK-01", pub, "2026-11-27");
    return uuid;
  };
  // Baseline, interleaved with the enqueues on the same disk in the same run: one small file
  // written and fsynced, the least any durable enqueue can cost.
  auto floor_write = [&] {
    auto t0 = Clock::now();
    int fd = ::open((dir / "floor.tmp").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    std::string bytes(2048, 'x');
    if (::write(fd, bytes.data(), bytes.size()) < 0) std::exit(1);
    ::fsync(fd);
    ::close(fd);
    return ms_since(t0);
  };
  std::vector<double> enqueue_ms, floor_ms;
  std::vector<std::string> uuids;
  for (int i = 0; i < drain_count; ++i) {
    if (i < samples) floor_ms.push_back(floor_write());
    auto t0 = Clock::now();
    std::string uuid = enqueue(i);
    if (i < samples) enqueue_ms.push_back(ms_since(t0));
    if (i < 2000) uuids.push_back(uuid);
  }
  std::vector<std::string> bodies;
  for (auto& uuid : uuids) bodies.push_back(store.body(uuid));
  std::printf("outbox enqueue (reference + seal + row and body in one commit, synchronous=FULL), %d samples:\n", samples);
  std::printf("  median %.2f ms, p99 %.2f ms\n", percentile(enqueue_ms, 0.5), percentile(enqueue_ms, 0.99));
  std::printf("  baseline one fsynced 2 KiB file, same disk, interleaved: median %.2f ms, p99 %.2f ms\n",
              percentile(floor_ms, 0.5), percentile(floor_ms, 0.99));
  std::printf("  enqueue/floor: median %.2fx, p99 %.2fx   (goal p99 <= 1.5x)\n", percentile(enqueue_ms, 0.5) / percentile(floor_ms, 0.5),
              percentile(enqueue_ms, 0.99) / percentile(floor_ms, 0.99));

  intake::IntakeServer server(intake::demo_intake_config(keys, dir / "intake.sqlite"));
  server.start();
  outbox::SenderOptions so;
  so.portal = {server.url(), token, keys.ca_cert, "KIOSK-01"};
  outbox::Sender sender(store, so);
  auto t0 = Clock::now();
  int sent = 0;
  while (sender.send_one(1LL << 40)) ++sent;
  double drain_s = ms_since(t0) / 1000;
  auto summary = store.summary();
  std::printf("drain %d queued dossiers to the reference server (loopback HTTPS, one sender):\n", drain_count);
  std::printf("  %.0f dossiers/s (%d sent, %d waiting, %.1f s)   (target >= 200/s)\n", sent / drain_s, summary.sent,
              summary.waiting, drain_s);

  // Baseline: the same kind of POSTs straight from memory, no outbox bookkeeping.
  outbox::PortalClient client(so.portal);
  t0 = Clock::now();
  int n = 0;
  for (auto& body : bodies) {
    std::string key = new_uuid_v4();  // a fresh key each: the server must do the full work
    nlohmann::json j = nlohmann::json::parse(body);
    (void)j;
    client.post("/v1/dossiers", body, {{"Idempotency-Key", key}});
    ++n;
  }
  double raw_s = ms_since(t0) / 1000;
  std::printf("  baseline bare POSTs without the outbox: %.0f /s over %d (outbox keeps %.0f%% of it)\n", n / raw_s, n,
              100.0 * (sent / drain_s) / (n / raw_s));
  server.stop();
  return 0;
}
