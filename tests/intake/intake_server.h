// The reference intake server: what a province's gateway implements (docs/api.md), small
// enough to read in one sitting. HTTPS (cpp-httplib + OpenSSL), SQLite with the idempotency
// guarantee enforced by a UNIQUE constraint, per-kiosk bearer tokens, and fault injection so
// the kiosk's outbox can be tested against every way a real portal fails.
#pragma once
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

struct sqlite3;
namespace httplib { class Server; }

namespace motcua::intake {

struct IntakeConfig {
  std::string db_path = "intake.sqlite";
  std::string tls_cert, tls_key;          // PEM files
  std::string envelope_private_key;       // PEM file: opens the kiosks' sealed dossiers
  std::map<std::string, std::string> kiosks;  // kiosk id -> its bearer token
  std::string catalog_dir;                // signed form packages to serve; empty: no catalog
  std::string holidays_file;              // working-day calendar for appointments; empty: weekends only
  std::string agency_code = "000.00.00.H00";  // prefix of dossier codes, as the province's one-stop system numbers them
  std::string host = "127.0.0.1";
  int port = 0;                           // 0: any free port
  size_t max_body_bytes = 16 * 1024 * 1024;  // a dossier with 6 MiB of scanned papers, base64 twice
};

// One way to misbehave, for the next `count` matching requests (-1: until changed).
// Double, Stale and Truncate store the dossier and then garble the answer the way broken proxies
// and gateways do; Answer replies with exactly `status`, `headers` and `body` and stores nothing.
struct Fault {
  enum class Kind { None, Delay, DropAfterBody, Status, CaptivePortal, Trickle, Double, Stale, Truncate, Answer } kind = Kind::None;
  int status = 500;   // Status, Answer
  int millis = 0;     // Delay and Answer: before answering; Trickle: between bytes
  int count = -1;
  std::string body;                            // Answer
  std::map<std::string, std::string> headers;  // Answer (MotCua-Protocol: 1 is always added)
  // Parses "delay=MS", "drop", "status=CODE", "captive", "trickle=MS", "double" (the answer is
  // written twice on the kept-alive connection), "stale" (the previous dossier's answer instead
  // of this one's), "truncate" (half the body, with a matching Content-Length), each optionally ":N" times.
  static Fault parse(const std::string& spec);
};

struct IntakeStats {
  long requests = 0, dossiers = 0, duplicates = 0, evaluations = 0;
};

class IntakeServer {
 public:
  explicit IntakeServer(IntakeConfig config);  // throws std::runtime_error when a file is unusable
  ~IntakeServer();

  int start();  // binds, serves on a thread; returns the port
  void stop();
  void set_fault(Fault f);
  IntakeStats stats() const;
  std::string url() const { return "https://127.0.0.1:" + std::to_string(port_); }

  // What the back office does later: move a dossier on (received, processing, needs-documents, done, overdue).
  static void set_status(const std::string& db_path, const std::string& code, const std::string& status,
                         const std::string& reason, const std::string& new_appointment);
  // Dossier deliveries per idempotency key (for tests: proves "exactly once").
  std::map<std::string, int> stored_keys();
  // Scanned papers stored per idempotency key: document id -> {pages, SHA-256 of its PDF or "counter"}.
  std::map<std::string, std::map<std::string, std::pair<int, std::string>>> stored_documents();
  // POSTs that reached the handler per idempotency key, duplicates included.
  std::map<std::string, int> delivery_counts();
  // The dossier code stored for each idempotency key: what each kiosk item must carry.
  std::map<std::string, std::string> stored_codes();
  // Requests per path (POST /v1/dossiers, GET /v1/health, ...), faults included.
  std::map<std::string, long> requests_by_path();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

}  // namespace motcua::intake
