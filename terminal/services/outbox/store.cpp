#include "terminal/services/outbox/store.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>
#include <utility>

#include <sqlite3.h>

#include "terminal/services/outbox/crash_points.h"
#include "terminal/services/schema_version.h"

namespace motcua::outbox {

namespace {

constexpr const char* kSchema = R"(
CREATE TABLE IF NOT EXISTS items(
  uuid TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  kiosk_reference TEXT NOT NULL UNIQUE,
  procedure TEXT NOT NULL,
  state TEXT NOT NULL CHECK(state IN ('waiting','sent','rejected')),
  appointment_date TEXT NOT NULL DEFAULT '',
  portal_code TEXT NOT NULL DEFAULT '',
  portal_received_at TEXT NOT NULL DEFAULT '',
  portal_appointment TEXT NOT NULL DEFAULT '',
  last_error TEXT NOT NULL DEFAULT '',
  attempts INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  sent_at INTEGER NOT NULL DEFAULT 0,
  last_attempt_at INTEGER NOT NULL DEFAULT 0
);
-- Oldest first among the waiting: walked in created_at order, stopping at the first one due.
CREATE INDEX IF NOT EXISTS items_waiting ON items(state, created_at);
-- Lookups and statistics by either code; covering, so a year of statistics never touches the rows.
CREATE INDEX IF NOT EXISTS items_by_reference ON items(kiosk_reference, kind, state, portal_code);
CREATE INDEX IF NOT EXISTS items_by_portal_code ON items(portal_code, kind, state);
CREATE TABLE IF NOT EXISTS reference_sequence(day TEXT PRIMARY KEY, last INTEGER NOT NULL);
-- Request bodies of waiting and rejected items, committed with their row.
CREATE TABLE IF NOT EXISTS bodies(uuid TEXT PRIMARY KEY, body BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS settings(name TEXT PRIMARY KEY, value TEXT NOT NULL);
)";

// Layout versions (PRAGMA user_version): step i takes version i to i + 1. Append, never edit.
const std::vector<MigrationStep> kMigrations = {
    // 1: MotCua 0.1.0's layout; outboxes made before last_attempt_at get the column.
    [](sqlite3* db) {
      exec_sql(db, kSchema);
      if (!has_column(db, "items", "last_attempt_at"))
        exec_sql(db, "ALTER TABLE items ADD COLUMN last_attempt_at INTEGER NOT NULL DEFAULT 0");
    },
    // 2: a dossier's papers, counted for the staff screen (never names or images).
    [](sqlite3* db) {
      for (const char* column : {"papers_scanned", "papers_at_counter"})
        if (!has_column(db, "items", column))
          exec_sql(db, ("ALTER TABLE items ADD COLUMN " + std::string(column) + " INTEGER NOT NULL DEFAULT 0").c_str());
    },
};

constexpr const char* kColumns =
    "uuid, kind, kiosk_reference, procedure, state, appointment_date, portal_code, portal_received_at, "
    "portal_appointment, last_error, attempts, created_at, next_attempt_at, sent_at, last_attempt_at, papers_scanned, "
    "papers_at_counter";

// MotCua 0.1.0 marked a dossier 'sending' for the length of its POST (today a send is recorded
// only with its outcome, and its table's CHECK has no such state).
constexpr const char* kStateOf010 = "(CASE state WHEN 'sending' THEN 'waiting' ELSE state END)";

// Columns a later layout added, with what a reader of an older file takes for them: never tried,
// no papers counted. A read-only open cannot migrate, so it selects these defaults instead.
const std::pair<const char*, const char*> kAddedColumns[] = {
    {"last_attempt_at", "0"}, {"papers_scanned", "0"}, {"papers_at_counter", "0"}};

std::string readable_columns(sqlite3* db) {
  std::string out = kColumns;
  // A dossier MotCua 0.1.0 was sending when it stopped is waiting: the next kiosk start sends it
  // again (recover()), so staff see it counted and listed as waiting, not as a fourth state.
  const std::string state = ", state,";
  out.replace(out.find(state), state.size(), ", " + std::string(kStateOf010) + " AS state,");
  for (auto& [column, fallback] : kAddedColumns) {
    if (has_column(db, "items", column)) continue;
    std::string name = std::string(", ") + column;
    size_t at = out.find(name);
    out.replace(at, name.size(), std::string(", ") + fallback + " AS " + column);
  }
  return out;
}

// One prepared statement; binds by position, finalizes itself.
class Statement {
 public:
  Statement(sqlite3* db, const std::string& sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st_, nullptr) != SQLITE_OK)
      throw StoreError(std::string("outbox: ") + sqlite3_errmsg(db));
  }
  ~Statement() { sqlite3_finalize(st_); }
  Statement& bind(int i, const std::string& v) {
    sqlite3_bind_text(st_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& bind(int i, std::int64_t v) {
    sqlite3_bind_int64(st_, i, v);
    return *this;
  }
  Statement& blob(int i, std::string_view v) {
    sqlite3_bind_blob(st_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  bool row() {
    int rc = sqlite3_step(st_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw StoreError(std::string("outbox: ") + sqlite3_errmsg(db_));
  }
  void run() { row(); }
  std::string text(int i) const {
    auto p = sqlite3_column_text(st_, i);
    return p ? reinterpret_cast<const char*>(p) : "";
  }
  std::int64_t integer(int i) const { return sqlite3_column_int64(st_, i); }
  std::string bytes(int i) const {
    auto p = static_cast<const char*>(sqlite3_column_blob(st_, i));
    return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(st_, i))) : std::string();
  }
  Item item() const {
    Item it;
    it.uuid = text(0), it.kind = text(1), it.kiosk_reference = text(2), it.procedure = text(3), it.state = text(4);
    it.appointment_date = text(5), it.portal_code = text(6), it.portal_received_at = text(7);
    it.portal_appointment = text(8), it.last_error = text(9);
    it.attempts = static_cast<int>(integer(10));
    it.created_at = integer(11), it.next_attempt_at = integer(12), it.sent_at = integer(13);
    it.last_attempt_at = integer(14);
    it.papers_scanned = static_cast<int>(integer(15)), it.papers_at_counter = static_cast<int>(integer(16));
    return it;
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* st_ = nullptr;
};

// BEGIN IMMEDIATE .. COMMIT, rolled back when left by an exception.
class Transaction {
 public:
  explicit Transaction(sqlite3* db) : db_(db) { run("BEGIN IMMEDIATE"); }
  ~Transaction() {
    if (!done_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  void commit() {
    run("COMMIT");
    done_ = true;
  }

 private:
  void run(const char* sql) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK)
      throw StoreError(std::string("outbox: ") + sqlite3_errmsg(db_));
  }
  sqlite3* db_;
  bool done_ = false;
};

void make_dir(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) throw StoreError("outbox: cannot create folder " + path + ": " + ec.message());
  ::chmod(path.c_str(), 0700);  // the kiosk's account only
}

}  // namespace

Store::Store(const std::string& dir) : dir_(dir), columns_(kColumns) {
  make_dir(dir_);
  try {
    lock_ = FolderLock(dir_, FolderLock::Mode::Exclusive);  // before anything is read or recovered
  } catch (const OwnerBusy&) {
    throw;
  } catch (const std::exception& e) {
    throw StoreError(std::string("outbox: ") + e.what());
  }
  open_db(SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, dir_ + "/outbox.sqlite");
  try {
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=FULL");
    exec("PRAGMA wal_autocheckpoint=0");  // checkpoint() runs them, off the citizen's path
    try {
      migrate_schema(db_, dir_ + "/outbox.sqlite", kMigrations);  // a reader sees a whole layout or the old one
    } catch (const std::exception& e) {
      throw StoreError(std::string("outbox: ") + e.what());
    }
    recover();
  } catch (...) {
    // A constructor that throws gets no destructor: its connections close here.
    sqlite3_close(checkpoint_db_);
    checkpoint_db_ = nullptr;
    sqlite3_close(db_);
    db_ = nullptr;
    throw;
  }
}

int Store::layout_version() { return static_cast<int>(kMigrations.size()); }

Store::Store(const std::string& dir, ReadOnly) : dir_(dir), read_only_(true), columns_(kColumns) {
  std::string db = dir_ + "/outbox.sqlite";
  if (::access(db.c_str(), F_OK) != 0) throw StoreError(db + ": no outbox here");
  // With no owner running, a shared hold keeps one from starting while we read, and a database
  // without a write-ahead log is read as it lies (immutable: no -shm made in the kiosk's folder).
  bool quiet = FolderLock::try_shared(dir_, lock_) == FolderLock::Probe::Free && ::access((db + "-wal").c_str(), F_OK) != 0;
  std::string uri = "file:";
  for (char c : db) {
    if (c == '?' || c == '#' || c == '%') {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", static_cast<unsigned char>(c));
      uri += hex;
    } else {
      uri += c;
    }
  }
  uri += quiet ? "?mode=ro&immutable=1" : "?mode=ro";
  open_db(SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, uri);
  bool made = false;
  try {
    Statement st(db_, "SELECT 1 FROM sqlite_master WHERE type='table' AND name='items'");
    made = st.row();
  } catch (const StoreError&) {
  }
  if (!made) {
    sqlite3_close(db_);
    db_ = nullptr;
    throw StoreError(db + ": no outbox yet, or not readable as one");
  }
  try {
    check_schema_version(db_, db, static_cast<int>(kMigrations.size()));
    columns_ = readable_columns(db_);  // an older layout is read as it is, never upgraded here
  } catch (const std::exception& e) {
    sqlite3_close(db_);
    db_ = nullptr;
    throw StoreError(e.what());
  }
}

void Store::open_db(int flags, const std::string& name) {
  if (sqlite3_open_v2(name.c_str(), &db_, flags | SQLITE_OPEN_FULLMUTEX, nullptr) != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw StoreError("outbox: cannot open " + dir_ + "/outbox.sqlite: " + msg);
  }
  sqlite3_busy_timeout(db_, 5000);  // a reader may hold the file for a moment
}

void Store::writable() const {
  if (read_only_) throw StoreError("outbox: " + dir_ + " is open read-only here (the kiosk owns it)");
}

Store::~Store() {
  sqlite3_close(checkpoint_db_);
  if (db_ && !read_only_) sqlite3_exec(db_, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
  sqlite3_close(db_);
}

void Store::checkpoint() {
  if (read_only_) return;
  std::lock_guard<std::mutex> l(checkpoint_m_);
  if (!checkpoint_db_ &&
      sqlite3_open_v2((dir_ + "/outbox.sqlite").c_str(), &checkpoint_db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, nullptr) !=
          SQLITE_OK) {
    sqlite3_close(checkpoint_db_);
    checkpoint_db_ = nullptr;
    return;
  }
  sqlite3_wal_checkpoint_v2(checkpoint_db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
}

int Store::bodies_kept() {
  int n = 0;
  {
    std::lock_guard<std::mutex> l(m_);
    Statement st(db_, "SELECT COUNT(*) FROM bodies");
    if (st.row()) n = static_cast<int>(st.integer(0));
  }
  if (DIR* d = ::opendir((dir_ + "/bodies").c_str())) {
    while (dirent* e = ::readdir(d))
      if (std::string(e->d_name) != "." && std::string(e->d_name) != "..") ++n;
    ::closedir(d);
  }
  return n;
}

void Store::exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    throw StoreError("outbox: " + msg);
  }
}

std::string Store::body_path(const std::string& uuid) const { return dir_ + "/bodies/" + uuid + ".json"; }

void Store::recover() {
  std::lock_guard<std::mutex> l(m_);
  {
    // A send MotCua 0.1.0 cut short (kill -9, power) left its dossier 'sending': waiting again,
    // as 0.1.0's own start made it, and its body kept below. Sent twice at worst, and the portal
    // takes a dossier once per uuid; left as it was, it was never sent and its body deleted.
    Statement st(db_, "UPDATE items SET state='waiting' WHERE state='sending'");
    st.run();
  }
  {
    // A send cut short left its item waiting (a send is recorded only with its outcome): due now.
    Statement st(db_, "UPDATE items SET next_attempt_at=0 WHERE state='waiting'");
    st.run();
    recovery_.pending = sqlite3_changes(db_);
  }
  std::set<std::string> keep, present;
  {
    Statement st(db_, "SELECT uuid FROM items WHERE state IN ('waiting','rejected')");
    while (st.row()) keep.insert(st.text(0));
  }
  {
    Statement st(db_, "DELETE FROM bodies WHERE uuid NOT IN (SELECT uuid FROM items WHERE state IN ('waiting','rejected'))");
    st.run();
    recovery_.leftovers_removed += sqlite3_changes(db_);
    Statement all(db_, "SELECT uuid FROM bodies");
    while (all.row()) present.insert(all.text(0));
  }
  // Outboxes from before kept bodies as files: keep those still needed, remove the rest.
  if (DIR* d = ::opendir((dir_ + "/bodies").c_str())) {
    while (dirent* e = ::readdir(d)) {
      std::string name = e->d_name;
      if (name == "." || name == "..") continue;
      bool body = name.size() > 5 && name.compare(name.size() - 5, 5, ".json") == 0;
      std::string uuid = body ? name.substr(0, name.size() - 5) : "";
      if (body && keep.count(uuid)) {
        present.insert(uuid);
        continue;
      }
      // Not committed (the citizen was never told "submitted"), half-written, or already sent.
      if (::unlink((dir_ + "/bodies/" + name).c_str()) == 0) ++recovery_.leftovers_removed;
    }
    ::closedir(d);
  }
  for (auto& uuid : keep) {
    if (present.count(uuid)) continue;
    Statement st(db_, "UPDATE items SET state='rejected', last_error='body missing from the kiosk disk' WHERE uuid=?");
    st.bind(1, uuid).run();
    ++recovery_.missing_bodies;
  }
}

std::string Store::reference_locked(const std::string& kiosk_id, const std::string& ymd) {
  std::string day;
  for (char c : ymd)
    if (c != '-') day += c;
  Statement st(db_,
               "INSERT INTO reference_sequence(day, last) VALUES(?, 1) "
               "ON CONFLICT(day) DO UPDATE SET last = last + 1 RETURNING last");
  st.bind(1, day);
  if (!st.row()) throw StoreError("outbox: no reference sequence");
  char seq[16];
  std::snprintf(seq, sizeof seq, "%04lld", static_cast<long long>(st.integer(0)));
  return kiosk_id + "-" + day + "-" + seq;
}

bool is_kiosk_reference(std::string_view code) {
  auto digits = [](std::string_view s) { return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos; };
  size_t last = code.rfind('-');
  if (last == std::string_view::npos || last < 10 || code.size() - last - 1 < 4 || !digits(code.substr(last + 1))) return false;
  size_t day = last - 9;  // "-YYYYMMDD" before the sequence, and a kiosk id before that
  return code[day] == '-' && day > 0 && digits(code.substr(day + 1, 8));
}

std::string Store::next_reference(const std::string& kiosk_id, const std::string& ymd) {
  writable();
  std::lock_guard<std::mutex> l(m_);
  std::string reference = reference_locked(kiosk_id, ymd);
  crash_point("enqueue:reference");
  return reference;
}

void Store::insert_locked(const Item& item, std::string_view body) {
  Statement st(db_, std::string("INSERT INTO items(") + kColumns + ") VALUES(?,?,?,?,'waiting',?,'','','','',0,?,0,0,0,?,?)");
  st.bind(1, item.uuid).bind(2, item.kind).bind(3, item.kiosk_reference).bind(4, item.procedure);
  st.bind(5, item.appointment_date).bind(6, item.created_at);
  st.bind(7, static_cast<std::int64_t>(item.papers_scanned)).bind(8, static_cast<std::int64_t>(item.papers_at_counter)).run();
  crash_point("enqueue:row-written");
  Statement b(db_, "INSERT INTO bodies(uuid, body) VALUES(?, ?)");
  b.bind(1, item.uuid);
  b.blob(2, body).run();
}

void Store::enqueue(const Item& item, std::string_view body) {
  writable();
  std::lock_guard<std::mutex> l(m_);
  Transaction tx(db_);
  insert_locked(item, body);
  tx.commit();  // the one fsync
  crash_point("enqueue:committed");
}

std::string Store::enqueue_new(Item item, const std::string& kiosk_id, const std::string& ymd,
                               const std::function<std::string(const std::string& reference)>& make_body) {
  writable();
  std::lock_guard<std::mutex> l(m_);
  Transaction tx(db_);
  item.kiosk_reference = reference_locked(kiosk_id, ymd);
  crash_point("enqueue:reference");
  std::string body = make_body(item.kiosk_reference);
  insert_locked(item, body);
  tx.commit();  // the one fsync: reference, row and body together
  crash_point("enqueue:committed");
  return item.kiosk_reference;
}

std::optional<Item> Store::next_due(std::int64_t now) {
  std::lock_guard<std::mutex> l(m_);
  Statement st(db_, "SELECT " + columns_ +
                        " FROM items WHERE state='waiting' AND next_attempt_at<=? ORDER BY created_at, rowid LIMIT 1");
  st.bind(1, now);
  if (!st.row()) return std::nullopt;
  return st.item();
}

std::vector<Item> Store::due(std::int64_t now, int limit) {
  std::lock_guard<std::mutex> l(m_);
  Statement st(db_, "SELECT " + columns_ +
                        " FROM items WHERE state='waiting' AND next_attempt_at<=? ORDER BY created_at, rowid LIMIT ?");
  st.bind(1, now).bind(2, static_cast<std::int64_t>(limit));
  std::vector<Item> out;
  while (st.row()) out.push_back(st.item());
  return out;
}

std::optional<std::int64_t> Store::next_attempt_at() {
  std::lock_guard<std::mutex> l(m_);
  Statement st(db_, "SELECT COUNT(*), MIN(next_attempt_at) FROM items WHERE state='waiting'");
  if (!st.row() || st.integer(0) == 0) return std::nullopt;
  return st.integer(1);
}

std::string Store::body(const std::string& uuid) {
  {
    std::lock_guard<std::mutex> l(m_);
    Statement st(db_, "SELECT body FROM bodies WHERE uuid=?");
    st.bind(1, uuid);
    if (st.row()) return st.bytes(0);
  }
  std::string path = body_path(uuid), out;  // an outbox from before bodies moved into the database
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw StoreError("outbox: body missing for " + uuid);
  char buf[65536];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  ::close(fd);
  return out;
}

void Store::mark_sent(const std::string& uuid, const std::string& code, const std::string& received_at,
                      const std::string& appointment, std::int64_t now) {
  writable();
  crash_point("send:answered");
  {
    std::lock_guard<std::mutex> l(m_);
    // Not fsynced: losing a "sent" to a power cut only sends the dossier again with its key, and
    // the portal answers with the first result. Only what the citizen was told waits on the disk.
    exec("PRAGMA synchronous=NORMAL");
    struct Full {
      Store* s;
      ~Full() { sqlite3_exec(s->db_, "PRAGMA synchronous=FULL", nullptr, nullptr, nullptr); }
    } full{this};
    Transaction tx(db_);
    Statement st(db_,
                 "UPDATE items SET state='sent', portal_code=?, portal_received_at=?, portal_appointment=?, "
                 "last_error='', sent_at=?, last_attempt_at=?, attempts=attempts+1 WHERE uuid=?");
    st.bind(1, code).bind(2, received_at).bind(3, appointment).bind(4, now).bind(5, now).bind(6, uuid).run();
    Statement gone(db_, "DELETE FROM bodies WHERE uuid=?");  // the portal has it; the kiosk keeps no copy
    gone.bind(1, uuid).run();
    tx.commit();
  }
  crash_point("send:marked-sent");
  ::unlink(body_path(uuid).c_str());  // an outbox from before bodies moved into the database
}

void Store::mark_retry(const std::string& uuid, const std::string& error, std::int64_t next_at, std::int64_t now) {
  writable();
  std::lock_guard<std::mutex> l(m_);
  Statement st(db_,
               "UPDATE items SET state='waiting', last_error=?, next_attempt_at=?, last_attempt_at=?, attempts=attempts+1 "
               "WHERE uuid=?");
  st.bind(1, error).bind(2, next_at).bind(3, now).bind(4, uuid).run();
}

void Store::make_due(std::int64_t min_gap) {
  writable();
  std::lock_guard<std::mutex> l(m_);
  Statement st(db_, "UPDATE items SET next_attempt_at=MIN(next_attempt_at, last_attempt_at + ?) WHERE state='waiting'");
  st.bind(1, min_gap).run();
}

void Store::mark_rejected(const std::string& uuid, const std::string& error) {
  writable();
  std::lock_guard<std::mutex> l(m_);
  Statement st(db_, "UPDATE items SET state='rejected', last_error=?, attempts=attempts+1 WHERE uuid=?");
  st.bind(1, error).bind(2, uuid).run();
}

void Store::pause(const std::string& reason) {
  writable();
  std::lock_guard<std::mutex> l(m_);
  Statement st(db_, "INSERT INTO settings(name, value) VALUES('paused', ?) ON CONFLICT(name) DO UPDATE SET value=excluded.value");
  st.bind(1, reason).run();
}

void Store::resume() {
  writable();
  std::lock_guard<std::mutex> l(m_);
  Statement(db_, "DELETE FROM settings WHERE name='paused'").run();
}

std::string Store::paused() {
  std::lock_guard<std::mutex> l(m_);
  Statement st(db_, "SELECT value FROM settings WHERE name='paused'");
  return st.row() ? st.text(0) : "";
}

int Store::retry_now(const std::string& uuid_or_reference) {
  writable();
  std::lock_guard<std::mutex> l(m_);
  if (uuid_or_reference.empty()) {
    Statement(db_, "UPDATE items SET next_attempt_at=0 WHERE state='waiting'").run();
  } else {
    Statement st(db_,
                 "UPDATE items SET state='waiting', next_attempt_at=0 WHERE state IN ('waiting','rejected') "
                 "AND (uuid=? OR kiosk_reference=?)");
    st.bind(1, uuid_or_reference).bind(2, uuid_or_reference).run();
  }
  int changed = sqlite3_changes(db_);
  Statement(db_, "DELETE FROM settings WHERE name='paused'").run();  // staff fixed the cause
  return changed;
}

void Store::make_all_due() {
  writable();
  std::lock_guard<std::mutex> l(m_);
  Statement(db_, "UPDATE items SET next_attempt_at=0 WHERE state='waiting'").run();
}

Summary Store::summary() {
  std::lock_guard<std::mutex> l(m_);
  Summary s;
  {
    Statement st(db_, "SELECT state, COUNT(*) FROM items GROUP BY state");
    while (st.row()) {
      std::string state = st.text(0);
      int n = static_cast<int>(st.integer(1));
      if (state == "waiting" || state == "sending") s.waiting += n;  // 'sending': see kStateOf010
      else if (state == "sent") s.sent = n;
      else if (state == "rejected") s.rejected = n;
    }
  }
  {
    Statement st(db_, "SELECT MIN(created_at) FROM items WHERE state IN ('waiting','sending')");
    if (st.row()) s.oldest_waiting_created_at = st.integer(0);
  }
  {
    Statement st(db_, "SELECT MAX(sent_at) FROM items WHERE state='sent'");
    if (st.row()) s.last_sent_at = st.integer(0);
  }
  {
    Statement st(db_, "SELECT last_error FROM items WHERE last_error<>'' AND state<>'sent' ORDER BY next_attempt_at DESC LIMIT 1");
    if (st.row()) s.last_error = st.text(0);
  }
  {
    Statement st(db_, "SELECT value FROM settings WHERE name='paused'");
    if (st.row()) s.paused = st.text(0);
  }
  return s;
}

std::vector<Item> Store::list(int limit) {
  std::lock_guard<std::mutex> l(m_);
  Statement st(db_, "SELECT " + columns_ + " FROM items ORDER BY created_at, rowid LIMIT ?");
  st.bind(1, static_cast<std::int64_t>(limit));
  std::vector<Item> out;
  while (st.row()) out.push_back(st.item());
  return out;
}

std::vector<Item> Store::dossiers_since(std::int64_t since, int limit) {
  std::lock_guard<std::mutex> l(m_);
  Statement st(db_, "SELECT " + columns_ +
                        " FROM items WHERE kind='dossier' AND created_at>=? ORDER BY created_at DESC, rowid DESC LIMIT ?");
  st.bind(1, since).bind(2, static_cast<std::int64_t>(limit));
  std::vector<Item> out;
  while (st.row()) out.push_back(st.item());
  return out;
}

std::optional<Item> Store::find(const std::string& key) {
  std::lock_guard<std::mutex> l(m_);
  Statement st(db_, "SELECT " + columns_ + " FROM items WHERE uuid=? OR kiosk_reference=? OR portal_code=? LIMIT 1");
  st.bind(1, key).bind(2, key).bind(3, key);
  if (!st.row()) return std::nullopt;
  return st.item();
}

}  // namespace motcua::outbox
