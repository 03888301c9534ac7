// The outbox's two promises, measured: how long the citizen waits between "confirm" and
// "submitted" (seal + durable enqueue, fsync on), and how fast a backlog drains to the
// reference intake server over loopback HTTPS.
// Baselines in the same run: one fsynced file write (the disk's floor for any durable
// enqueue), and the same POSTs sent straight from memory without the outbox.
// usage: motcua_outbox_bench [DOSSIERS_TO_DRAIN] [ENQUEUE_SAMPLES] [IN_FLIGHT]
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>
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
  if (argc > 3) so.in_flight = std::max(1, std::atoi(argv[3]));
  outbox::Sender sender(store, so);
  auto t0 = Clock::now();
  int sent = 0;
  for (int n; (n = sender.send_batch(1LL << 40, so.in_flight, 1 << 30)) > 0;) sent += n;
  double drain_s = ms_since(t0) / 1000;
  auto summary = store.summary();
  std::printf("drain %d queued dossiers to the reference server (loopback HTTPS, the kiosk's sender: %d in flight):\n",
              drain_count, so.in_flight);
  std::printf("  %.0f dossiers/s (%d sent, %d waiting, %.1f s)   (target >= 200/s)\n", sent / drain_s, summary.sent,
              summary.waiting, drain_s);

  // Baselines: the same requests (each under the key it was sealed for, so the server does the
  // full work: open, store, fsync) posted straight from memory with no outbox bookkeeping, to a
  // fresh server each, one at a time and on as many connections at once as the sender uses.
  int fresh_servers = 0;
  auto bare = [&](int connections) {
    intake::IntakeServer fresh(intake::demo_intake_config(keys, dir / ("bare-" + std::to_string(++fresh_servers) + ".sqlite")));
    fresh.start();
    outbox::PortalOptions po = so.portal;
    po.url = fresh.url();
    std::vector<std::thread> threads;
    std::atomic<int> stored{0};
    auto t0 = Clock::now();
    for (int c = 0; c < connections; ++c)
      threads.emplace_back([&, c] {
        outbox::PortalClient client(po);
        for (size_t i = static_cast<size_t>(c); i < bodies.size(); i += static_cast<size_t>(connections))
          if (client.post("/v1/dossiers", bodies[i], {{"Idempotency-Key", uuids[i]}}).status == 201) ++stored;
      });
    for (auto& t : threads) t.join();
    double rate = static_cast<double>(bodies.size()) / (ms_since(t0) / 1000);
    fresh.stop();
    if (stored != static_cast<int>(bodies.size())) std::printf("  (bare baseline: only %d of %zu stored)\n", stored.load(), bodies.size());
    return rate;
  };
  double one = bare(1), many = bare(so.in_flight);
  std::printf("  baseline bare POSTs without the outbox over %zu: %.0f /s one at a time, %.0f /s on %d connections "
              "(the outbox keeps %.0f%% of the latter)\n",
              bodies.size(), one, many, so.in_flight, 100.0 * (sent / drain_s) / many);
  server.stop();
  return 0;
}
