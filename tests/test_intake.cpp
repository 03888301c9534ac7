// The outbox against the reference intake server: real HTTPS on 127.0.0.1, real SQLite on both
// sides, faults injected by the server, and a driver process killed at every crash point.
#include <doctest/doctest.h>

#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "tests/intake/credentials.h"
#include "tests/intake/intake_server.h"
#include "tests/support/files.h"
#include "tests/support/small_disk.h"
#include "terminal/core/catalog.h"
#include "terminal/services/catalog_sync.h"
#include "terminal/services/catalog_watcher.h"
#include "terminal/services/outbox/owner.h"
#include "terminal/services/outbox/portal_client.h"
#include "terminal/core/input.h"
#include "terminal/services/outbox/sender.h"
#include "terminal/services/submission.h"
#include "terminal/core/working_days.h"

using namespace motcua;
using namespace motcua::outbox;

namespace {

using test::first_line;
using test::slurp;

const std::string root = MOTCUA_SOURCE_ROOT;



// A portal on loopback with its own keys and database, and a kiosk outbox pointed at it.
struct Portal {
  test::TempDir dir;
  intake::CredentialFiles keys = intake::make_demo_credentials(dir / "keys");
  std::string token = first_line(keys.kiosk_token);
  intake::IntakeServer server{config()};
  int port = server.start();
  Catalog catalog = Catalog::load(root + "/assets/forms");

  intake::IntakeConfig config() {
    intake::IntakeConfig c = intake::demo_intake_config(keys, dir / "intake.sqlite");
    c.holidays_file = root + "/assets/holidays/vn.json";
    c.max_body_bytes = 64 * 1024;
    return c;
  }
  SenderOptions sender_options(const std::string& kiosk_token = "") {
    SenderOptions o;
    o.portal = {server.url(), kiosk_token.empty() ? token : kiosk_token, keys.ca_cert, "KIOSK-01", 2000, 3000};
    o.seed = 1;
    o.backoff_base_s = 0;  // every retry is due at once: the tests drive attempts one by one
    o.backoff_cap_s = 0;
    o.min_retry_s = 0;
    return o;
  }
  // A kiosk whose data folder is data_dir, sending to this portal.
  KioskConfig kiosk_config(const std::string& data_dir) {
    KioskConfig config;
    config.data_dir = data_dir;
    config.endpoint = server.url();
    config.portal_token = token;
    config.portal_ca_file = keys.ca_cert;
    config.envelope_key_file = keys.envelope_public;
    return config;
  }
  // Seals and queues one dossier as the kiosk does at confirmation; returns its UUID.
  std::string enqueue(Store& store, const std::string& name, size_t padding = 0) {
    const forms::FormPackage* form = catalog.form("khai-sinh");
    PersonalData data;
    data.field("/declarant/fullName") = name;
    if (padding) data.field("/child/placeOfBirth") = std::string(padding, 'x');
    std::string uuid = new_uuid_v4();
    enqueue_dossier(store, *form, uuid, data, false, "KIOSK-01", slurp(keys.envelope_public), "2026-11-27");
    return uuid;
  }
};

}  // namespace

TEST_CASE("a sealed dossier reaches the portal once, with the portal's code and appointment, and leaves no copy") {
  Portal p;
  Store store(p.dir / "outbox");
  std::string uuid = p.enqueue(store, "Lê Văn Thử");
  CHECK(store.body(uuid).find("Thử") == std::string::npos);  // ciphertext at rest
  CHECK(slurp(p.dir / "outbox/outbox.sqlite-wal").find("Thử") == std::string::npos);
  CHECK(slurp(p.dir / "outbox/outbox.sqlite").find("Thử") == std::string::npos);
  Sender sender(store, p.sender_options());
  CHECK(sender.send_one(std::time(nullptr)));
  Item it = *store.find(uuid);
  CHECK(it.state == "sent");
  CHECK(it.portal_code.rfind("000.00.00.H00-", 0) == 0);
  CHECK(it.portal_appointment.size() == 10);
  CHECK(it.attempts == 1);
  CHECK(store.bodies_kept() == 0);
  CHECK(p.server.stored_keys() == std::map<std::string, int>{{uuid, 1}});
  CHECK_FALSE(sender.send_one(std::time(nullptr)));  // nothing left
}

TEST_CASE("a lost response is retried with the same key and the duplicate is confirmed, not stored twice") {
  Portal p;
  Store store(p.dir / "outbox");
  std::string uuid = p.enqueue(store, "Phạm Thị Mất Mạng");
  Sender sender(store, p.sender_options());
  p.server.set_fault(intake::Fault::parse("drop:1"));  // stored, then the connection is cut before the answer
  sender.send_one(std::time(nullptr));
  CHECK(store.find(uuid)->state == "waiting");
  CHECK(store.find(uuid)->last_error.rfind("network:", 0) == 0);
  sender.send_one(std::time(nullptr));
  CHECK(store.find(uuid)->state == "sent");
  CHECK(p.server.delivery_counts()[uuid] == 2);
  CHECK(p.server.stored_keys()[uuid] == 1);
  CHECK(p.server.stats().duplicates == 1);
  CHECK(store.find(uuid)->attempts == 2);
}

TEST_CASE("a captive portal's 200 page is not success, and a slow trickle is survived") {
  Portal p;
  Store store(p.dir / "outbox");
  std::string uuid = p.enqueue(store, "Võ Văn Wifi");
  Sender sender(store, p.sender_options());
  p.server.set_fault(intake::Fault::parse("captive:2"));
  sender.send_one(std::time(nullptr));
  sender.send_one(std::time(nullptr));
  CHECK(store.find(uuid)->state == "waiting");
  CHECK(store.find(uuid)->last_error.find("without the protocol header") != std::string::npos);
  CHECK(p.server.stored_keys().empty());
  // 40 ms per byte: the 3 s client timeout cuts the answer off; the retry is answered as a duplicate.
  p.server.set_fault(intake::Fault::parse("trickle=40:1"));
  sender.send_one(std::time(nullptr));
  sender.send_one(std::time(nullptr));
  CHECK(store.find(uuid)->state == "sent");
  CHECK(p.server.stored_keys()[uuid] == 1);
}

