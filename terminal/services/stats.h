// The figures centres report to the province, computed from the kiosk's own records
// (history.sqlite, and the outbox for what happened to each dossier) instead of by hand.
// Rule: every total is the sum of its parts, and the TOTAL row is the sum of the groups:
//   sessions = dossier visits + tickets + lookups
//   dossier visits = submitted + abandoned + timed out
//   submitted = sent + waiting + rejected + not kept (demo mode)
//   abandoned + timed out = the sum of "gave up at" over the steps
//   evaluations = the sum of the overall answers over the levels
#pragma once
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace motcua {

struct StatsQuery {
  std::string from, to;  // YYYY-MM-DD, inclusive, local time; empty: open
  std::string by;        // "", "day", "procedure" or "kiosk"
};

struct StatsRow {
  std::string key;  // the group; "TOTAL" for the whole period
  long sessions = 0, dossier_sessions = 0, submitted = 0, abandoned = 0, timeouts = 0, tickets = 0, lookups = 0;
  long card = 0, assisted = 0;
  long sent = 0, waiting = 0, rejected = 0, not_kept = 0;
  long on_time = 0, overdue = 0;  // submitted dossiers whose status a lookup saw done in time, or late
  long evaluations = 0;
  double median_seconds = 0;      // of dossier visits
  std::map<int, long> overall;                                  // level value -> evaluations
  std::map<std::string, std::map<int, long>> criteria;          // criterion -> level value -> answers
  std::map<std::string, long> gave_up_at;                       // furthest step of abandoned and timed-out visits
  std::vector<double> durations;                                // for the median; not printed
};

struct Stats {
  std::vector<StatsRow> rows;  // one per group, in key order (none when not grouped)
  StatsRow total;
};

// history: DATA_DIR/history.sqlite; outbox: DATA_DIR/outbox/outbox.sqlite ("" or missing: none).
// Throws std::runtime_error when the history cannot be read.
Stats compute_stats(const std::string& history, const std::string& outbox, const StatsQuery& q);

// Several kiosks' figures as one (the same group keys add up; medians over all visits).
Stats merge_stats(const std::vector<Stats>& parts);

struct LevelName {
  int value;
  std::string label;
};
std::string stats_table(const Stats& s, const StatsQuery& q, const std::vector<LevelName>& levels);
std::string stats_csv(const Stats& s, const std::vector<LevelName>& levels);
nlohmann::json stats_json(const Stats& s, const StatsQuery& q);

}  // namespace motcua
