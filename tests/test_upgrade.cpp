// Upgrades keep what the kiosk holds: databases from MotCua 0.1.0 (no layout version) are brought
// forward at open and their waiting dossiers still go out exactly once; a database written by a
// newer MotCua is refused by name and left untouched, at kiosk start with exit 2.
#include <doctest/doctest.h>

#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/intake/credentials.h"
#include "tests/intake/intake_server.h"
#include "tests/support/files.h"
#include "terminal/core/catalog.h"
#include "terminal/services/history.h"
#include "terminal/services/outbox/sender.h"
#include "terminal/services/outbox/store.h"
#include "terminal/services/schema_version.h"
#include "terminal/services/submission.h"

using namespace motcua;
using namespace motcua::outbox;

namespace {

const std::string root = MOTCUA_SOURCE_ROOT;

// Raw SQL on a kiosk file, as an older or newer MotCua would have left it.
void sql(const std::string& file, const std::string& statements) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
  char* err = nullptr;
  int rc = sqlite3_exec(db, statements.c_str(), nullptr, nullptr, &err);
  std::string msg = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  REQUIRE_MESSAGE(rc == SQLITE_OK, msg);
}

int layout_of(const std::string& file) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, nullptr);
  int v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
  sqlite3_finalize(st);
  sqlite3_close(db);
  return v;
}

bool column_exists(const std::string& file, const char* table, const char* column) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  bool found = has_column(db, table, column);
  sqlite3_close(db);
  return found;
}

SessionRecord visit(const std::string& reference) {
  SessionRecord r;
  r.started_at = std::time(nullptr) - 60;
  r.ended_at = std::time(nullptr);
  r.kind = "dossier";
  r.procedure = "khai-sinh";
  r.language = "vi";
  r.outcome = "submitted";
  r.reference = reference;
  return r;
}

// The reference intake server for a test's folder, with the bundled holidays.
intake::IntakeConfig intake_config(const test::TempDir& dir, const intake::CredentialFiles& keys) {
  intake::IntakeConfig ic = intake::demo_intake_config(keys, dir / "intake.sqlite");
  ic.holidays_file = root + "/assets/holidays/vn.json";
  return ic;
}

// KIOSK-01 sending to it, with a fixed jitter seed.
SenderOptions sender_options(const intake::IntakeServer& server, const intake::CredentialFiles& keys) {
  SenderOptions o;
  o.portal = {server.url(), test::first_line(keys.kiosk_token), keys.ca_cert, "KIOSK-01", 2000, 3000};
  o.seed = 1;
  return o;
}

}  // namespace

TEST_CASE("upgrade: an outbox and a history from MotCua 0.1.0 are brought forward, and the waiting dossier goes out once") {
  test::TempDir dir;
  auto keys = intake::make_demo_credentials(dir / "keys");
  intake::IntakeServer server(intake_config(dir, keys));
  int port = server.start();
  REQUIRE(port > 0);
  Catalog catalog = Catalog::load(root + "/assets/forms");
  std::string outbox_dir = dir / "outbox", history_file = dir / "history.sqlite";

  // The old kiosk: one dossier kept offline, its visit in the history.
  std::string uuid, reference;
  {
    Store store(outbox_dir);
    PersonalData data;
    data.field("/declarant/fullName") = "Trần Văn Nâng Cấp";
    uuid = new_uuid_v4();
    reference = enqueue_dossier(store, *catalog.form("khai-sinh"), uuid, data, false, "KIOSK-01",
                                test::slurp(keys.envelope_public), "2026-11-27");
    History history(history_file);
    history.record_session(visit(reference), "KIOSK-01");
  }
  // ... as 0.1.0 left them: no layout version, and an outbox without last_attempt_at (nor the papers' counts).
  sql(outbox_dir + "/outbox.sqlite", "ALTER TABLE items DROP COLUMN last_attempt_at; ALTER TABLE items DROP COLUMN papers_scanned; "
                                     "ALTER TABLE items DROP COLUMN papers_at_counter; PRAGMA user_version=0;");
  sql(history_file, "PRAGMA user_version=0;");
  REQUIRE_FALSE(column_exists(outbox_dir + "/outbox.sqlite", "items", "last_attempt_at"));

  // Before the new kiosk starts, staff tools read the old layout as it is and change nothing.
  CHECK(Store(outbox_dir, ReadOnly{}).summary().waiting == 1);
  CHECK(layout_of(outbox_dir + "/outbox.sqlite") == 0);

  // The new kiosk: both files carry the current layout, the dossier is still waiting, then sent once.
  {
    Store store(outbox_dir);
    History history(history_file);
    CHECK(layout_of(outbox_dir + "/outbox.sqlite") == Store::layout_version());
    CHECK(column_exists(outbox_dir + "/outbox.sqlite", "items", "papers_scanned"));
    CHECK(column_exists(outbox_dir + "/outbox.sqlite", "items", "papers_at_counter"));
    CHECK(layout_of(history_file) == History::layout_version());
    CHECK(column_exists(outbox_dir + "/outbox.sqlite", "items", "last_attempt_at"));
    REQUIRE(store.find(uuid));
    CHECK(store.find(uuid)->state == "waiting");
    CHECK(store.find(uuid)->kiosk_reference == reference);
    Sender sender(store, sender_options(server, keys));
    CHECK(sender.send_one(std::time(nullptr)));
    CHECK(store.find(uuid)->state == "sent");
    CHECK_FALSE(sender.send_one(std::time(nullptr)));
    // References go on from where the old kiosk stopped.
    CHECK(store.next_reference("KIOSK-01", "2026-11-27") != reference);
  }
  // A second start migrates nothing and sends nothing again.
  {
    Store store(outbox_dir);
    CHECK(store.summary().waiting == 0);
    CHECK(layout_of(outbox_dir + "/outbox.sqlite") == Store::layout_version());
  }
  CHECK(server.stored_keys() == std::map<std::string, int>{{uuid, 1}});
}