TEST_CASE("500 and 503 are retried, 413 is rejected for staff, and the queue moves on") {
  Portal p;
  Store store(p.dir / "outbox");
  std::string first = p.enqueue(store, "Vừa Đủ");
  std::string big = p.enqueue(store, "Quá Lớn", 200 * 1024);  // over the server's 64 KiB limit
  std::string last = p.enqueue(store, "Sau Cùng");
  Sender sender(store, p.sender_options());
  p.server.set_fault(intake::Fault::parse("status=503:1"));
  sender.send_one(std::time(nullptr));
  CHECK(store.find(first)->state == "waiting");
  CHECK(store.find(first)->last_error == "HTTP 503");
  p.server.set_fault(intake::Fault::parse("status=500:1"));
  sender.send_one(std::time(nullptr));
  CHECK(store.find(first)->last_error == "HTTP 500");
  sender.send_one(std::time(nullptr));
  CHECK(store.find(first)->state == "sent");
  sender.send_one(std::time(nullptr));
  CHECK(store.find(big)->state == "rejected");
  CHECK(store.find(big)->last_error.find("413") != std::string::npos);
  sender.send_one(std::time(nullptr));
  CHECK(store.find(last)->state == "sent");
  CHECK(p.server.stored_keys().count(big) == 0);
  CHECK(store.summary().rejected == 1);
}

TEST_CASE("401 pauses the whole queue until staff retry, and an unknown kiosk is refused") {
  Portal p;
  Store store(p.dir / "outbox");
  std::string a = p.enqueue(store, "Một"), b = p.enqueue(store, "Hai");
  {
    Sender wrong_token(store, p.sender_options("0000"));
    wrong_token.send_one(std::time(nullptr));
    CHECK(store.paused().find("401") != std::string::npos);
    CHECK_FALSE(wrong_token.send_one(std::time(nullptr)));  // paused: nothing is attempted
    CHECK(store.find(b)->attempts == 0);
  }
  Sender sender(store, p.sender_options());
  CHECK_FALSE(sender.send_one(std::time(nullptr)));  // still paused after the token was fixed
  store.retry_now();                                  // staff: motcua outbox retry
  CHECK(sender.send_one(std::time(nullptr)));
  CHECK(sender.send_one(std::time(nullptr)));
  CHECK(store.find(a)->state == "sent");
  CHECK(store.find(b)->state == "sent");
}

