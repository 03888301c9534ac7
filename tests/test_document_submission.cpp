// Scanned papers through the outbox to the reference intake server: pages from SANE's own test
// backend, sealed inside the dossier, delivered exactly once over real HTTPS on loopback,
// checked and stored by the portal.
#include <doctest/doctest.h>

#include <signal.h>
#include <sys/wait.h>

#include <cstdlib>
#include <set>

#include "devices/scanner/page_jpeg.h"
#include "devices/scanner/sane_scanner.h"
#include "tests/intake/credentials.h"
#include "tests/intake/intake_server.h"
#include "tests/support/files.h"
#include "terminal/core/catalog.h"
#include "terminal/core/input.h"
#include "terminal/services/outbox/envelope.h"
#include "terminal/services/outbox/portal_client.h"
#include "terminal/services/outbox/sender.h"
#include "terminal/services/outbox/store.h"
#include "terminal/services/submission.h"

using namespace motcua;
using namespace motcua::outbox;

namespace {

const std::string root = MOTCUA_SOURCE_ROOT;

struct Portal {
  test::TempDir dir;
  intake::CredentialFiles keys = intake::make_demo_credentials(dir / "keys");
  std::string token = test::first_line(keys.kiosk_token);
  intake::IntakeServer server{config()};
  int port = server.start();
  Catalog catalog = Catalog::load(root + "/assets/forms");

  intake::IntakeConfig config() {
    intake::IntakeConfig c = intake::demo_intake_config(keys, dir / "intake.sqlite");
    c.holidays_file = root + "/assets/holidays/vn.json";
    return c;  // the default body limit (16 MiB): a dossier with its papers
  }
  SenderOptions sender_options() {
    SenderOptions o;
    o.portal = {server.url(), token, keys.ca_cert, "KIOSK-01", 2000, 10000};
    o.seed = 1;
    o.backoff_base_s = 0;
    o.backoff_cap_s = 0;
    o.min_retry_s = 0;
    return o;
  }
};

// Pages from the SANE test backend, as the capture screen keeps them.
CapturedPage scanned_page(const std::string& picture) {
  static test::TempDir sane;
  sane.write("dll.conf", "test\n");
  setenv("SANE_CONFIG_DIR", sane.path.c_str(), 1);
  scanner::SaneScanner device("test:0", scanner::ScanSettings{}, {{"test-picture", picture}});
  scanner::GrayImage img = device.scan_page();
  CapturedPage p;
  p.jpeg = scanner::encode_jpeg(img);
  p.width = img.width;
  p.height = img.height;
  p.dpi = img.dpi;
  return p;
}

}  // namespace

TEST_CASE("scanned papers travel sealed inside the dossier, once, and the portal checks and stores each") {
  Portal p;
  const forms::FormPackage* form = p.catalog.form("khai-tu");
  REQUIRE(form);
  REQUIRE(form->documents.size() >= 2);
  const forms::Document& notice = form->documents[0];  // giay-bao-tu: required, 2 pages at most
  PersonalData data;
  data.field("/declarant/fullName") = "Đỗ Văn Giấy";
  REQUIRE(data.documents().add_page(notice, scanned_page("Grid")) == PageRefusal::None);
  REQUIRE(data.documents().add_page(notice, scanned_page("Color pattern")) == PageRefusal::None);
  data.documents().bring_to_counter(form->documents[1].id);
  CHECK(data.documents().missing(*form).empty());

  Store store(p.dir / "outbox");
  std::string uuid = new_uuid_v4();
  enqueue_dossier(store, *form, uuid, data, false, "KIOSK-01", test::slurp(p.keys.envelope_public), "2026-11-27");
  data.wipe();

  // At rest: the clear list names the papers and their pages; their content is sealed.
  nlohmann::json body = nlohmann::json::parse(store.body(uuid));
  REQUIRE(body.contains("documents"));
  CHECK(body["documents"].size() == 2);
  CHECK(body["documents"][0]["id"] == notice.id);
  CHECK(body["documents"][0]["pages"] == 2);
  CHECK(body["documents"][1]["atCounter"] == true);
  // The row counts the papers for the staff screen: one scanned, one to bring.
  {
    const std::optional<Item> row = store.find(uuid);
    REQUIRE(row.has_value());
    CHECK(row->papers_scanned == 1);
    CHECK(row->papers_at_counter == 1);
    auto today = store.dossiers_since(std::time(nullptr) - 60);
    REQUIRE(today.size() == 1);
    CHECK(today[0].uuid == uuid);
    CHECK(store.dossiers_since(std::time(nullptr) + 3600).empty());
  }
  // Base64 is all a JSON body can carry: a page in the clear would start "/9j/4AAQSkZJRg" (a JFIF
  // JPEG), a PDF "JVBERi0". (Plain "JFIF" turns up by chance in half a megabyte of sealed base64.)
  MESSAGE("stored body: ", store.body(uuid).size(), " bytes");
  CHECK(store.body(uuid).find("/9j/4AAQSkZJRg") == std::string::npos);
  CHECK(store.body(uuid).find("%PDF") == std::string::npos);
  CHECK(store.body(uuid).find("JVBERi0") == std::string::npos);
  // Only the portal's key opens it: inside, one PDF of two pages whose hash is its content's.
  nlohmann::json sealed = nlohmann::json::parse(open(body["envelope"], test::slurp(p.keys.envelope_private), uuid));
  REQUIRE(sealed["documents"].size() == 1);
  std::string pdf = unbase64(sealed["documents"][0]["content"].get<std::string>());
  CHECK(pdf.rfind("%PDF-", 0) == 0);
  CHECK(sealed["documents"][0]["sha256"] == sha256_hex(pdf));
  CHECK(body["documents"][0]["bytes"] == pdf.size());

  // The first answer is lost: the same dossier goes again and the portal keeps it once.
  Sender sender(store, p.sender_options());
  p.server.set_fault(intake::Fault::parse("drop:1"));
  sender.send_one(std::time(nullptr));
  CHECK(store.find(uuid)->state == "waiting");
  sender.send_one(std::time(nullptr));
  REQUIRE(store.find(uuid)->state == "sent");
  CHECK(p.server.delivery_counts()[uuid] == 2);
  CHECK(p.server.stored_keys() == std::map<std::string, int>{{uuid, 1}});
  auto docs = p.server.stored_documents();
  REQUIRE(docs.count(uuid) == 1);
  CHECK(docs[uuid].size() == 2);
  CHECK(docs[uuid][notice.id] == std::make_pair(2, sha256_hex(pdf)));
  CHECK(docs[uuid][form->documents[1].id] == std::make_pair(0, std::string("counter")));
  CHECK(store.bodies_kept() == 0);
}

