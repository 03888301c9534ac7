// The kiosk's outbox: every confirmed dossier waits here until the portal has it.
// Rule (write order): the reference, the row and the request body are committed in one SQLite
// transaction (WAL, synchronous=FULL: one fsync), and only then is the citizen told "submitted".
// Whatever is killed before the commit leaves nothing; after it, a complete item (sent at the
// next start). Bodies of dossiers are sealed envelopes; a body leaves the disk with its "sent".
// (Outboxes from before kept bodies as files in DIR/bodies/; they are still read and cleaned.)
// Rule (one owner): a writable Store holds the folder's lock (owner.lock) for its life, and only
// it recovers; everyone else opens it read-only and changes nothing (docs/outbox.md).
#pragma once
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "terminal/services/outbox/owner.h"

struct sqlite3;

namespace motcua::outbox {

// One queued item as the sender and staff see it: references and states, never personal data.
struct Item {
  std::string uuid;             // the Idempotency-Key, born when the citizen confirmed
  std::string kind;             // "dossier" or "evaluation"
  std::string kiosk_reference;  // printed on the receipt while the portal has not answered
  std::string procedure;
  std::string state;            // waiting, sent, rejected
  std::string appointment_date; // the kiosk's own computation
  std::string portal_code, portal_received_at, portal_appointment;
  std::string last_error;
  int attempts = 0;
  std::int64_t created_at = 0, next_attempt_at = 0, sent_at = 0;
  std::int64_t last_attempt_at = 0;  // 0: never tried
  // A dossier's papers (meta.documents) as counts only: scanned into it, and to be brought to the counter.
  int papers_scanned = 0, papers_at_counter = 0;
};

struct Summary {
  int waiting = 0, sent = 0, rejected = 0;
  std::int64_t oldest_waiting_created_at = 0;  // 0: nothing waiting
  std::int64_t last_sent_at = 0;                // 0: nothing sent yet
  std::string last_error;
  std::string paused;  // non-empty: the queue is paused (the portal refused this kiosk)
};

// What the start-up recovery found.
struct Recovery {
  int pending = 0;            // waiting (some perhaps cut off mid-send): due at once
  int leftovers_removed = 0;  // bodies without a committed row, half-written files, bodies already sent
  int missing_bodies = 0;     // rows whose body vanished: marked rejected for staff
};

struct StoreError : std::runtime_error { using std::runtime_error::runtime_error; };

// Shaped as Store::next_reference makes them: <kiosk>-<YYYYMMDD>-<NNNN> (four digits or more).
bool is_kiosk_reference(std::string_view code);

struct ReadOnly {};

class Store {
 public:
  // The owner: takes DIR/owner.lock (OwnerBusy when another process holds it), opens
  // DIR/outbox.sqlite and DIR/bodies/, creating them, then recovers (see recovery()).
  explicit Store(const std::string& dir);
  // A reader (staff commands, statistics): SQLITE_OPEN_READONLY, no lock taken from an owner,
  // no recovery, nothing created; every write throws. StoreError when there is no outbox.
  Store(const std::string& dir, ReadOnly);
  static int layout_version();  // the newest layout this program writes (PRAGMA user_version)
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // <kiosk>-<YYYYMMDD>-<NNNN>, never handed out twice, even across crashes.
  std::string next_reference(const std::string& kiosk_id, const std::string& ymd);
  // The durable write. On return the item survives power loss; throws StoreError otherwise.
  void enqueue(const Item& item, std::string_view body);
  // The kiosk's durable write in one transaction: a fresh reference (next_reference), the body
  // made with it, the row. Returns the reference; on any throw nothing is kept.
  std::string enqueue_new(Item item, const std::string& kiosk_id, const std::string& ymd,
                          const std::function<std::string(const std::string& reference)>& make_body);
  // Folds the write-ahead log into the database on a connection of its own, so a citizen's
  // enqueue never waits for it; the sender calls it when idle.
  void checkpoint();
  int bodies_kept();  // bodies still on the kiosk (waiting and rejected items), legacy files included

  std::optional<Item> next_due(std::int64_t now);  // oldest first
  std::vector<Item> due(std::int64_t now, int limit);  // the `limit` oldest due, oldest first
  std::optional<std::int64_t> next_attempt_at();   // earliest waiting item
  std::string body(const std::string& uuid);
  // Each outcome counts one attempt. Nothing is written before a send: an interrupted send
  // simply leaves the item waiting, to go again with the same key.
  void mark_sent(const std::string& uuid, const std::string& code, const std::string& received_at,
                 const std::string& appointment, std::int64_t now);
  void mark_retry(const std::string& uuid, const std::string& error, std::int64_t next_at, std::int64_t now = 0);
  void mark_rejected(const std::string& uuid, const std::string& error);
  // The portal answers again: every waiting item is due, but none sooner than min_gap seconds
  // after its own last attempt (the per-dossier rate holds whatever the portal does).
  void make_due(std::int64_t min_gap);

  void pause(const std::string& reason);
  void resume();
  std::string paused();
  // Every waiting item becomes due now; a rejected item named by uuid or reference is queued again.
  // Clears a pause: staff fixed its cause.
  int retry_now(const std::string& uuid_or_reference = "");
  void make_all_due();  // the network came back

  Summary summary();
  std::vector<Item> list(int limit = 1000);
  // Dossiers created at or after `since` (unix seconds), newest first: the staff screen's list.
  std::vector<Item> dossiers_since(std::int64_t since, int limit = 50);
  std::optional<Item> find(const std::string& uuid_or_code_or_reference);

  const Recovery& recovery() const { return recovery_; }
  const std::string& dir() const { return dir_; }
  bool read_only() const { return read_only_; }

 private:
  void exec(const char* sql);
  void open_db(int flags, const std::string& uri);
  std::string reference_locked(const std::string& kiosk_id, const std::string& ymd);
  void insert_locked(const Item& item, std::string_view body);
  void writable() const;
  void recover();
  std::string body_path(const std::string& uuid) const;

  std::string dir_;
  bool read_only_ = false;
  FolderLock lock_;  // the owner's; a reader's shared hold while no owner runs
  std::string columns_;  // what a row is read with (a reader of an older layout: defaults for newer columns)
  sqlite3* db_ = nullptr;
  sqlite3* checkpoint_db_ = nullptr;
  std::mutex m_, checkpoint_m_;
  Recovery recovery_;
};

}  // namespace motcua::outbox