TEST_CASE("the sender thread waits out a dead network and sends as soon as the portal answers again") {
  Portal p;
  int port = p.port;
  Store store(p.dir / "outbox");
  std::string uuid = p.enqueue(store, "Chờ Mạng");
  p.server.stop();
  SenderOptions o = p.sender_options();
  o.backoff_base_s = 300;  // the backoff alone would wait minutes
  o.backoff_cap_s = 300;
  o.probe_s = 0.2;
  o.seed = 3;
  Sender sender(store, o);
  sender.start();
  for (int i = 0; i < 100 && store.find(uuid)->attempts == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK(store.find(uuid)->state == "waiting");
  CHECK(store.find(uuid)->next_attempt_at >= std::time(nullptr) + 1);  // backing off (seed 3 draws > 1 s)

  intake::IntakeConfig c = p.config();
  c.port = port;
  intake::IntakeServer again(c);
  again.start();
  auto t0 = std::chrono::steady_clock::now();
  std::optional<Item> sent;
  for (int i = 0; i < 500 && (sent = store.find(uuid))->state != "sent"; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  REQUIRE(sent);
  CHECK(sent->state == "sent");
  CHECK(waited < 5);  // the probe found the network, not the 300 s backoff
  sender.stop();
}

TEST_CASE("stopping the sender cuts a request in flight short: nothing recorded, the dossier waits and goes once at the next start") {
  Portal p;
  Store store(p.dir / "outbox");
  std::string uuid = p.enqueue(store, "Dừng Giữa Chừng");
  p.server.set_fault(intake::Fault::parse("delay=8000:1"));  // the first answer takes 8 s
  SenderOptions o = p.sender_options();
  o.portal.timeout_ms = 30000;  // the kiosk's own limit: the stop must not wait for it
  {
    Sender sender(store, o);
    sender.start();
    std::this_thread::sleep_for(std::chrono::milliseconds(800));  // the request is on its way
    auto t0 = std::chrono::steady_clock::now();
    sender.stop();
    double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    CHECK(took < 2.5);  // about a second, not the portal's 8 s
  }
  std::optional<Item> item = store.find(uuid);
  REQUIRE(item);
  CHECK(item->state == "waiting");
  CHECK(item->attempts == 0);  // no attempt counted, no backoff: it goes first at the next start
  CHECK(item->last_error.empty());

  Sender next(store, p.sender_options());
  next.start();
  for (int i = 0; i < 400 && (item = store.find(uuid))->state != "sent"; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK(item->state == "sent");
  next.stop();
  CHECK(p.server.stored_keys().count(uuid) == 1);  // once, whatever the cut-off request did
}

TEST_CASE("a catalog sync in progress does not hold the kiosk's stop: it is cut short and the last good catalog stays") {
  Portal p;
  p.server.set_fault(intake::Fault::parse("delay=8000:1"));
  KioskConfig config;
  config.data_dir = p.dir / "kiosk";
  config.endpoint = p.server.url();
  config.portal_token = p.token;
  config.portal_ca_file = p.keys.ca_cert;
  config.catalog_key_file = p.keys.catalog_public;
  std::filesystem::create_directories(config.data_dir);
  auto watcher = std::make_unique<CatalogWatcher>(config, root, nullptr);  // syncs at once
  std::this_thread::sleep_for(std::chrono::milliseconds(800));             // the request is on its way
  auto t0 = std::chrono::steady_clock::now();
  watcher.reset();
  double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  CHECK(took < 2.5);  // about a second, not the portal's 8 s (or the client's 30 s)
  CHECK(CatalogSync::current_dir(config.data_dir + "/catalog").empty());  // nothing half installed
}

TEST_CASE("kill -9 at every step of the write and send path: every confirmed dossier arrives exactly once") {
  Portal p;
  const char* points[] = {"enqueue:reference", "enqueue:row-written", "enqueue:committed", "send:posting", "send:answered",
                          "send:marked-sent"};
  for (std::string point : points) {
    CAPTURE(point);
    test::TempDir kiosk;
    std::string cmd = std::string(OUTBOX_DRIVER) + " " + kiosk.path + "/outbox " + p.server.url() + " " + p.keys.ca_cert +
                      " " + p.token + " " + p.keys.envelope_public;
    std::set<std::string> confirmed;
    auto run = [&](const std::string& crash_at, int count) {
      std::string full = "exec env " + (crash_at.empty() ? "" : "MOTCUA_CRASH_AT=" + crash_at + " ") + cmd + " " + std::to_string(count);
      FILE* out = popen(full.c_str(), "r");
      char line[256];
      while (std::fgets(line, sizeof line, out)) {
        std::string l = line;
        if (l.rfind("confirmed ", 0) == 0) confirmed.insert(l.substr(10, 36));
      }
      return pclose(out);
    };
    int status = run(point, 3);
    CHECK(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == SIGKILL);
    CHECK(run("", 2) == 0);  // the kiosk restarts, recovers, takes two more and drains
    auto stored = p.server.stored_keys();
    for (auto& uuid : confirmed) {
      CAPTURE(uuid);
      CHECK(stored.count(uuid) == 1);
    }
    CHECK(confirmed.size() >= 2);
    // Nothing left behind on the kiosk: no body files, nothing waiting.
    CHECK(Store(kiosk.path + "/outbox").bodies_kept() == 0);
  }
  // A crash between the portal's answer and the kiosk's record means one duplicate delivery, never a second dossier.
  long rows = 0;
  for (auto& [uuid, n] : p.server.stored_keys()) rows += n;
  CHECK(rows == static_cast<long>(p.server.stored_keys().size()));
  CHECK(p.server.stats().duplicates >= 1);
}

namespace {

// Runs the motcua binary; returns (exit status, stdout + stderr).
std::pair<int, std::string> run_motcua(const std::string& args) {
  return test::run_capture(std::string(MOTCUA_BINARY) + " " + args);
}

}  // namespace

TEST_CASE("motcua outbox status, list and retry: counts, pause and errors for staff, no personal data") {
  Portal p;
  std::string data_dir = p.dir / "kiosk-data";
  std::ofstream(p.dir / "kiosk.json") << nlohmann::json{{"dataDir", data_dir}}.dump();
  std::string cfg = "--config " + (p.dir / "kiosk.json");
  CHECK(run_motcua("outbox status " + cfg).first == 2);  // no outbox yet
  std::string big, small;
  {
    Store store(data_dir + "/outbox");
    small = p.enqueue(store, "Đặng Thị Riêng Tư");
    big = p.enqueue(store, "Hoàng Văn Kín", 200 * 1024);
    Sender sender(store, p.sender_options());
    p.server.set_fault(intake::Fault::parse("status=401:1"));
    sender.send_one(std::time(nullptr));  // paused
  }
  auto [rc, status] = run_motcua("outbox status " + cfg);
  CHECK(rc == 0);
  CHECK(status.find("waiting   2") != std::string::npos);
  CHECK(status.find("PAUSED") != std::string::npos);
  auto [rc2, json_status] = run_motcua("outbox status --json " + cfg);
  CHECK(nlohmann::json::parse(json_status)["waiting"] == 2);

  CHECK(run_motcua("outbox retry " + cfg).first == 0);  // lifts the pause
  {
    Store store(data_dir + "/outbox");
    Sender sender(store, p.sender_options());
    while (sender.send_one(std::time(nullptr))) {}
  }
  auto [rc3, listing] = run_motcua("outbox list " + cfg);
  CHECK(rc3 == 0);
  std::string today = local_time("%Y%m%d");
  CHECK(listing.find("KIOSK-01-" + today + "-0001  1.001193  sent") != std::string::npos);
  CHECK(listing.find("KIOSK-01-" + today + "-0002  1.001193  rejected") != std::string::npos);
  CHECK(listing.find("413") != std::string::npos);
  for (const std::string& text : std::vector<std::string>{status, json_status, listing}) {
    CHECK(text.find("Riêng") == std::string::npos);
    CHECK(text.find("Kín") == std::string::npos);
  }
  auto rejected = nlohmann::json::parse(run_motcua("outbox list --json --state rejected " + cfg).second);
  CHECK(rejected.size() == 1);
  CHECK(run_motcua("outbox retry KIOSK-01-" + today + "-0002 " + cfg).first == 0);
  CHECK(nlohmann::json::parse(run_motcua("outbox status --json " + cfg).second)["waiting"] == 1);
  CHECK(run_motcua("outbox retry NO-SUCH-REF " + cfg).first == 2);
  CHECK(run_motcua("outbox list --state lost " + cfg).first == 2);
  CHECK(run_motcua("outbox frobnicate").first == 2);
}

TEST_CASE("catalog: authors sign, the kiosk syncs with ETag, and a bad signature, a lint error or a captive portal keep the last good catalog") {
  Portal p;
  std::string published = p.dir / "published";
  std::filesystem::create_directories(published);
  int bundled = 0;  // the bundled forms and categories.json, all published
  for (auto& e : std::filesystem::directory_iterator(root + "/assets/forms")) {
    std::filesystem::copy_file(e.path(), published + "/" + e.path().filename().string());
    ++bundled;
  }
  auto [rc_sign, signed_out] = run_motcua("catalog sign " + published + "/*.json --key " + p.keys.catalog_private);
  CHECK(rc_sign == 0);
  auto [rc_verify, verified] = run_motcua("catalog verify " + published + "/*.json --key " + p.keys.catalog_public);
  CHECK(rc_verify == 0);
  CHECK(verified.find("khai-sinh.json: signature valid, lint clean") != std::string::npos);

  // The server publishes that folder.
  p.server.stop();
  intake::IntakeConfig c = p.config();
  c.port = p.port;
  c.catalog_dir = published;
  intake::IntakeServer server(c);
  server.start();

  std::string kiosk_dir = p.dir / "kiosk-catalog";
  CatalogSync sync({server.url(), p.token, p.keys.ca_cert, "KIOSK-01"}, slurp(p.keys.catalog_public), kiosk_dir, root);
  CatalogSyncResult first = sync.sync_once();
  REQUIRE(first.outcome == CatalogSyncResult::Outcome::Installed);
  CHECK(first.files == bundled);
  std::string v1 = CatalogSync::current_dir(kiosk_dir);
  CHECK(Catalog::load(v1).form("khai-sinh") != nullptr);
  CHECK(sync.sync_once().outcome == CatalogSyncResult::Outcome::Unchanged);  // 304 Not Modified

  // Tampered after signing: refused, the last good catalog stays.
  std::string text = slurp(published + "/khai-sinh.json");
  std::ofstream(published + "/khai-sinh.json") << text.replace(text.find("Đăng ký khai sinh"), 5, "ĐĂNG");
  CatalogSyncResult tampered = sync.sync_once();
  CHECK(tampered.outcome == CatalogSyncResult::Outcome::Failed);
  REQUIRE_FALSE(tampered.problems.empty());
  CHECK(tampered.problems[0] == "khai-sinh.json: signature does not verify with the catalog key");
  CHECK(CatalogSync::current_dir(kiosk_dir) == v1);
  auto [rc_bad, bad_out] = run_motcua("catalog verify " + published + "/khai-sinh.json --key " + p.keys.catalog_public);
  CHECK(rc_bad == 1);
  CHECK(bad_out.find("khai-sinh.json: signature INVALID") != std::string::npos);

  // Signed but broken (a step points at a field that does not exist): lint refuses it.
  nlohmann::json broken = nlohmann::json::parse(slurp(root + "/assets/forms/khai-sinh.json"));
  broken["steps"][0]["elements"][0]["scope"] = "/nobody/here";
  std::ofstream(published + "/khai-sinh.json") << broken.dump(2);
  run_motcua("catalog sign " + published + "/khai-sinh.json --key " + p.keys.catalog_private);
  CatalogSyncResult lint = sync.sync_once();
  CHECK(lint.outcome == CatalogSyncResult::Outcome::Failed);
  CHECK(lint.problems.at(0).find("khai-sinh.json: lint:") == 0);
  CHECK(CatalogSync::current_dir(kiosk_dir) == v1);

  // A captive portal in between: no change either.
  server.set_fault(intake::Fault::parse("captive:1"));
  CHECK(sync.sync_once().outcome == CatalogSyncResult::Outcome::Failed);
  CHECK(CatalogSync::current_dir(kiosk_dir) == v1);

  // A hostile index (a number for a file used to escape as json::type_error and end the kiosk's
  // watcher thread; an href after the portal's address could send its token elsewhere): refused
  // before any file is fetched, and the last good catalog stays.
  std::string sha(64, 'a');
  for (auto [body, problem] : std::vector<std::pair<std::string, std::string>>{
           {R"({"version": "1", "files": [1]})", "catalog index: files[0]: expected {name"},
           {R"({"version": "1", "files": [{"name": 7}]})", "catalog index: files[0].name: expected a text"},
           {R"({"version": "1", "files": [{"name": "a.json", "sha256": ")" + sha + R"(", "href": "@evil.example/a.json"}]})",
            "catalog index: files[0].href: not a path on the portal"},
           {R"({"version": "1", "files": )" + std::string(50, '[') + std::string(50, ']') + "}", "nested deeper than 4"}}) {
    const std::string& answer = body;  // clang 14 (scripts/sanitize) cannot capture a structured binding
    CAPTURE(answer);
    server.set_fault(intake::Fault{intake::Fault::Kind::Answer, 200, 0, 1, body, {}});
    long before = server.requests_by_path()["GET /v1/catalog/files/a.json"];
    CatalogSyncResult hostile = sync.sync_once();
    CHECK(hostile.outcome == CatalogSyncResult::Outcome::Failed);
    REQUIRE(hostile.problems.size() == 1);
    CHECK(hostile.problems[0].find(problem) != std::string::npos);
    CHECK(server.requests_by_path()["GET /v1/catalog/files/a.json"] == before);
    CHECK(CatalogSync::current_dir(kiosk_dir) == v1);
  }

  // A good new version installs, and the previous one is kept beside it.
  nlohmann::json fixed = nlohmann::json::parse(slurp(root + "/assets/forms/khai-sinh.json"));
  fixed["meta"]["version"] = "9.9.9";
  std::ofstream(published + "/khai-sinh.json") << fixed.dump(2);
  run_motcua("catalog sign " + published + "/khai-sinh.json --key " + p.keys.catalog_private);
  CHECK(sync.sync_once().outcome == CatalogSyncResult::Outcome::Installed);
  std::string v2 = CatalogSync::current_dir(kiosk_dir);
  CHECK(v2 != v1);
  CHECK(Catalog::load(v2).form("khai-sinh")->version == "9.9.9");
  CHECK(std::filesystem::exists(v1));

  // The command a technician runs does the same, reading the kiosk's configuration.
  std::ofstream(p.dir / "kiosk.json") << nlohmann::json{{"dataDir", p.dir / "kiosk-data"}, {"endpoint", server.url()},
                                                         {"portalToken", p.token}, {"portalCaFile", p.keys.ca_cert},
                                                         {"envelopeKeyFile", p.keys.envelope_public},
                                                         {"catalogKeyFile", p.keys.catalog_public}}.dump();
  auto [rc_sync, synced] = run_motcua("catalog sync --config " + (p.dir / "kiosk.json"));
  CHECK(rc_sync == 0);
  CHECK(synced.find("installed " + std::to_string(bundled) + " files as v-") == 0);
  server.stop();
}

TEST_CASE("libcurl is opened by the first request, not at start, and a kiosk without it says which library and sends nothing") {
  // Issue 22: libcurl's 24 libraries stay out of the start (terminal/services/curl_library.h).
  Portal p;
  std::ofstream(p.dir / "kiosk.json") << nlohmann::json{{"dataDir", p.dir / "kiosk-data"}, {"endpoint", p.server.url()},
                                                         {"portalToken", p.token}, {"portalCaFile", p.keys.ca_cert},
                                                         {"envelopeKeyFile", p.keys.envelope_public},
                                                         {"catalogKeyFile", p.keys.catalog_public}}.dump();
  const std::string sync = std::string(MOTCUA_BINARY) + " catalog sync --config " + (p.dir / "kiosk.json");
  auto requests = [&] {
    long n = 0;
    for (auto& [path, count] : p.server.requests_by_path()) n += count;
    return n;
  };

  // The first request opens it: the loader reports libcurl's set-up, and the portal was asked.
  std::string trace = p.dir / "ld";
  const std::string said = test::run_capture("LD_DEBUG=libs LD_DEBUG_OUTPUT=" + trace + " " + sync).second;
  INFO(said);
  CHECK(requests() > 0);
  std::string inits;
  for (auto& f : std::filesystem::directory_iterator(p.dir.path))
    if (f.path().filename().string().rfind("ld.", 0) == 0) inits += slurp(f.path());
  CHECK(inits.find("/libcurl.so.4") != std::string::npos);

  // Without libcurl: the library named, exit 1 as for a portal that is down, and no request.
  const long before = requests();
  auto without = test::run_capture("MOTCUA_CURL_LIBRARY=" + (p.dir / "libcurl-gone.so") + " " + sync);
  const std::string gone = without.second;
  INFO(gone);
  CHECK(without.first == 1);
  CHECK(gone.find("libcurl-gone.so cannot be opened (install the libcurl4 package)") != std::string::npos);
  CHECK(requests() == before);
}

TEST_CASE("docs/openapi.json matches the reference server: every path answers with a documented status and the protocol header") {
  Portal p;
  auto spec = nlohmann::json::parse(slurp(root + "/docs/openapi.json"));
  CHECK(spec["openapi"] == "3.1.0");
  PortalClient client({p.server.url(), p.token, p.keys.ca_cert, "KIOSK-01"});
  int checked = 0;
  for (auto& [path, ops] : spec["paths"].items()) {
    std::string concrete = path;
    for (auto [from, to] : {std::pair<std::string, std::string>{"{code}", "000.00.00.H00-000000-0000"}, {"{name}", "none.json"}})
      if (auto at = concrete.find(from); at != std::string::npos) concrete.replace(at, from.size(), to);
    for (auto& [method, op] : ops.items()) {
      const std::string &route = path, &verb = method;  // clang 14 cannot capture structured bindings
      CAPTURE(route);
      HttpResponse r = method == "get" ? client.get(concrete)
                                       : client.post(concrete, "{}", {{"Idempotency-Key", new_uuid_v4()}});
      CHECK(r.from_portal());
      CHECK_MESSAGE(op["responses"].contains(std::to_string(r.status)), verb, " ", concrete, " answered ", r.status);
      ++checked;
    }
  }
  CHECK(checked == 6);
}

TEST_CASE("a slow portal: submit keeps the dossier without waiting, the portal's answer is 'not yet' until it lands, and it lands once") {
  Portal p;
  test::TempDir kiosk;
  KioskConfig config = p.kiosk_config(kiosk.path);
  config.portal_wait_seconds = 0.5;
  WorkingCalendar calendar = WorkingCalendar::load(root + "/assets/holidays/vn.json");
  Submission submission(config, root, calendar, {});
  p.server.set_fault(intake::Fault::parse("delay=1500:1"));
  PersonalData data;
  data.field("/declarant/fullName") = "Bùi Chậm Chạp";
  std::string uuid = new_uuid_v4();
  auto t0 = std::chrono::steady_clock::now();
  SubmitReceipt receipt = submission.submit(*p.catalog.form("khai-sinh"), uuid, data, false);
  double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  CHECK(took < 0.4);  // the durable write only: never the portal's 1.5 s (the screen's thread calls this)
  CHECK(submission.store().find(uuid).has_value());  // kept before it returned
  CHECK_FALSE(receipt.from_portal);
  CHECK(receipt.reference.rfind("KIOSK-01-", 0) == 0);
  CHECK(receipt.appointment == calendar.add_working_days(local_time("%Y-%m-%d"), 1));
  CHECK_FALSE(submission.portal_answer(uuid).has_value());  // the first attempt is still going
  std::optional<SubmitReceipt> answer;
  for (int i = 0; i < 200 && !(answer = submission.portal_answer(uuid)); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  REQUIRE(answer.has_value());
  CHECK(answer->from_portal);
  std::optional<Item> item = submission.store().find(uuid);
  CHECK(item->state == "sent");
  CHECK(answer->reference == item->portal_code);
  CHECK(answer->appointment == item->portal_appointment);
  CHECK(item->kiosk_reference == receipt.reference);
  CHECK(p.server.stored_keys().count(uuid) == 1);
  CHECK(submission.lookup(receipt.reference).code == item->portal_code);  // the kiosk's code finds the portal's
  // A code the portal does not know: another kiosk's own (it may still hold the dossier), or not.
  DossierStatus elsewhere = submission.lookup("KIOSK-07-20261130-0003");
  CHECK(elsewhere.found == DossierStatus::Found::AtAnotherKiosk);
  CHECK(elsewhere.code == "KIOSK-07-20261130-0003");
  CHECK(submission.lookup("000.00.00.H00-261130-9999").found == DossierStatus::Found::No);
  CHECK(submission.lookup("KIOSK-01-20261130-9999").found == DossierStatus::Found::No);  // this kiosk's: it would know
}

TEST_CASE("kiosk references are told apart from the portal's codes") {
  CHECK(is_kiosk_reference("KIOSK-01-20261130-0003"));
  CHECK(is_kiosk_reference("HN-HK-02-20261130-12345"));
  CHECK_FALSE(is_kiosk_reference("000.00.00.H00-261130-0001"));  // the portal's: a six-digit date
  CHECK_FALSE(is_kiosk_reference("-20261130-0003"));               // no kiosk
  CHECK_FALSE(is_kiosk_reference("KIOSK-01-2026113X-0003"));
  CHECK_FALSE(is_kiosk_reference("KIOSK-01-20261130-003"));
  CHECK_FALSE(is_kiosk_reference("20261130-0003"));
  CHECK_FALSE(is_kiosk_reference(""));
}

TEST_CASE("while the portal's Retry-After holds the queue past the wait, a new dossier's answer is 'not from the portal' at once, never 'sending'") {
  Portal p;
  test::TempDir kiosk;
  KioskConfig config = p.kiosk_config(kiosk.path);
  config.portal_wait_seconds = 5;
  WorkingCalendar calendar = WorkingCalendar::load(root + "/assets/holidays/vn.json");
  Submission submission(config, root, calendar, {});
  int retry_after = 60;
  SUBCASE("a hold longer than the wait") { retry_after = 60; }
  SUBCASE("a hold shorter than the wait: the portal's code is still awaited") { retry_after = 2; }
  CAPTURE(retry_after);
  intake::Fault busy;
  busy.kind = intake::Fault::Kind::Answer;
  busy.status = 503;
  busy.body = "{}";
  busy.headers = {{"Retry-After", std::to_string(retry_after)}};
  busy.count = 1;
  p.server.set_fault(busy);
  PersonalData first;
  first.field("/declarant/fullName") = "Người Đến Trước";
  std::string held = new_uuid_v4();
  submission.submit(*p.catalog.form("khai-sinh"), held, first, false);
  for (int i = 0; i < 200 && submission.store().find(held)->attempts == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  REQUIRE(submission.store().find(held)->attempts == 1);  // 503: everyone waits
  // The next citizen comes a moment later (dossiers are stamped in whole seconds).
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  PersonalData second;
  second.field("/declarant/fullName") = "Người Đến Sau";
  std::string uuid = new_uuid_v4();
  SubmitReceipt receipt = submission.submit(*p.catalog.form("khai-sinh"), uuid, second, false);
  std::optional<SubmitReceipt> answer = submission.portal_answer(uuid);
  if (retry_after == 60) {
    // It will not be tried for a minute: the screen learns it at once.
    REQUIRE(answer.has_value());
    CHECK_FALSE(answer->from_portal);
    CHECK_FALSE(answer->refused);  // kept and sent later, as the receipt says
    CHECK(submission.store().find(uuid)->state == "waiting");
    CHECK(submission.store().find(uuid)->attempts == 0);
    CHECK(p.server.stored_keys().count(uuid) == 0);
    CHECK(receipt.reference.rfind("KIOSK-01-", 0) == 0);
  } else {
    // Tried within the wait, once the hold ends: its code is worth waiting for.
    CHECK_FALSE(answer.has_value());
    for (int i = 0; i < 250 && !(answer = submission.portal_answer(uuid)); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    REQUIRE(answer.has_value());
    CHECK(answer->from_portal);
  }
}

// The portal's Retry-After counts from its answer. A batch used to time every outcome from its
// own start, so a slow answer's hold had already ended when it was set.
TEST_CASE("a Retry-After that comes with a slow answer holds the queue from the answer, not from the batch's start") {
  Portal p;
  Store store(p.dir / "outbox");
  p.enqueue(store, "Người Thứ Nhất");
  p.enqueue(store, "Người Thứ Hai");
  SenderOptions options = p.sender_options();
  options.portal.timeout_ms = 10000;  // the slow answer is an answer, not a timeout
  Sender sender(store, options);
  intake::Fault slow_busy;
  slow_busy.kind = intake::Fault::Kind::Answer;
  slow_busy.status = 503;
  slow_busy.body = "{}";
  slow_busy.headers = {{"Retry-After", "3"}};
  slow_busy.millis = 3500;  // the answer comes after the 3 s counted from the batch's start are over
  slow_busy.count = 1;
  p.server.set_fault(slow_busy);
  CHECK(sender.send_batch(std::time(nullptr), 1, 1) == 1);
  const long requests = p.server.stats().requests;
  // Just after the answer its 3 s are not over (2 s of margin for a slow machine): nothing goes.
  CHECK_FALSE(sender.send_one(std::time(nullptr)));
  CHECK(p.server.stats().requests == requests);
  bool moved = false;  // and once they are, the queue moves again
  for (int i = 0; i < 60 && !(moved = sender.send_one(std::time(nullptr))); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK(moved);
}

// The run loop reads the time, then starts a batch: a second that turns between the two used to
// put the whole batch a second behind, so a Retry-After 1 held nothing.
TEST_CASE("a batch started just after the second turned keeps its Retry-After whole") {
  Portal p;
  Store store(p.dir / "outbox");
  p.enqueue(store, "Người Thứ Nhất");
  p.enqueue(store, "Người Thứ Hai");
  Sender sender(store, p.sender_options());
  intake::Fault busy;
  busy.kind = intake::Fault::Kind::Answer;
  busy.status = 503;
  busy.body = "{}";
  busy.headers = {{"Retry-After", "1"}};
  busy.count = 1;
  p.server.set_fault(busy);
  // Just after a second turns, with the time read before it: nearly a second of room below.
  const std::time_t before = std::time(nullptr);
  while (std::time(nullptr) == before) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  CHECK(sender.send_batch(before, 1, 1) == 1);
  const long requests = p.server.stats().requests;
  CHECK_FALSE(sender.send_one(std::time(nullptr)));  // the second asked for is not over
  CHECK(p.server.stats().requests == requests);
  bool moved = false;
  for (int i = 0; i < 40 && !(moved = sender.send_one(std::time(nullptr))); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK(moved);
}

TEST_CASE("doubled, stale and truncated answers on a kept-alive connection: no dossier ever carries another's code") {
  Portal p;
  Store store(p.dir / "outbox");
  std::vector<std::string> uuids;
  for (int i = 0; i < 60; ++i) uuids.push_back(p.enqueue(store, "Người Thứ " + std::to_string(i)));
  Sender sender(store, p.sender_options());
  const char* faults[] = {"double:1", "stale:1", "truncate:1"};
  int attempts = 0;
  for (; attempts < 2000; ++attempts) {
    if (attempts % 3 == 0) p.server.set_fault(intake::Fault::parse(faults[(attempts / 3) % 3]));  // one answer in three garbled
    if (!sender.send_one(std::time(nullptr))) break;
  }
  auto codes = p.server.stored_codes();
  int wrong = 0, sent = 0, retried = 0;
  for (auto& uuid : uuids) {
    Item it = *store.find(uuid);
    if (it.state != "sent") continue;
    ++sent;
    if (codes[uuid] != it.portal_code) ++wrong;
    if (it.attempts > 1) ++retried;
  }
  CHECK(wrong == 0);
  CHECK(sent == 60);
  CHECK(retried >= 10);  // the garbled answers were seen and refused, not silently right
  for (auto& [uuid, n] : p.server.stored_keys()) CHECK(n == 1);
  CHECK(store.bodies_kept() == 0);
}

TEST_CASE("4 dossiers in flight on their own connections, answers garbled: no dossier ever carries another's code") {
  Portal p;
  Store store(p.dir / "outbox");
  std::vector<std::string> uuids;
  for (int i = 0; i < 60; ++i) uuids.push_back(p.enqueue(store, "Song Song " + std::to_string(i)));
  Sender sender(store, p.sender_options());
  // A stale answer now may be another connection's dossier's: it must still be refused.
  const char* faults[] = {"double:1", "stale:1", "truncate:1"};
  int batches = 0;
  for (; batches < 500; ++batches) {
    p.server.set_fault(intake::Fault::parse(faults[batches % 3]));
    if (sender.send_batch(std::time(nullptr), 4, 8) == 0) break;
  }
  auto codes = p.server.stored_codes();
  int wrong = 0, sent = 0, retried = 0;
  for (auto& uuid : uuids) {
    Item it = *store.find(uuid);
    if (it.state != "sent") continue;
    ++sent;
    if (codes[uuid] != it.portal_code) ++wrong;
    if (it.attempts > 1) ++retried;
  }
  CHECK(wrong == 0);
  CHECK(sent == 60);
  CHECK(retried >= 3);  // the garbled answers were seen and refused
  CHECK(batches < 60);  // several per call: the connections really were used together
  for (auto& [uuid, n] : p.server.stored_keys()) CHECK(n == 1);
  CHECK(store.bodies_kept() == 0);
}

TEST_CASE("every malformed answer kind: a bounded number of requests per dossier, a named field, no exception") {
  Portal p;
  Store store(p.dir / "outbox");
  SenderOptions o = p.sender_options();
  o.backoff_base_s = 2;
  o.backoff_cap_s = 600;
  o.min_retry_s = 10;  // the default: at most six tries a minute
  struct Kind {
    int status;
    std::string body;
    std::map<std::string, std::string> headers;
    std::string named;  // what the item's last error must mention
  };
  std::string ref = "KIOSK-01-" + local_time("%Y%m%d") + "-";
  std::vector<Kind> kinds = {
      {201, R"({"dossierCode":5,"kioskReference":"R"})", {}, "dossierCode"},
      {201, R"({"dossierCode":"C-1","kioskReference":"R","receivedAt":5})", {}, "receivedAt"},
      {201, R"({"dossierCode":"C-1","kioskReference":"R","appointmentAt":{"d":1}})", {}, "appointmentAt"},
      {503, "{}", {{"Retry-After", "1e20"}}, "Retry-After"},
      {503, "{}", {{"Retry-After", std::string(400, '9')}}, "Retry-After"},
      {429, "{}", {{"Retry-After", "99999999"}}, "HTTP 429"},
      {201, std::string(2 * 1024 * 1024, ' ') + "{}", {}, "KiB"},
      {201, std::string(100000, '[') + std::string(100000, ']'), {}, "JSON object"},
      {500, R"({"error":5})", {}, "HTTP 500"},
  };
  std::int64_t t0 = std::time(nullptr);
  for (size_t k = 0; k < kinds.size(); ++k) {
    CAPTURE(k);
    std::string uuid = p.enqueue(store, "Ác Ý " + std::to_string(k));
    std::string reference = store.find(uuid)->kiosk_reference;
    intake::Fault f;
    f.kind = intake::Fault::Kind::Answer;
    f.status = kinds[k].status;
    f.body = kinds[k].body;
    if (auto at = f.body.find("\"R\""); at != std::string::npos) f.body.replace(at, 3, "\"" + reference + "\"");
    f.headers = kinds[k].headers;
    p.server.set_fault(f);
    Sender sender(store, o);
    long before = p.server.requests_by_path()["POST /v1/dossiers"];
    // A minute of the sender's clock, asked every half second: the portal answers the same every time.
    for (int half = 0; half < 120; ++half) CHECK_NOTHROW(sender.send_one(t0 + 1000 * static_cast<std::int64_t>(k) + half / 2));
    long posts = p.server.requests_by_path()["POST /v1/dossiers"] - before;
    CHECK(posts >= 1);
    CHECK(posts <= 6);
    Item it = *store.find(uuid);
    CHECK(it.state == "waiting");
    CHECK(it.portal_code.empty());
    CHECK(it.last_error.find(kinds[k].named) != std::string::npos);
    CHECK(it.next_attempt_at <= t0 + 1000 * static_cast<std::int64_t>(k) + 60 + 600);  // capped
    store.mark_rejected(uuid, "test: done with this kind");  // out of the way of the next kind
  }
  // And the real thread with a hostile portal for two seconds: one POST, not thousands.
  p.server.set_fault(intake::Fault{intake::Fault::Kind::Answer, 201, 0, -1, R"({"dossierCode":5})", {}});
  std::string uuid = p.enqueue(store, "Luồng Thật");
  long before = p.server.requests_by_path()["POST /v1/dossiers"];
  {
    Sender sender(store, o);
    sender.start();
    std::this_thread::sleep_for(std::chrono::seconds(2));
  }
  CHECK(p.server.requests_by_path()["POST /v1/dossiers"] - before == 1);
  CHECK(store.find(uuid)->state == "waiting");
}

TEST_CASE("a status lookup answered with wrong types or about another dossier is 'unavailable', never a crash") {
  Portal p;
  test::TempDir kiosk;
  KioskConfig config = p.kiosk_config(kiosk.path);
  WorkingCalendar calendar = WorkingCalendar::load(root + "/assets/holidays/vn.json");
  Submission submission(config, root, calendar, {});
  const std::string code = "000.00.00.H00-261122-0042";
  for (std::string body : {R"({"dossierCode":")" + code + R"(","reason":5})", R"({"dossierCode":")" + code + R"(","status":["done"]})",
                           std::string(R"({"dossierCode":"000.00.00.H00-261122-0001","status":"done"})"), std::string("[]"),
                           std::string(50000, '{')}) {
    CAPTURE(body.substr(0, 60));
    p.server.set_fault(intake::Fault{intake::Fault::Kind::Answer, 200, 0, 1, body, {}});
    DossierStatus st;
    CHECK_NOTHROW(st = submission.lookup(code));
    CHECK(st.found == DossierStatus::Found::Unavailable);
  }
  p.server.set_fault(intake::Fault{intake::Fault::Kind::Answer, 200, 0, 1, R"({"dossierCode":")" + code + R"(","status":"done"})", {}});
  DossierStatus ok = submission.lookup(code);
  CHECK(ok.found == DossierStatus::Found::Yes);
  CHECK(ok.status == "done");
}

TEST_CASE("portal down, then back: a backlog of 100 drains within 30 s of its return, with the default timings") {
  Portal p;
  int port = p.port;
  Store store(p.dir / "outbox");
  std::vector<std::string> uuids;
  for (int i = 0; i < 100; ++i) uuids.push_back(p.enqueue(store, "Tồn " + std::to_string(i)));
  p.server.stop();
  SenderOptions o = p.sender_options();
  o.backoff_base_s = 2;  // the defaults, as a kiosk runs
  o.backoff_cap_s = 600;
  o.min_retry_s = 10;
  o.probe_s = 5;
  Sender sender(store, o);
  sender.start();
  auto all_tried = [&] {
    for (auto& u : uuids)
      if (store.find(u)->attempts == 0) return false;
    return true;
  };
  for (int i = 0; i < 300 && !all_tried(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::this_thread::sleep_for(std::chrono::seconds(3));  // an outage long enough to back off
  intake::IntakeConfig c = p.config();
  c.port = port;
  intake::IntakeServer again(c);
  again.start();
  auto t0 = std::chrono::steady_clock::now();
  while (store.summary().waiting > 0 && std::chrono::steady_clock::now() - t0 < std::chrono::seconds(45))
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  double drained = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  MESSAGE("backlog of 100 drained " << drained << " s after the portal returned");
  CHECK(store.summary().waiting == 0);
  CHECK(drained < 30);
  sender.stop();
  CHECK(again.stored_keys().size() == 100);
}

TEST_CASE("staff commands beside a kiosk that is submitting: status, list and retry lose nothing and never fail a submission") {
  Portal p;
  std::string data_dir = p.dir / "kiosk-data";
  std::ofstream(p.dir / "kiosk.json") << nlohmann::json{{"dataDir", data_dir}}.dump();
  std::string cfg = " --config " + (p.dir / "kiosk.json");
  std::string cmd = std::string("exec ") + OUTBOX_DRIVER + " kiosk " + data_dir + " " + p.server.url() + " " + p.keys.ca_cert + " " +
                    p.token + " " + p.keys.envelope_public + " 60";
  std::set<std::string> confirmed;
  int failed = 0, driver_status = -1;
  std::atomic<bool> done{false};
  std::thread kiosk([&] {
    FILE* out = popen(cmd.c_str(), "r");
    char line[512];
    while (std::fgets(line, sizeof line, out)) {
      std::string l = line;
      if (l.rfind("confirmed ", 0) == 0) confirmed.insert(l.substr(10, 36));
      if (l.rfind("failed", 0) == 0) ++failed;
    }
    driver_status = pclose(out);
    done = true;
  });
  int calls = 0, bad = 0, via_kiosk = 0;
  while (!done) {
    for (const char* c : {"outbox status", "outbox list", "outbox retry", "outbox status --json"}) {
      bool beside = !done;  // the kiosk was still submitting when this command started
      auto [rc, text] = run_motcua(std::string(c) + cfg);
      calls += beside;
      // Before the kiosk made its outbox, "no outbox yet" (2) is the truth; after, 0 every time.
      if (rc != 0 && text.find("no outbox") == std::string::npos) {
        ++bad;
        MESSAGE(std::string(c) << ": " << rc << " " << text);
      }
      if (std::string(c) == "outbox retry" && rc == 0) ++via_kiosk;
    }
  }
  kiosk.join();
  CHECK(driver_status == 0);
  CHECK(failed == 0);
  CHECK(confirmed.size() == 60);
  CHECK(bad == 0);
  CHECK(calls >= 4);  // at least one whole round of the four commands while the kiosk was submitting
  CHECK(via_kiosk >= 1);
  auto stored = p.server.stored_keys();
  int lost = 0;
  for (auto& uuid : confirmed) lost += stored.count(uuid) == 1 ? 0 : 1;
  CHECK(lost == 0);
  CHECK(Store(data_dir + "/outbox").bodies_kept() == 0);
  // No kiosk now: retry takes the outbox itself, and status still reads it.
  CHECK(run_motcua("outbox retry" + cfg).first == 0);
  CHECK(run_motcua("outbox status" + cfg).second.find("sent      60") != std::string::npos);
}

TEST_CASE("a second kiosk on the same data folder refuses to start, naming the folder and the running one") {
  test::TempDir dir;
  std::string data_dir = dir / "data";
  std::filesystem::create_directories(data_dir);
  std::ofstream(dir / "kiosk.json") << nlohmann::json{{"dataDir", data_dir}}.dump();
  outbox::FolderLock running(data_dir, outbox::FolderLock::Mode::Exclusive);
  auto [rc, text] = run_motcua("--config " + (dir / "kiosk.json") + " --windowed 800x600");
  CHECK(rc == 2);
  CHECK(text.find(data_dir + " is in use by another kiosk process (pid " + std::to_string(::getpid()) + ")") != std::string::npos);
}

using test::SmallDisk;

TEST_CASE("a full or read-only disk at start: the kiosk names the folder and the real cause, exit 2") {
  test::TempDir dir;
  SmallDisk disk(dir / "disk", "8m");
  if (!disk.mounted) {
    MESSAGE("skipped: cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN)");
    return;
  }
  std::string data_dir = disk.path + "/data";
  std::filesystem::create_directories(data_dir);
  std::ofstream(dir / "kiosk.json") << nlohmann::json{{"dataDir", data_dir}}.dump();
  std::string run = "--config " + (dir / "kiosk.json") + " --windowed 800x600";
  std::string filler = disk.fill();
  auto [rc, text] = run_motcua(run);
  CHECK(rc == 2);
  CHECK(text.find("data folder " + data_dir + ": the disk is full") != std::string::npos);
  CHECK(text.find("history.sqlite") == std::string::npos);
  std::filesystem::remove(filler);
  std::filesystem::remove(filler + "2");
  REQUIRE(disk.remount("ro"));
  auto [rc2, text2] = run_motcua(run);
  CHECK(rc2 == 2);
  CHECK(text2.find("data folder " + data_dir + ": the disk is read-only") != std::string::npos);
  CHECK(text2.find("history.sqlite") == std::string::npos);
}

TEST_CASE("a disk that fills up while the kiosk runs: the citizen is told, nothing confirmed is damaged") {
  Portal p;
  SmallDisk disk(p.dir / "disk", "16m");
  if (!disk.mounted) {
    MESSAGE("skipped: cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN)");
    return;
  }
  KioskConfig config = p.kiosk_config(disk.path);
  config.portal_wait_seconds = 0.1;
  WorkingCalendar calendar = WorkingCalendar::load(root + "/assets/holidays/vn.json");
  p.server.stop();  // the portal is away: what is confirmed stays on the kiosk's disk
  std::vector<std::string> kept;
  {
    Submission submission(config, root, calendar, {});
    const forms::FormPackage& form = *p.catalog.form("khai-sinh");
    PersonalData data;
    data.field("/declarant/fullName") = "Trước Khi Đầy";
    for (int i = 0; i < 3; ++i) {
      kept.push_back(new_uuid_v4());
      CHECK_FALSE(submission.submit(form, kept.back(), data, false).from_portal);
    }
    std::string filler = disk.fill();
    // Staff are told the folder and the cause (the alert goes to stderr: the journal).
    std::string alerts = p.dir / "alerts.txt";
    std::fflush(stderr);
    int saved = ::dup(2), file = ::open(alerts.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(file, 2);
    CHECK_THROWS_AS(submission.submit(form, new_uuid_v4(), data, false), std::runtime_error);  // "Chưa lưu được hồ sơ"
    std::fflush(stderr);
    ::dup2(saved, 2);
    ::close(saved);
    ::close(file);
    std::string alert = test::slurp(alerts);
    CHECK_MESSAGE(alert.find("staff alert: a dossier could not be kept: data folder " + disk.path + ": the disk is full") !=
                      std::string::npos,
                  alert);
    for (auto& uuid : kept) CHECK(submission.store().find(uuid)->state == "waiting");
    std::filesystem::remove(filler);
    std::filesystem::remove(filler + "2");
    // (A read-only remount cannot be made while the kiosk holds files open for writing; the
    // read-only case is tested at start, above.)
  }
  // Restarted with the portal back: the three confirmed dossiers arrive, the refused ones were never kept.
  intake::IntakeConfig c = p.config();
  c.port = p.port;
  intake::IntakeServer again(c);
  again.start();
  Submission submission(config, root, calendar, {});
  CHECK(submission.store().summary().waiting == 3);
  for (int i = 0; i < 200 && submission.store().summary().waiting > 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  auto stored = again.stored_keys();
  for (auto& uuid : kept) CHECK(stored.count(uuid) == 1);
  CHECK(stored.size() == 3);
  CHECK(submission.store().bodies_kept() == 0);
}