TEST_CASE("upgrade: a database from a newer MotCua is refused by name and left as it was") {
  test::TempDir dir;
  std::string outbox_dir = dir / "outbox", history_file = dir / "history.sqlite";
  { Store store(outbox_dir); }
  { History history(history_file); }
  int newer = Store::layout_version() + 6;
  sql(outbox_dir + "/outbox.sqlite", "PRAGMA user_version=" + std::to_string(newer) + ";");
  sql(history_file, "PRAGMA user_version=" + std::to_string(History::layout_version() + 3) + ";");

  try {
    Store store(outbox_dir);
    FAIL("a newer outbox was opened for writing");
  } catch (const StoreError& e) {
    std::string msg = e.what();
    CHECK(msg.find(outbox_dir + "/outbox.sqlite") != std::string::npos);
    CHECK(msg.find("newer MotCua") != std::string::npos);
    CHECK(msg.find("layout version " + std::to_string(newer)) != std::string::npos);
  }
  CHECK_THROWS_AS(Store(outbox_dir, ReadOnly{}), StoreError);
  CHECK_THROWS_AS(History{history_file}, SchemaTooNew);
  CHECK(layout_of(outbox_dir + "/outbox.sqlite") == newer);  // untouched
  CHECK(layout_of(history_file) == History::layout_version() + 3);
}

TEST_CASE("upgrade: the kiosk and motcua stats refuse a newer history with exit 2, naming the file") {
  test::TempDir dir;
  std::string data_dir = dir / "data";
  std::filesystem::create_directories(data_dir);
  { History history(data_dir + "/history.sqlite"); }
  sql(data_dir + "/history.sqlite", "PRAGMA user_version=99;");
  std::ofstream(dir / "kiosk.json") << nlohmann::json{{"dataDir", data_dir}}.dump();
  std::string cfg = " --config " + (dir / "kiosk.json");
  auto [rc, text] = test::run_capture(std::string(MOTCUA_BINARY) + cfg + " --windowed 800x600");
  CHECK(rc == 2);
  CHECK(text.find(data_dir + "/history.sqlite: written by a newer MotCua") != std::string::npos);
  auto [rc2, text2] = test::run_capture(std::string(MOTCUA_BINARY) + " stats" + cfg);
  CHECK(rc2 == 2);
  CHECK(text2.find("history.sqlite: written by a newer MotCua") != std::string::npos);
  CHECK(layout_of(data_dir + "/history.sqlite") == 99);
}

