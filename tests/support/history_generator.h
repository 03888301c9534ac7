// A synthetic kiosk history for statistics tests and the stats bench: visits of every kind and
// outcome, dossiers in every outbox state, looked-up statuses and evaluations, drawn from a seed.
// It tallies what it wrote on its own, so the statistics can be checked against it.
#pragma once
#include <cstdint>
#include <map>
#include <string>

namespace motcua::test {

struct HistoryTally {
  long sessions = 0, dossier_sessions = 0, submitted = 0, abandoned = 0, timeouts = 0, tickets = 0, lookups = 0;
  long sent = 0, waiting = 0, rejected = 0, not_kept = 0, card = 0, assisted = 0, on_time = 0, overdue = 0;
  long evaluations = 0;
  std::map<int, long> overall;
  std::map<std::string, long> sessions_by_day, gave_up_at;
};

// Writes DATA_DIR/history.sqlite and DATA_DIR/outbox/outbox.sqlite with `visits` visits spread
// over `days` days from `first_day` (YYYY-MM-DD, local time).
HistoryTally generate_history(const std::string& data_dir, long visits, unsigned seed, const std::string& first_day,
                              int days, const std::string& kiosk_id = "KIOSK-01");

}  // namespace motcua::test
