// Upgrades keep what the kiosk holds: databases from MotCua 0.1.0 (no layout version) are brought
// forward at open and their waiting dossiers still go out exactly once; a database written by a
// newer MotCua is refused by name and left untouched, at kiosk start with exit 2.
#include <doctest/doctest.h>

#include <sqlite3.h>

#include <ctime>
#include <filesystem>
#include <fstream>

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

}  // namespace

TEST_CASE("upgrade: an outbox and a history from MotCua 0.1.0 are brought forward, and the waiting dossier goes out once") {
  test::TempDir dir;
  auto keys = intake::make_demo_credentials(dir / "keys");
  intake::IntakeConfig ic = intake::demo_intake_config(keys, dir / "intake.sqlite");
  ic.holidays_file = root + "/assets/holidays/vn.json";
  intake::IntakeServer server(ic);
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
    SenderOptions o;
    o.portal = {server.url(), test::first_line(keys.kiosk_token), keys.ca_cert, "KIOSK-01", 2000, 3000};
    o.seed = 1;
    Sender sender(store, o);
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