namespace {

// The outbox layouts MotCua has written, as their own CREATE statements (not today's minus columns).
// 0.1.0 (2026-11-22): no last_attempt_at, bodies as files, a 'sending' state, no layout version.
const char* kOutbox010 = R"(
CREATE TABLE items(uuid TEXT PRIMARY KEY, kind TEXT NOT NULL, kiosk_reference TEXT NOT NULL UNIQUE, procedure TEXT NOT NULL,
  state TEXT NOT NULL CHECK(state IN ('waiting','sending','sent','rejected')), appointment_date TEXT NOT NULL DEFAULT '',
  portal_code TEXT NOT NULL DEFAULT '', portal_received_at TEXT NOT NULL DEFAULT '', portal_appointment TEXT NOT NULL DEFAULT '',
  last_error TEXT NOT NULL DEFAULT '', attempts INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL DEFAULT 0, sent_at INTEGER NOT NULL DEFAULT 0);
CREATE INDEX items_due ON items(state, next_attempt_at, created_at);
CREATE TABLE reference_sequence(day TEXT PRIMARY KEY, last INTEGER NOT NULL);
CREATE TABLE settings(name TEXT PRIMARY KEY, value TEXT NOT NULL);
)";
// Just before layout versions (then layout 1 as it stands): last_attempt_at and bodies in the
// database, no papers' counts.
const char* kOutboxLayout1 = R"(
CREATE TABLE items(uuid TEXT PRIMARY KEY, kind TEXT NOT NULL, kiosk_reference TEXT NOT NULL UNIQUE, procedure TEXT NOT NULL,
  state TEXT NOT NULL CHECK(state IN ('waiting','sent','rejected')), appointment_date TEXT NOT NULL DEFAULT '',
  portal_code TEXT NOT NULL DEFAULT '', portal_received_at TEXT NOT NULL DEFAULT '', portal_appointment TEXT NOT NULL DEFAULT '',
  last_error TEXT NOT NULL DEFAULT '', attempts INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL DEFAULT 0, sent_at INTEGER NOT NULL DEFAULT 0, last_attempt_at INTEGER NOT NULL DEFAULT 0);
CREATE INDEX items_waiting ON items(state, created_at);
CREATE INDEX items_by_reference ON items(kiosk_reference, kind, state, portal_code);
CREATE INDEX items_by_portal_code ON items(portal_code, kind, state);
CREATE TABLE reference_sequence(day TEXT PRIMARY KEY, last INTEGER NOT NULL);
CREATE TABLE bodies(uuid TEXT PRIMARY KEY, body BLOB NOT NULL);
CREATE TABLE settings(name TEXT PRIMARY KEY, value TEXT NOT NULL);
)";

// Three dossiers (sent, waiting, rejected) and a pause, in the columns every layout has.
std::string outbox_rows(std::int64_t now) {
  auto at = [&](std::int64_t ago) { return std::to_string(now - ago); };
  return "INSERT INTO items(uuid, kind, kiosk_reference, procedure, state, portal_code, last_error, attempts, created_at, "
         "next_attempt_at, sent_at) VALUES"
         "('u1', 'dossier', 'KIOSK-01-20261120-0001', 'khai-sinh', 'sent', 'HS-2026-000001', '', 1, " + at(7200) + ", 0, " + at(7100) + "),"
         "('u2', 'dossier', 'KIOSK-01-20261120-0002', 'khai-tu', 'waiting', '', 'portal: 503', 2, " + at(3600) + ", " + at(-60) + ", 0),"
         "('u3', 'dossier', 'KIOSK-01-20261120-0003', 'dang-ky-kinh-doanh', 'rejected', '', 'portal: 422 /owner/idNumber', 1, " +
         at(600) + ", 0, 0);"
         "INSERT INTO settings(name, value) VALUES('paused', 'portal: 401 token refused');";
}

// PRAGMA user_version as the file's header holds it (offset 60, big-endian), read without SQLite:
// opening a WAL file even read-only would leave its -shm beside it.
int header_version(const std::string& bytes) {
  REQUIRE(bytes.size() >= 100);
  int v = 0;
  for (int i = 60; i < 64; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[static_cast<size_t>(i)]);
  return v;
}