TEST_CASE("the portal refuses papers that do not match their list: pages, hash, or a paper left unlisted") {
  Portal p;
  const forms::FormPackage* form = p.catalog.form("khai-tu");
  REQUIRE(form);
  PersonalData data;
  data.field("/declarant/fullName") = "Đỗ Văn Sai";
  REQUIRE(data.documents().add_page(form->documents[0], scanned_page("Grid")) == PageRefusal::None);
  Store store(p.dir / "outbox");
  std::string uuid = new_uuid_v4();
  enqueue_dossier(store, *form, uuid, data, false, "KIOSK-01", test::slurp(p.keys.envelope_public), "2026-11-27");
  nlohmann::json body = nlohmann::json::parse(store.body(uuid));

  PortalClient client(p.sender_options().portal);
  auto post = [&](const nlohmann::json& b) {
    return client.post("/v1/dossiers", b.dump(), {{"Idempotency-Key", uuid}});
  };
  nlohmann::json wrong_pages = body;
  wrong_pages["documents"][0]["pages"] = 3;
  HttpResponse r = post(wrong_pages);
  CHECK(r.status == 422);
  CHECK(r.body.find("1 pages in the PDF, 3 listed") != std::string::npos);

  nlohmann::json unlisted = body;
  unlisted.erase("documents");
  r = post(unlisted);
  CHECK(r.status == 422);
  CHECK(r.body.find("documents") != std::string::npos);

  nlohmann::json phantom = body;
  phantom["documents"].push_back({{"id", "uy-quyen"}, {"pages", 1}, {"bytes", 10}});
  r = post(phantom);
  CHECK(r.status == 422);
  CHECK(r.body.find("uy-quyen: listed but not in the sealed dossier") != std::string::npos);

  CHECK(p.server.stored_keys().empty());
  CHECK(post(body).status == 201);  // the kiosk's own body is whole
  CHECK(p.server.stored_documents()[uuid][form->documents[0].id].first == 1);
}

TEST_CASE("kill -9 while dossiers with scanned papers are written and sent: each confirmed one arrives once, papers included") {
  Portal p;
  static test::TempDir sane;
  sane.write("dll.conf", "test\n");
  for (std::string point : {"enqueue:row-written", "enqueue:committed", "send:posting", "send:answered"}) {
    CAPTURE(point);
    test::TempDir kiosk;
    std::string cmd = std::string(OUTBOX_DRIVER) + " " + kiosk.path + "/outbox " + p.server.url() + " " + p.keys.ca_cert +
                      " " + p.token + " " + p.keys.envelope_public;
    std::set<std::string> confirmed;
    auto run = [&](const std::string& crash_at, int count) {
      std::string full = "exec env OUTBOX_DRIVER_PAPERS=1 SANE_CONFIG_DIR=" + sane.path + " " +
                         (crash_at.empty() ? "" : "MOTCUA_CRASH_AT=" + crash_at + " ") + cmd + " " + std::to_string(count);
      FILE* out = popen(full.c_str(), "r");
      char line[256];
      while (std::fgets(line, sizeof line, out)) {
        std::string l = line;
        if (l.rfind("confirmed ", 0) == 0) confirmed.insert(l.substr(10, 36));
      }
      return pclose(out);
    };
    int status = run(point, 2);
    CHECK(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == SIGKILL);
    CHECK(run("", 1) == 0);  // restarted: recovers, takes one more and drains
    CHECK(confirmed.size() >= 1);
    auto stored = p.server.stored_keys();
    auto papers = p.server.stored_documents();
    for (auto& uuid : confirmed) {
      CAPTURE(uuid);
      CHECK(stored.count(uuid) == 1);
      CHECK(papers[uuid].size() == 1);
      CHECK(papers[uuid]["giay-chung-sinh"].first == 1);
    }
    CHECK(Store(kiosk.path + "/outbox").bodies_kept() == 0);
  }
}
