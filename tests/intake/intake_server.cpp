#include "tests/intake/intake_server.h"

#include <httplib.h>
#include <sqlite3.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <optional>
#include <set>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include "terminal/services/outbox/envelope.h"
#include "terminal/core/input.h"
#include "terminal/core/working_days.h"

namespace motcua::intake {

using nlohmann::json;

namespace {

constexpr const char* kSchema = R"(
CREATE TABLE IF NOT EXISTS dossiers(
  idempotency_key TEXT NOT NULL UNIQUE,
  dossier_code TEXT NOT NULL UNIQUE,
  kiosk_id TEXT NOT NULL,
  kiosk_reference TEXT NOT NULL,
  procedure_code TEXT NOT NULL,
  body_sha256 TEXT NOT NULL,
  envelope TEXT NOT NULL,
  received_at TEXT NOT NULL,
  appointment_at TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'received',
  reason TEXT NOT NULL DEFAULT '',
  new_appointment_at TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS dossiers_reference ON dossiers(kiosk_reference);
CREATE TABLE IF NOT EXISTS evaluations(
  idempotency_key TEXT NOT NULL UNIQUE,
  dossier_code TEXT NOT NULL UNIQUE,
  kiosk_id TEXT NOT NULL,
  body TEXT NOT NULL,
  received_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS code_sequence(day TEXT PRIMARY KEY, last INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS deliveries(idempotency_key TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents(
  idempotency_key TEXT NOT NULL,
  document_id TEXT NOT NULL,
  pages INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  at_counter INTEGER NOT NULL,
  UNIQUE(idempotency_key, document_id)
);
)";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot open file");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool looks_like_uuid(const std::string& s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

// One scanned paper of a dossier, as checked: the clear list and the sealed PDF agree.
struct DocumentRow {
  std::string id, sha256;
  long pages = 0, bytes = 0;
  bool at_counter = false;
};

// Pages of a PDF as its page objects count them ("/Type /Page", not "/Pages").
long pdf_pages(const std::string& pdf) {
  long n = 0;
  for (size_t at = pdf.find("/Type"); at != std::string::npos; at = pdf.find("/Type", at + 5)) {
    size_t v = pdf.find_first_not_of(" \r\n", at + 5);
    if (v != std::string::npos && pdf.compare(v, 5, "/Page") == 0 && (v + 5 >= pdf.size() || pdf[v + 5] != 's')) ++n;
  }
  return n;
}

// The body's clear "documents" against the sealed dossier's: the same ids, each sealed PDF whole
// (its SHA-256), a PDF, with the pages and bytes the clear list says. Empty when they agree.
std::string check_documents(const json& clear, const json& sealed, std::vector<DocumentRow>& rows) {
  if (clear.is_null() && sealed.is_null()) return "";
  if (!clear.is_array() || clear.size() > 100) return "\"documents\" must be an array of at most 100";
  if (!sealed.is_null() && (!sealed.is_array() || sealed.size() > 100)) return "the sealed \"documents\" must be an array";
  std::set<std::string> ids;
  for (const json& c : clear) {
    if (!c.is_object() || !c.value("id", json()).is_string() || !c.value("pages", json()).is_number_integer())
      return "each document is {id, pages, ...}";
    DocumentRow r;
    r.id = c["id"].get<std::string>();
    r.pages = c["pages"].get<long>();
    r.at_counter = c.value("atCounter", false) == true;
    if (r.id.empty() || r.id.size() > 128 || !ids.insert(r.id).second) return "document ids must be distinct, 1-128 bytes";
    if (r.at_counter) {
      if (r.pages != 0) return "document " + r.id + ": brought to the counter, yet " + std::to_string(r.pages) + " pages";
      rows.push_back(r);
      continue;
    }
    const json* found = nullptr;
    if (sealed.is_array())
      for (const json& d : sealed)
        if (d.is_object() && d.value("id", json()) == r.id) found = &d;
    if (!found) return "document " + r.id + ": listed but not in the sealed dossier";
    const json& d = *found;
    if (d.value("mediaType", json()) != "application/pdf" || !d.value("content", json()).is_string() ||
        !d.value("sha256", json()).is_string())
      return "document " + r.id + ": expected {mediaType: application/pdf, sha256, content}";
    std::string pdf;
    try {
      pdf = outbox::unbase64(d["content"].get<std::string>());
    } catch (const outbox::EnvelopeError&) {
      return "document " + r.id + ": content is not base64";
    }
    r.sha256 = outbox::sha256_hex(pdf);
    r.bytes = static_cast<long>(pdf.size());
    long pages = pdf_pages(pdf);
    bool is_pdf = pdf.rfind("%PDF-", 0) == 0;
    OPENSSL_cleanse(pdf.data(), pdf.size());
    if (r.sha256 != d["sha256"].get<std::string>()) return "document " + r.id + ": SHA-256 does not match its content";
    if (!is_pdf) return "document " + r.id + ": not a PDF";
    if (pages != r.pages || d.value("pages", json()) != r.pages)
      return "document " + r.id + ": " + std::to_string(pages) + " pages in the PDF, " + std::to_string(r.pages) + " listed";
    if (c.value("bytes", json()) != r.bytes) return "document " + r.id + ": size differs from the listed bytes";
    rows.push_back(r);
  }
  if (sealed.is_array())
    for (const json& d : sealed)
      if (!d.is_object() || !d.value("id", json()).is_string() || !ids.count(d["id"].get<std::string>()))
        return "a sealed document is not listed in \"documents\"";
  return "";
}

// A prepared statement on the server's one connection.
struct Stmt {
  sqlite3_stmt* st = nullptr;
  Stmt(sqlite3* db, const char* sql) {
    if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) throw std::runtime_error(sqlite3_errmsg(db));
  }
  ~Stmt() { sqlite3_finalize(st); }
  Stmt& bind(int i, const std::string& v) {
    sqlite3_bind_text(st, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  int step() { return sqlite3_step(st); }
  std::string text(int i) const {
    auto p = sqlite3_column_text(st, i);
    return p ? reinterpret_cast<const char*>(p) : "";
  }
};

// Group commit, as a busy portal's database does it: commits go to the write-ahead log without
// an fsync each (synchronous=NORMAL), and no answer leaves before one fdatasync of the log has
// covered its commit. Whoever finds no fsync running starts one for every commit made so far;
// the others wait for it. Kiosks posting several dossiers at once share fsyncs instead of
// queueing for one each; a dossier is still on the disk before its 201 is written.
class GroupCommit {
 public:
  explicit GroupCommit(std::string wal_path) : wal_path_(std::move(wal_path)) {}
  ~GroupCommit() {
    if (fd_ >= 0) ::close(fd_);
  }
  void committed() { commits_.fetch_add(1); }  // after each COMMIT, before the answer
  // Returns once every commit made before the call is on the disk.
  void durable() {
    std::uint64_t mine = commits_.load();
    std::unique_lock<std::mutex> l(m_);
    while (synced_ < mine) {
      if (syncing_) {
        cv_.wait(l);
        continue;
      }
      syncing_ = true;
      std::uint64_t target = commits_.load();
      l.unlock();
      if (fd_ < 0) fd_ = ::open(wal_path_.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd_ < 0 || ::fdatasync(fd_) != 0) std::fprintf(stderr, "motcua-intake: cannot fsync %s\n", wal_path_.c_str());
      l.lock();
      synced_ = std::max(synced_, target);
      syncing_ = false;
      cv_.notify_all();
    }
  }

 private:
  std::string wal_path_;
  int fd_ = -1;  // touched only by the one syncing
  std::atomic<std::uint64_t> commits_{0};
  std::mutex m_;
  std::condition_variable cv_;
  std::uint64_t synced_ = 0;
  bool syncing_ = false;
};

// The delivery log and the dossier commit together, whatever the answer; made durable by
// GroupCommit before the answer leaves.
struct Transaction {
  sqlite3* db;
  GroupCommit& group;
  Transaction(sqlite3* d, GroupCommit& g) : db(d), group(g) { sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr); }
  ~Transaction() {
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    group.committed();
  }
};

sqlite3* open_db(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr) != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    throw std::runtime_error(path + ": " + msg);
  }
  sqlite3_busy_timeout(db, 5000);
  char* err = nullptr;
  std::string setup = std::string("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;") + kSchema;  // GroupCommit syncs
  if (sqlite3_exec(db, setup.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "?";
    sqlite3_free(err);
    sqlite3_close(db);
    throw std::runtime_error(path + ": " + msg);
  }
  return db;
}

}  // namespace

Fault Fault::parse(const std::string& spec) {
  auto number = [&](const std::string& text) {
    size_t used = 0;
    int n = -1;
    try {
      n = std::stoi(text, &used);
    } catch (const std::exception&) {
    }
    if (n < 0 || used != text.size()) throw std::invalid_argument("fault \"" + spec + "\": \"" + text + "\" is not a whole number");
    return n;
  };
  Fault f;
  std::string s = spec;
  if (auto colon = s.rfind(':'); colon != std::string::npos) {
    f.count = number(s.substr(colon + 1));
    s = s.substr(0, colon);
  }
  std::string name = s.substr(0, s.find('=')), value = s.find('=') == std::string::npos ? "" : s.substr(s.find('=') + 1);
  if (name == "none") f.kind = Kind::None;
  else if (name == "delay") f.kind = Kind::Delay, f.millis = number(value);
  else if (name == "drop") f.kind = Kind::DropAfterBody;
  else if (name == "status") f.kind = Kind::Status, f.status = number(value);
  else if (name == "captive") f.kind = Kind::CaptivePortal;
  else if (name == "trickle") f.kind = Kind::Trickle, f.millis = value.empty() ? 200 : number(value);
  else if (name == "double") f.kind = Kind::Double;
  else if (name == "stale") f.kind = Kind::Stale;
  else if (name == "truncate") f.kind = Kind::Truncate;
  else throw std::invalid_argument("unknown fault \"" + spec + "\" (delay=MS, drop, status=CODE, captive, trickle=MS, double, stale, truncate, each with optional :COUNT)");
  return f;
}

struct IntakeServer::Impl {
  IntakeConfig config;
  std::string envelope_key;
  WorkingCalendar calendar;
  sqlite3* db = nullptr;
  std::mutex db_mutex;  // one writer at a time: the UNIQUE check and the insert stay together
  GroupCommit group_commit{config.db_path + "-wal"};
  httplib::SSLServer server;
  std::thread thread;
  std::mutex fault_mutex;
  Fault fault;
  std::atomic<long> requests{0}, dossiers{0}, duplicates{0}, evaluations{0};
  std::mutex paths_mutex;
  std::map<std::string, long> paths;
  std::string last_answer;  // the previous dossier answer's body, for the "stale" fault

  explicit Impl(IntakeConfig c)
      : config(std::move(c)), server(config.tls_cert.c_str(), config.tls_key.c_str()) {
    if (!server.is_valid()) throw std::runtime_error(config.tls_cert + ", " + config.tls_key + ": not a usable TLS certificate and key");
    envelope_key = read_file(config.envelope_private_key);
    if (!config.holidays_file.empty()) calendar = WorkingCalendar::load(config.holidays_file);
    db = open_db(config.db_path);
    routes();
  }
  ~Impl() { sqlite3_close(db); }

  std::optional<Fault> take_fault() {
    std::lock_guard<std::mutex> l(fault_mutex);
    if (fault.kind == Fault::Kind::None || fault.count == 0) return std::nullopt;
    if (fault.count > 0) --fault.count;
    return fault;
  }

  static void reply(httplib::Response& res, int status, const json& body) {
    res.status = status;
    res.set_header("MotCua-Protocol", "1");
    res.set_content(body.dump(), "application/json");
  }
  static void error(httplib::Response& res, int status, const std::string& code, const std::string& message) {
    reply(res, status, {{"error", code}, {"message", message}});
  }

  // The kiosk named in MotCua-Kiosk, if its bearer token matches; unknown kiosks are refused.
  std::optional<std::string> kiosk_of(const httplib::Request& req) {
    std::string id = req.get_header_value("MotCua-Kiosk"), auth = req.get_header_value("Authorization");
    auto it = config.kiosks.find(id);
    if (it == config.kiosks.end() || auth != "Bearer " + it->second) return std::nullopt;
    return id;
  }

  // Applies an injected fault. True when the fault already answered the request.
  bool misbehave(const std::optional<Fault>& f, httplib::Response& res) {
    if (!f) return false;
    switch (f->kind) {
      case Fault::Kind::Delay: std::this_thread::sleep_for(std::chrono::milliseconds(f->millis)); return false;
      case Fault::Kind::Status: error(res, f->status, "injected", "fault injected by the test server"); return true;
      case Fault::Kind::CaptivePortal:
        res.status = 200;
        res.set_content("<html><body>Welcome to Free WiFi. Please log in.</body></html>", "text/html");
        return true;
      case Fault::Kind::Answer:
        std::this_thread::sleep_for(std::chrono::milliseconds(f->millis));  // a slow gateway's answer
        res.status = f->status;
        for (auto& [k, v] : f->headers) res.set_header(k, v);
        res.set_header("MotCua-Protocol", "1");
        res.set_content(f->body, "application/json");
        return true;
      default: return false;  // drop and trickle act on the answer, after the work is done
    }
  }

  // Drop: the answer's headers go out, then the connection is cut. Trickle: one byte at a time.
  // Double: a second copy of the whole answer follows on the connection. Stale: the previous
  // dossier's answer instead of this one's. Truncate: half the body, announced as the whole.
  void deliver(const std::optional<Fault>& f, httplib::Response& res) {
    std::string answered = res.body;
    if (f && f->kind == Fault::Kind::Stale && !last_answer.empty()) res.set_content(last_answer, "application/json");
    last_answer = answered;
    if (f && f->kind == Fault::Kind::Truncate) res.set_content(answered.substr(0, answered.size() / 2), "application/json");
    if (f && f->kind == Fault::Kind::Double) {
      auto body = std::make_shared<std::string>(res.body);
      std::string copy = "HTTP/1.1 " + std::to_string(res.status) + " OK\r\nMotCua-Protocol: 1\r\n";
      if (res.has_header("Idempotent-Replayed")) copy += "Idempotent-Replayed: true\r\n";
      copy += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body->size()) + "\r\n\r\n" + *body;
      auto extra = std::make_shared<std::string>(copy);
      res.body.clear();
      // The provider announces one body and writes both; the copy comes a moment later, once the
      // client has read the first, so it waits on the socket for the client's next request.
      res.set_content_provider(body->size(), "application/json", [body, extra](size_t offset, size_t, httplib::DataSink& sink) {
        if (offset != 0) return true;
        if (!sink.write(body->data(), body->size())) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
        sink.write(extra->data(), extra->size());
        return true;
      });
      return;
    }
    if (!f || (f->kind != Fault::Kind::DropAfterBody && f->kind != Fault::Kind::Trickle)) return;
    auto body = std::make_shared<std::string>(res.body);
    res.body.clear();
    if (f->kind == Fault::Kind::DropAfterBody) {
      res.set_content_provider(body->size(), "application/json",
                               [](size_t, size_t, httplib::DataSink&) { return false; });
      return;
    }
    int ms = f->millis;
    res.set_content_provider(body->size(), "application/json", [body, ms](size_t offset, size_t, httplib::DataSink& sink) {
      std::this_thread::sleep_for(std::chrono::milliseconds(ms));
      return sink.write(body->data() + offset, 1);
    });
  }

  std::string next_code() {
    std::string day = local_time("%y%m%d");
    Stmt st(db, "INSERT INTO code_sequence(day, last) VALUES(?, 1) ON CONFLICT(day) DO UPDATE SET last=last+1 RETURNING last");
    st.bind(1, day);
    if (st.step() != SQLITE_ROW) throw std::runtime_error(sqlite3_errmsg(db));
    char seq[16];
    std::snprintf(seq, sizeof seq, "%04lld", static_cast<long long>(sqlite3_column_int64(st.st, 0)));
    return config.agency_code + "-" + day + "-" + seq;
  }

  static json dossier_json(const Stmt& st) {
    // columns: dossier_code, kiosk_reference, received_at, appointment_at, status, reason, new_appointment_at, procedure_code
    json j = {{"dossierCode", st.text(0)}, {"kioskReference", st.text(1)}, {"receivedAt", st.text(2)},
              {"appointmentAt", st.text(3)}, {"status", st.text(4)}, {"procedureCode", st.text(7)}};
    if (!st.text(5).empty()) j["reason"] = st.text(5);
    if (!st.text(6).empty()) j["newAppointmentAt"] = st.text(6);
    return j;
  }

  // Every answer that follows a write waits for the write to be on the disk.
  // (When this request wrote nothing, durable() returns at once or waits for others' fsync.)
  void submit_dossier(const httplib::Request& req, httplib::Response& res) {
    write_dossier(req, res);
    group_commit.durable();
  }

  void write_dossier(const httplib::Request& req, httplib::Response& res) {
    auto fault = take_fault();
    if (misbehave(fault, res)) return;
    auto kiosk = kiosk_of(req);
    if (!kiosk) return error(res, 401, "unknown-kiosk", "this kiosk is not registered or its token is wrong");
    if (req.body.size() > config.max_body_bytes) return error(res, 413, "too-large", "the dossier exceeds the size limit");
    std::string key = req.get_header_value("Idempotency-Key");
    if (!looks_like_uuid(key)) return error(res, 400, "idempotency-key", "Idempotency-Key must be the dossier UUID");
    json body = json::parse(req.body, nullptr, false);
    if (!body.is_object() || !body.contains("envelope") || !body.value("kioskReference", json()).is_string() ||
        !body.value("procedureCode", json()).is_string())
      return error(res, 400, "bad-request", "expected {kioskReference, procedureCode, envelope, ...}");
    if (body.value("kioskId", "") != *kiosk) return error(res, 400, "kiosk-mismatch", "kioskId differs from the authenticated kiosk");
    std::vector<DocumentRow> documents;
    try {
      std::string plain = outbox::open(body["envelope"], envelope_key, key);
      json dossier = json::parse(plain, nullptr, false);
      OPENSSL_cleanse(plain.data(), plain.size());
      if (!dossier.is_object() || dossier.value("dossierId", "") != key)
        return error(res, 422, "envelope", "the sealed dossier does not belong to this Idempotency-Key");
      std::string wrong = check_documents(body.value("documents", json()), dossier.value("documents", json()), documents);
      if (!wrong.empty()) return error(res, 422, "documents", wrong);
    } catch (const outbox::EnvelopeError& e) {
      return error(res, 422, "envelope", e.what());
    }
    std::string digest = outbox::sha256_hex(req.body);
    std::lock_guard<std::mutex> l(db_mutex);
    Transaction tx(db, group_commit);
    Stmt(db, "INSERT INTO deliveries VALUES(?)").bind(1, key).step();
    {
      Stmt st(db,
              "SELECT dossier_code, kiosk_reference, received_at, appointment_at, status, reason, new_appointment_at, "
              "procedure_code, body_sha256 FROM dossiers WHERE idempotency_key=?");
      st.bind(1, key);
      if (st.step() == SQLITE_ROW) {
        if (st.text(8) != digest)
          return error(res, 422, "idempotency-key-reused", "this Idempotency-Key was used for a different dossier");
        ++duplicates;
        res.set_header("Idempotent-Replayed", "true");
        reply(res, 200, dossier_json(st));
        deliver(fault, res);
        return;
      }
    }
    std::string code = next_code(), received = iso_local_time();
    std::string appointment = calendar.add_working_days(local_time("%Y-%m-%d"), body.value("processingDays", 0));
    Stmt ins(db,
             "INSERT INTO dossiers(idempotency_key, dossier_code, kiosk_id, kiosk_reference, procedure_code, body_sha256, "
             "envelope, received_at, appointment_at) VALUES(?,?,?,?,?,?,?,?,?)");
    ins.bind(1, key).bind(2, code).bind(3, *kiosk).bind(4, body["kioskReference"].get<std::string>());
    ins.bind(5, body["procedureCode"].get<std::string>()).bind(6, digest).bind(7, body["envelope"].dump());
    ins.bind(8, received).bind(9, appointment);
    if (ins.step() != SQLITE_DONE) return error(res, 503, "storage", sqlite3_errmsg(db));
    for (const DocumentRow& d : documents) {
      Stmt doc(db, "INSERT INTO documents VALUES(?,?,?,?,?,?)");
      doc.bind(1, key).bind(2, d.id).bind(3, std::to_string(d.pages)).bind(4, std::to_string(d.bytes)).bind(5, d.sha256);
      doc.bind(6, d.at_counter ? "1" : "0");
      if (doc.step() != SQLITE_DONE) return error(res, 503, "storage", sqlite3_errmsg(db));
    }
    ++dossiers;
    reply(res, 201, {{"dossierCode", code}, {"kioskReference", body["kioskReference"]}, {"receivedAt", received},
                     {"appointmentAt", appointment}, {"status", "received"}});
    deliver(fault, res);
  }

  void dossier_status(const httplib::Request& req, httplib::Response& res) {
    auto fault = take_fault();
    if (misbehave(fault, res)) return;
    if (!kiosk_of(req)) return error(res, 401, "unknown-kiosk", "this kiosk is not registered or its token is wrong");
    std::lock_guard<std::mutex> l(db_mutex);
    Stmt st(db,
            "SELECT dossier_code, kiosk_reference, received_at, appointment_at, status, reason, new_appointment_at, "
            "procedure_code FROM dossiers WHERE dossier_code=? OR kiosk_reference=? LIMIT 1");
    std::string code = req.matches[1];
    st.bind(1, code).bind(2, code);
    if (st.step() != SQLITE_ROW) return error(res, 404, "not-found", "no dossier with this code");
    reply(res, 200, dossier_json(st));
  }

  void submit_evaluation(const httplib::Request& req, httplib::Response& res) {
    auto fault = take_fault();
    if (misbehave(fault, res)) return;
    auto kiosk = kiosk_of(req);
    if (!kiosk) return error(res, 401, "unknown-kiosk", "this kiosk is not registered or its token is wrong");
    std::string key = req.get_header_value("Idempotency-Key");
    json body = json::parse(req.body, nullptr, false);
    if (key.empty() || !body.is_object() || !body.value("dossierCode", json()).is_string())
      return error(res, 400, "bad-request", "expected an Idempotency-Key and {dossierCode, ...}");
    std::lock_guard<std::mutex> l(db_mutex);
    {
      Stmt st(db, "SELECT idempotency_key, received_at FROM evaluations WHERE dossier_code=?");
      st.bind(1, body["dossierCode"].get<std::string>());
      if (st.step() == SQLITE_ROW) {
        if (st.text(0) != key) return error(res, 409, "already-evaluated", "this dossier already has an evaluation");
        res.set_header("Idempotent-Replayed", "true");
        return reply(res, 200, {{"dossierCode", body["dossierCode"]}, {"receivedAt", st.text(1)}});
      }
    }
    std::string received = iso_local_time();
    Stmt ins(db, "INSERT INTO evaluations VALUES(?,?,?,?,?)");
    ins.bind(1, key).bind(2, body["dossierCode"].get<std::string>()).bind(3, *kiosk).bind(4, req.body).bind(5, received);
    if (ins.step() != SQLITE_DONE) return error(res, 503, "storage", sqlite3_errmsg(db));
    group_commit.committed();
    ++evaluations;
    reply(res, 201, {{"dossierCode", body["dossierCode"]}, {"receivedAt", received}});
  }

  // The catalog index: every *.json of the catalog folder with its sha256 and detached signature.
  void catalog_index(const httplib::Request& req, httplib::Response& res) {
    auto fault = take_fault();
    if (misbehave(fault, res)) return;
    if (!kiosk_of(req)) return error(res, 401, "unknown-kiosk", "this kiosk is not registered or its token is wrong");
    if (config.catalog_dir.empty()) return error(res, 404, "no-catalog", "this server publishes no catalog");
    json files = json::array();
    std::vector<std::string> names;
    for (auto& e : std::filesystem::directory_iterator(config.catalog_dir))
      if (e.path().extension() == ".json") names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    for (auto& name : names) {
      std::string bytes = read_file(config.catalog_dir + "/" + name), sig;
      try {
        sig = read_file(config.catalog_dir + "/" + name + ".sig");
      } catch (...) {
      }
      while (!sig.empty() && std::isspace(static_cast<unsigned char>(sig.back()))) sig.pop_back();
      files.push_back({{"name", name}, {"sha256", outbox::sha256_hex(bytes)}, {"size", bytes.size()}, {"signature", sig},
                       {"href", "/v1/catalog/files/" + name}});
    }
    json index = {{"files", files}};
    std::string digest = outbox::sha256_hex(index.dump());
    index["version"] = digest.substr(0, 16);
    std::string etag = '"' + digest.substr(0, 32) + '"';
    if (req.get_header_value("If-None-Match") == etag) {
      res.status = 304;
      res.set_header("MotCua-Protocol", "1");
      res.set_header("ETag", etag);
      return;
    }
    res.set_header("ETag", etag);
    reply(res, 200, index);
  }

  void catalog_file(const httplib::Request& req, httplib::Response& res) {
    if (!kiosk_of(req)) return error(res, 401, "unknown-kiosk", "this kiosk is not registered or its token is wrong");
    std::string name = req.matches[1];
    if (config.catalog_dir.empty() || name.find('/') != std::string::npos || name.find("..") != std::string::npos)
      return error(res, 404, "not-found", "no such catalog file");
    try {
      std::string bytes = read_file(config.catalog_dir + "/" + name);
      res.status = 200;
      res.set_header("MotCua-Protocol", "1");
      res.set_content(bytes, "application/json");
    } catch (...) {
      error(res, 404, "not-found", "no such catalog file");
    }
  }

  void routes() {
    server.set_payload_max_length(config.max_body_bytes);
    // Errors raised by the HTTP layer itself (413 over the limit, 404 no route) still speak the protocol.
    server.set_error_handler([](const httplib::Request&, httplib::Response& res) {
      if (res.body.empty()) {
        const char* code = res.status == 413 ? "too-large" : res.status == 404 ? "not-found" : "http";
        error(res, res.status, code, "refused by the server");
      }
      res.set_header("MotCua-Protocol", "1");
    });
    server.set_keep_alive_max_count(1000);
    server.set_tcp_nodelay(true);  // without it every answer waits out a 40 ms delayed ACK
    server.Get("/v1/health", [this](const httplib::Request&, httplib::Response& res) {
      ++requests;
      auto fault = take_fault();
      if (misbehave(fault, res)) return;
      reply(res, 200, {{"status", "ok"}, {"protocol", 1}, {"time", iso_local_time()}});
    });
    server.set_pre_routing_handler([this](const httplib::Request& q, httplib::Response&) {
      std::lock_guard<std::mutex> l(paths_mutex);
      ++paths[q.method + " " + (q.path.rfind("/v1/dossiers/", 0) == 0 ? std::string("/v1/dossiers/{code}") : q.path)];
      return httplib::Server::HandlerResponse::Unhandled;
    });
    server.Post("/v1/dossiers", [this](const httplib::Request& q, httplib::Response& r) { ++requests; submit_dossier(q, r); });
    server.Get(R"(/v1/dossiers/([^/]+))", [this](const httplib::Request& q, httplib::Response& r) { ++requests; dossier_status(q, r); });
    server.Post("/v1/evaluations", [this](const httplib::Request& q, httplib::Response& r) {
      ++requests;
      submit_evaluation(q, r);
      group_commit.durable();
    });
    server.Get("/v1/catalog", [this](const httplib::Request& q, httplib::Response& r) { ++requests; catalog_index(q, r); });
    server.Get(R"(/v1/catalog/files/([^/]+))", [this](const httplib::Request& q, httplib::Response& r) { ++requests; catalog_file(q, r); });
  }
};

IntakeServer::IntakeServer(IntakeConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {}

IntakeServer::~IntakeServer() { stop(); }

int IntakeServer::start() {
  auto& c = impl_->config;
  port_ = c.port ? (impl_->server.bind_to_port(c.host, c.port) ? c.port : -1) : impl_->server.bind_to_any_port(c.host);
  if (port_ <= 0) throw std::runtime_error("cannot listen on " + c.host + ":" + std::to_string(c.port));
  impl_->thread = std::thread([this] { impl_->server.listen_after_bind(); });
  while (!impl_->server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return port_;
}

void IntakeServer::stop() {
  if (!impl_ || !impl_->thread.joinable()) return;
  impl_->server.stop();
  impl_->thread.join();
}

void IntakeServer::set_fault(Fault f) {
  std::lock_guard<std::mutex> l(impl_->fault_mutex);
  impl_->fault = f;
}

IntakeStats IntakeServer::stats() const {
  return {impl_->requests.load(), impl_->dossiers.load(), impl_->duplicates.load(), impl_->evaluations.load()};
}

std::map<std::string, int> IntakeServer::stored_keys() {
  std::lock_guard<std::mutex> l(impl_->db_mutex);
  std::map<std::string, int> out;
  Stmt st(impl_->db, "SELECT idempotency_key, COUNT(*) FROM dossiers GROUP BY idempotency_key");
  while (st.step() == SQLITE_ROW) out[st.text(0)] = sqlite3_column_int(st.st, 1);
  return out;
}

std::map<std::string, std::map<std::string, std::pair<int, std::string>>> IntakeServer::stored_documents() {
  std::lock_guard<std::mutex> l(impl_->db_mutex);
  std::map<std::string, std::map<std::string, std::pair<int, std::string>>> out;
  Stmt st(impl_->db, "SELECT idempotency_key, document_id, pages, sha256, at_counter FROM documents");
  while (st.step() == SQLITE_ROW)
    out[st.text(0)][st.text(1)] = {sqlite3_column_int(st.st, 2), sqlite3_column_int(st.st, 4) ? "counter" : st.text(3)};
  return out;
}

std::map<std::string, int> IntakeServer::delivery_counts() {
  std::lock_guard<std::mutex> l(impl_->db_mutex);
  std::map<std::string, int> out;
  Stmt st(impl_->db, "SELECT idempotency_key, COUNT(*) FROM deliveries GROUP BY idempotency_key");
  while (st.step() == SQLITE_ROW) out[st.text(0)] = sqlite3_column_int(st.st, 1);
  return out;
}

std::map<std::string, std::string> IntakeServer::stored_codes() {
  std::lock_guard<std::mutex> l(impl_->db_mutex);
  std::map<std::string, std::string> out;
  Stmt st(impl_->db, "SELECT idempotency_key, dossier_code FROM dossiers");
  while (st.step() == SQLITE_ROW) out[st.text(0)] = st.text(1);
  return out;
}

std::map<std::string, long> IntakeServer::requests_by_path() {
  std::lock_guard<std::mutex> l(impl_->paths_mutex);
  return impl_->paths;
}

void IntakeServer::set_status(const std::string& db_path, const std::string& code, const std::string& status,
                              const std::string& reason, const std::string& new_appointment) {
  static const std::set<std::string> known = {"received", "processing", "needs-documents", "done", "overdue"};
  if (!known.count(status))
    throw std::invalid_argument("status \"" + status + "\": expected received, processing, needs-documents, done or overdue");
  sqlite3* db = open_db(db_path);
  Stmt st(db, "UPDATE dossiers SET status=?, reason=?, new_appointment_at=? WHERE dossier_code=? OR kiosk_reference=?");
  st.bind(1, status).bind(2, reason).bind(3, new_appointment).bind(4, code).bind(5, code);
  int rc = st.step();
  int changed = sqlite3_changes(db);
  sqlite3_finalize(st.st);
  st.st = nullptr;
  sqlite3_close(db);
  if (rc != SQLITE_DONE || changed == 0) throw std::invalid_argument("no dossier " + code);
}

}  // namespace motcua::intake
