#include "terminal/services/history.h"

#include <filesystem>
#include <stdexcept>

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include "terminal/services/schema_version.h"

namespace motcua {

namespace {

constexpr const char* kSchema = R"(
CREATE TABLE IF NOT EXISTS sessions(
  kiosk TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  ended_at INTEGER NOT NULL,
  kind TEXT NOT NULL,
  procedure TEXT NOT NULL DEFAULT '',
  language TEXT NOT NULL DEFAULT '',
  furthest_step TEXT NOT NULL DEFAULT '',
  outcome TEXT NOT NULL,
  reference TEXT NOT NULL DEFAULT '',
  used_card INTEGER NOT NULL DEFAULT 0,
  assisted INTEGER NOT NULL DEFAULT 0,
  evaluated INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS sessions_time ON sessions(started_at);
CREATE TABLE IF NOT EXISTS evaluations(
  dossier_code TEXT NOT NULL UNIQUE,
  procedure TEXT NOT NULL DEFAULT '',
  kiosk TEXT NOT NULL,
  at INTEGER NOT NULL,
  assisted INTEGER NOT NULL DEFAULT 0,
  from_lookup INTEGER NOT NULL DEFAULT 0,
  survey TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS evaluations_time ON evaluations(at);
CREATE TABLE IF NOT EXISTS answers(
  dossier_code TEXT NOT NULL,
  criterion TEXT NOT NULL,
  level INTEGER NOT NULL,
  PRIMARY KEY(dossier_code, criterion)
);
CREATE TABLE IF NOT EXISTS statuses(
  dossier_code TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  was_overdue INTEGER NOT NULL DEFAULT 0,  -- once late, always counted late, even when done later
  checked_at INTEGER NOT NULL
);
)";

// Layout versions (PRAGMA user_version): step i takes version i to i + 1. Append, never edit.
const std::vector<MigrationStep> kMigrations = {
    [](sqlite3* db) { exec_sql(db, kSchema); },  // 1: MotCua 0.1.0's layout
};

struct Stmt {
  sqlite3_stmt* st = nullptr;
  Stmt(sqlite3* db, const char* sql) {
    if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) throw std::runtime_error(std::string("history: ") + sqlite3_errmsg(db));
  }
  ~Stmt() { sqlite3_finalize(st); }
  Stmt& text(int i, const std::string& v) {
    sqlite3_bind_text(st, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& integer(int i, std::int64_t v) {
    sqlite3_bind_int64(st, i, v);
    return *this;
  }
  int step() { return sqlite3_step(st); }
};

}  // namespace

History::History(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr) != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw std::runtime_error(path + ": " + msg);
  }
  sqlite3_busy_timeout(db_, 5000);
  try {
    exec_sql(db_, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
    migrate_schema(db_, path, kMigrations);
  } catch (const SchemaTooNew&) {
    sqlite3_close(db_);
    throw;
  } catch (const std::exception& e) {
    sqlite3_close(db_);
    throw std::runtime_error(path + ": " + e.what());
  }
}

int History::layout_version() { return static_cast<int>(kMigrations.size()); }

History::~History() { sqlite3_close(db_); }

void History::record_session(const SessionRecord& r, const std::string& kiosk_id) {
  std::lock_guard<std::mutex> l(m_);
  Stmt st(db_,
          "INSERT INTO sessions(kiosk, started_at, ended_at, kind, procedure, language, furthest_step, outcome, "
          "reference, used_card, assisted, evaluated) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)");
  st.text(1, kiosk_id).integer(2, r.started_at).integer(3, r.ended_at).text(4, r.kind).text(5, r.procedure);
  st.text(6, r.language).text(7, r.furthest_step).text(8, r.outcome).text(9, r.reference);
  st.integer(10, r.used_card).integer(11, r.assisted).integer(12, r.evaluated);
  st.step();
}

bool History::record_evaluation(const Evaluation& e, std::int64_t at) {
  std::lock_guard<std::mutex> l(m_);
  sqlite3_exec(db_, "SAVEPOINT evaluation", nullptr, nullptr, nullptr);  // nests inside a caller's transaction
  Stmt ev(db_, "INSERT OR IGNORE INTO evaluations VALUES(?,?,?,?,?,?,?)");
  ev.text(1, e.dossier_reference).text(2, e.procedure_code).text(3, e.kiosk_id).integer(4, at);
  ev.integer(5, e.assisted).integer(6, e.from_lookup).text(7, e.survey);
  ev.step();
  bool fresh = sqlite3_changes(db_) == 1;
  if (fresh)
    for (auto& [criterion, level] : e.answers) {
      Stmt a(db_, "INSERT OR REPLACE INTO answers VALUES(?,?,?)");
      a.text(1, e.dossier_reference).text(2, criterion).integer(3, level);
      a.step();
    }
  sqlite3_exec(db_, "RELEASE evaluation", nullptr, nullptr, nullptr);
  return fresh;
}

bool History::evaluated(const std::string& dossier_code) {
  std::lock_guard<std::mutex> l(m_);
  Stmt st(db_, "SELECT 1 FROM evaluations WHERE dossier_code=?");
  st.text(1, dossier_code);
  return st.step() == SQLITE_ROW;
}

History::Counts History::counts_since(std::int64_t since) {
  std::lock_guard<std::mutex> l(m_);
  Stmt st(db_, "SELECT count(*), coalesce(sum(outcome='submitted'),0) FROM sessions WHERE started_at>=?");
  st.integer(1, since);
  Counts c;
  if (st.step() == SQLITE_ROW) {
    c.sessions = sqlite3_column_int(st.st, 0);
    c.submitted = sqlite3_column_int(st.st, 1);
  }
  return c;
}

void History::record_status(const DossierStatus& s, std::int64_t at) {
  if (s.found != DossierStatus::Found::Yes || s.code.empty()) return;
  std::lock_guard<std::mutex> l(m_);
  Stmt st(db_,
          "INSERT INTO statuses VALUES(?,?,?,?) ON CONFLICT(dossier_code) DO UPDATE SET status=excluded.status, "
          "was_overdue=MAX(was_overdue, excluded.was_overdue), checked_at=excluded.checked_at");
  st.text(1, s.code).text(2, s.status).integer(3, s.status == "overdue").integer(4, at);
  st.step();
}

}  // namespace motcua