std::vector<std::string> folder_names(const std::string& dir) {
  std::vector<std::string> names;
  for (auto& e : std::filesystem::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

TEST_CASE("upgrade: motcua outbox status and list read every older outbox layout as it is and change no byte") {
  struct Layout {
    std::string name;
    std::string sql;
    int version;
    int scanned, at_counter;  // the first dossier's papers, where the layout keeps them
  };
  std::int64_t now = std::time(nullptr);
  const std::vector<Layout> layouts = {
      {"0.1.0 without a layout version", std::string(kOutbox010) + outbox_rows(now), 0, 0, 0},
      {"0 with last_attempt_at", std::string(kOutboxLayout1) + outbox_rows(now) + "UPDATE items SET last_attempt_at=" +
                                     std::to_string(now - 100) + ";", 0, 0, 0},
      {"1", std::string(kOutboxLayout1) + outbox_rows(now) + "PRAGMA user_version=1;", 1, 0, 0},
      {"2 the current one", "", 2, 2, 1},
  };
  // A new layout gets its fixture here: the last one is what this program writes.
  REQUIRE(layouts.back().version == Store::layout_version());
  for (const Layout& layout : layouts) {
    CAPTURE(layout.name);
    test::TempDir dir;
    std::string outbox_dir = dir / "data/outbox", file = outbox_dir + "/outbox.sqlite";
    std::filesystem::create_directories(outbox_dir);
    if (layout.sql.empty()) {
      { Store store(outbox_dir); }  // today's kiosk made it
      sql(file, outbox_rows(now) + "UPDATE items SET papers_scanned=2, papers_at_counter=1 WHERE uuid='u1';");
    } else {
      sql(file, layout.sql);
    }
    std::ofstream(dir / "kiosk.json") << nlohmann::json{{"dataDir", dir / "data"}}.dump();
    std::string bytes = test::slurp(file), cli = std::string(MOTCUA_BINARY) + " outbox ";
    std::vector<std::string> names = folder_names(outbox_dir);
    REQUIRE(header_version(bytes) == layout.version);

    auto [rc, out] = test::run_capture(cli + "status --json --config " + (dir / "kiosk.json"));
    const std::string& status_said = out;  // clang 14 (scripts/sanitize) cannot capture a structured binding
    REQUIRE_MESSAGE(rc == 0, status_said);
    nlohmann::json status = nlohmann::json::parse(status_said);
    CHECK(status["waiting"] == 1);
    CHECK(status["sent"] == 1);
    CHECK(status["rejected"] == 1);
    CHECK(status["lastError"] == "portal: 503");
    CHECK(status["paused"] == "portal: 401 token refused");
    CHECK(status["oldestWaitingSeconds"].get<std::int64_t>() >= 3600);

    auto [rc2, out2] = test::run_capture(cli + "list --json --config " + (dir / "kiosk.json"));
    const std::string& list_said = out2;
    REQUIRE_MESSAGE(rc2 == 0, list_said);
    nlohmann::json rows = nlohmann::json::parse(list_said);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0]["kioskReference"] == "KIOSK-01-20261120-0001");
    CHECK(rows[0]["state"] == "sent");
    CHECK(rows[0]["portalCode"] == "HS-2026-000001");
    CHECK(rows[0]["papersScanned"] == layout.scanned);
    CHECK(rows[0]["papersAtCounter"] == layout.at_counter);
    CHECK(rows[1]["kioskReference"] == "KIOSK-01-20261120-0002");
    CHECK(rows[1]["procedure"] == "khai-tu");
    CHECK(rows[1]["state"] == "waiting");
    CHECK(rows[1]["attempts"] == 2);
    CHECK(rows[1]["lastError"] == "portal: 503");
    CHECK(rows[1]["papersScanned"] == 0);
    CHECK(rows[2]["kioskReference"] == "KIOSK-01-20261120-0003");
    CHECK(rows[2]["state"] == "rejected");

    auto [rc3, out3] = test::run_capture(cli + "list --state waiting --config " + (dir / "kiosk.json"));
    const std::string& text = out3;
    REQUIRE_MESSAGE(rc3 == 0, text);
    CHECK(text.find("KIOSK-01-20261120-0002  khai-tu  waiting  tries 2") == 0);
    CHECK(text.find("KIOSK-01-20261120-0001") == std::string::npos);

    // Read as it lay: not one byte changed, no journal or shared-memory file left beside it.
    CHECK(test::slurp(file) == bytes);
    std::string before, after;
    for (auto& n : names) before += n + " ";
    for (auto& n : folder_names(outbox_dir)) after += n + " ";
    CHECK(after == before);
  }
}

