// What the kiosk remembers for statistics (DATA_DIR/history.sqlite): visits, evaluations and
// dossier statuses seen in lookups. Rule: nothing here identifies a citizen — steps, procedure
// codes, dossier codes, answers on a scale; free-text comments never land here.
#pragma once
#include <cstdint>
#include <mutex>
#include <string>

#include "terminal/core/session.h"

struct sqlite3;

namespace motcua {

class History {
 public:
  // Creates the file and tables, or brings an older layout forward; throws std::runtime_error
  // (SchemaTooNew for a file from a newer MotCua).
  explicit History(const std::string& path);
  static int layout_version();  // the newest layout this program writes (PRAGMA user_version)
  ~History();
  History(const History&) = delete;
  History& operator=(const History&) = delete;

  void record_session(const SessionRecord& r, const std::string& kiosk_id);
  // False when this dossier code already has an evaluation (one per dossier).
  bool record_evaluation(const Evaluation& e, std::int64_t at);
  bool evaluated(const std::string& dossier_code);
  void record_status(const DossierStatus& st, std::int64_t at);
  // Sessions started at or after `since` (Unix time), and those that ended with a dossier.
  struct Counts {
    int sessions = 0, submitted = 0;
  };
  Counts counts_since(std::int64_t since);

  sqlite3* db() { return db_; }  // for the statistics queries and the generator

 private:
  sqlite3* db_ = nullptr;
  std::mutex m_;
};

}  // namespace motcua