TEST_CASE("upgrade: motcua outbox status and list refuse an outbox newer than the program with exit 2 and change no byte") {
  test::TempDir dir;
  std::string outbox_dir = dir / "data/outbox", file = outbox_dir + "/outbox.sqlite";
  { Store store(outbox_dir); }
  int newer = Store::layout_version() + 1;
  // The newer MotCua's layout: a column this program has never heard of, and its version.
  sql(file, outbox_rows(std::time(nullptr)) + "ALTER TABLE items ADD COLUMN papers_pages INTEGER NOT NULL DEFAULT 0; "
            "PRAGMA user_version=" + std::to_string(newer) + ";");
  std::ofstream(dir / "kiosk.json") << nlohmann::json{{"dataDir", dir / "data"}}.dump();
  std::string bytes = test::slurp(file);
  for (const char* command : {"status", "list", "list --json"}) {
    CAPTURE(command);
    auto [rc, out] = test::run_capture(std::string(MOTCUA_BINARY) + " outbox " + command + " --config " + (dir / "kiosk.json"));
    const std::string& said = out;
    CHECK_MESSAGE(rc == 2, said);
    CHECK_MESSAGE(said.find(file + ": written by a newer MotCua (layout version " + std::to_string(newer)) != std::string::npos, said);
  }
  CHECK(test::slurp(file) == bytes);
  CHECK(layout_of(file) == newer);
}

namespace {

// One value of a query on a kiosk file (a request body, a BLOB), read as bytes.
std::string blob(const std::string& file, const std::string& query) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, query.c_str(), -1, &st, nullptr) == SQLITE_OK);
  std::string out;
  if (sqlite3_step(st) == SQLITE_ROW)
    out.assign(static_cast<const char*>(sqlite3_column_blob(st, 0)), static_cast<size_t>(sqlite3_column_bytes(st, 0)));
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

}  // namespace

TEST_CASE("upgrade: a dossier MotCua 0.1.0 was sending when it stopped is waiting, keeps its body and goes out once") {
  test::TempDir dir;
  auto keys = intake::make_demo_credentials(dir / "keys");
  intake::IntakeServer server(intake_config(dir, keys));
  int port = server.start();
  REQUIRE(port > 0);
  Catalog catalog = Catalog::load(root + "/assets/forms");

  // A dossier sealed by today's code, then laid down as 0.1.0 left one it was posting when the
  // power went: its row in 0.1.0's table, state 'sending', its body a file in bodies/.
  std::string made = dir / "made", outbox_dir = dir / "outbox", uuid = new_uuid_v4();
  {
    Store store(made);
    PersonalData data;
    data.field("/declarant/fullName") = "Đỗ Thị Đang Gửi";
    enqueue_dossier(store, *catalog.form("khai-sinh"), uuid, data, false, "KIOSK-01", test::slurp(keys.envelope_public),
                    "2026-11-27");
  }
  std::string body = blob(made + "/outbox.sqlite", "SELECT body FROM bodies WHERE uuid='" + uuid + "'");
  REQUIRE(body.size() > 100);
  std::filesystem::create_directories(outbox_dir + "/bodies");
  std::ofstream(outbox_dir + "/bodies/" + uuid + ".json", std::ios::binary) << body;
  sql(outbox_dir + "/outbox.sqlite",
      std::string(kOutbox010) + "ATTACH '" + made + "/outbox.sqlite' AS made; INSERT INTO items SELECT uuid, kind, "
      "kiosk_reference, procedure, 'sending', appointment_date, portal_code, portal_received_at, portal_appointment, last_error, "
      "attempts, created_at, next_attempt_at, sent_at FROM made.items;");

  // Staff tools before the new kiosk starts: the dossier is waiting, not gone from the counts.
  {
    Store reader(outbox_dir, ReadOnly{});
    CHECK(reader.summary().waiting == 1);
    REQUIRE(reader.list(10).size() == 1);
    CHECK(reader.list(10)[0].state == "waiting");
  }
  CHECK(layout_of(outbox_dir + "/outbox.sqlite") == 0);

  // The new kiosk: waiting and due, its body kept (not taken for a leftover), then sent once.
  {
    Store store(outbox_dir);
    CHECK(store.recovery().pending == 1);
    CHECK(store.recovery().missing_bodies == 0);
    CHECK(store.recovery().leftovers_removed == 0);
    REQUIRE(store.find(uuid));
    CHECK(store.find(uuid)->state == "waiting");
    Sender sender(store, sender_options(server, keys));
    CHECK(sender.send_one(std::time(nullptr)));
    CHECK(store.find(uuid)->state == "sent");
    CHECK_FALSE(sender.send_one(std::time(nullptr)));
  }
  CHECK(server.stored_keys() == std::map<std::string, int>{{uuid, 1}});
}
