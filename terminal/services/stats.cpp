#include "terminal/services/stats.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <set>
#include <sstream>
#include <stdexcept>

#include "terminal/services/history.h"
#include "terminal/services/outbox/owner.h"
#include "terminal/services/outbox/store.h"
#include "terminal/services/schema_version.h"

namespace motcua {

namespace {

std::string uri_path(const std::string& p) {
  std::string out;
  for (char c : p) {
    if (c == '?' || c == '#' || c == '%') {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", static_cast<unsigned char>(c));
      out += hex;
    } else {
      out += c;
    }
  }
  return out;
}

// A read-only connection that closes itself; every error names the file (a corrupt page must
// stop the figures, never end a loop early and print zeros).
struct Db {
  sqlite3* db = nullptr;
  std::string path;
  Db(const std::string& p, bool immutable) : path(p) {
    std::string uri = "file:" + uri_path(p) + (immutable ? "?mode=ro&immutable=1" : "?mode=ro");
    if (sqlite3_open_v2(uri.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr) != SQLITE_OK) {
      std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
      sqlite3_close(db);
      throw std::runtime_error(path + ": " + msg);
    }
    sqlite3_busy_timeout(db, 5000);
  }
  ~Db() { sqlite3_close(db); }
  void exec(const std::string& sql, const std::string& file = "") {
    char* err = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "?";
      sqlite3_free(err);
      throw std::runtime_error((file.empty() ? path : file) + ": " + msg);
    }
  }
  template <class F>
  void each(const char* sql, const std::vector<std::int64_t>& args, F row) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) throw std::runtime_error(path + ": " + sqlite3_errmsg(db));
    for (size_t i = 0; i < args.size(); ++i) sqlite3_bind_int64(st, static_cast<int>(i + 1), args[i]);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) row(st);
    if (rc != SQLITE_DONE) {
      std::string msg = sqlite3_errmsg(db);
      sqlite3_finalize(st);
      throw std::runtime_error(path + ": " + msg);
    }
    sqlite3_finalize(st);
  }
};

std::string col(sqlite3_stmt* st, int i) {
  auto p = sqlite3_column_text(st, i);
  return p ? reinterpret_cast<const char*>(p) : "";
}

std::int64_t local_midnight(const std::string& ymd, int add_days) {
  std::tm tm{};
  if (std::sscanf(ymd.c_str(), "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3)
    throw std::invalid_argument("\"" + ymd + "\" is not a date (YYYY-MM-DD)");
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  tm.tm_mday += add_days;
  tm.tm_isdst = -1;
  return static_cast<std::int64_t>(std::mktime(&tm));
}

std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  auto mid = v.begin() + static_cast<long>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  if (v.size() % 2) return *mid;
  double hi = *mid;
  double lo = *std::max_element(v.begin(), mid);
  return (lo + hi) / 2;
}

void add_into(StatsRow& total, const StatsRow& r) {
  for (auto [dst, src] : std::initializer_list<std::pair<long*, long>>{
           {&total.sessions, r.sessions}, {&total.dossier_sessions, r.dossier_sessions}, {&total.submitted, r.submitted},
           {&total.abandoned, r.abandoned}, {&total.timeouts, r.timeouts}, {&total.tickets, r.tickets},
           {&total.lookups, r.lookups}, {&total.card, r.card}, {&total.assisted, r.assisted}, {&total.sent, r.sent},
           {&total.waiting, r.waiting}, {&total.rejected, r.rejected}, {&total.not_kept, r.not_kept},
           {&total.on_time, r.on_time}, {&total.overdue, r.overdue}, {&total.evaluations, r.evaluations}})
    *dst += src;
  for (auto& [k, v] : r.overall) total.overall[k] += v;
  for (auto& [c, m] : r.criteria)
    for (auto& [k, v] : m) total.criteria[c][k] += v;
  for (auto& [k, v] : r.gave_up_at) total.gave_up_at[k] += v;
  total.durations.insert(total.durations.end(), r.durations.begin(), r.durations.end());
}

std::string percent(long part, long whole) {
  if (whole == 0) return "-";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
  return buf;
}

}  // namespace

Stats compute_stats(const std::string& history, const std::string& outbox, const StatsQuery& q) {
  if (!q.by.empty() && q.by != "day" && q.by != "procedure" && q.by != "kiosk")
    throw std::invalid_argument("--by: expected day, procedure or kiosk");
  std::int64_t from = q.from.empty() ? 0 : local_midnight(q.from, 0);
  std::int64_t to = q.to.empty() ? (std::int64_t{1} << 62) : local_midnight(q.to, 1);
  // The group of a row of table t (its alias), by the time column that dates it.
  auto key = [&](const std::string& t, const char* time_column) -> std::string {
    if (q.by == "day") return "date(" + t + "." + time_column + ", 'unixepoch', 'localtime')";
    if (q.by == "procedure") return "CASE WHEN " + t + ".procedure = '' THEN '-' ELSE " + t + ".procedure END";
    if (q.by == "kiosk") return t + ".kiosk";
    return "''";
  };

  // Nothing is written, not even SQLite's shared-memory file: with no kiosk running (no owner
  // holds the folder) and no write-ahead log, the files are read as they lie.
  std::string folder = std::filesystem::path(history).parent_path().string();
  outbox::FolderLock hold;
  bool quiet = outbox::FolderLock::try_shared(folder, hold) != outbox::FolderLock::Probe::Held;
  auto immutable = [&](const std::string& f) { return quiet && !std::filesystem::exists(f + "-wal"); };
  Db h(history, immutable(history));
  // A year of a busy kiosk is tens of megabytes: map it instead of reading it page by page.
  h.exec("PRAGMA mmap_size = 1073741824");
  check_schema_version(h.db, history, History::layout_version());
  // What became of each dossier is in the outbox; without one (demo mode) nothing was kept.
  std::string items = "(SELECT '' AS kind, '' AS kiosk_reference, '' AS portal_code, '' AS state WHERE 0)";
  if (!outbox.empty() && std::filesystem::exists(outbox)) {
    h.exec("ATTACH DATABASE " + quoted("file:" + uri_path(outbox) + (immutable(outbox) ? "?mode=ro&immutable=1" : "?mode=ro")) +
               " AS ob",
           outbox);
    h.exec("PRAGMA ob.mmap_size = 1073741824", outbox);
    check_schema_version(h.db, outbox, outbox::Store::layout_version(), "ob");
    items = "ob.items";
  }

  // The whole history reads the tables front to back; a period seeks through the time index.
  const char* unindexed = q.from.empty() && q.to.empty() ? "+" : "";
  std::map<std::string, StatsRow> groups;
  auto group = [&](sqlite3_stmt* st) -> StatsRow& {
    StatsRow& r = groups[col(st, 0)];
    r.key = col(st, 0);
    return r;
  };
  // A submitted visit's reference is the portal's code or, when the portal was late, the kiosk's.
  std::string visits =
      "SELECT " + key("s", "started_at") +
      ", COUNT(*), SUM(s.kind = 'dossier'), SUM(s.kind = 'ticket'), SUM(s.kind = 'lookup'),"
      " SUM(s.kind = 'dossier' AND s.outcome = 'submitted'), SUM(s.kind = 'dossier' AND s.outcome = 'abandoned'),"
      " SUM(s.kind = 'dossier' AND s.outcome = 'timeout'), SUM(s.kind = 'dossier' AND s.used_card),"
      " SUM(s.kind = 'dossier' AND s.assisted),"
      " SUM(COALESCE(a.state, b.state) = 'sent'), SUM(COALESCE(a.state, b.state) = 'waiting'),"
      " SUM(COALESCE(a.state, b.state) = 'rejected'), SUM(s.outcome = 'submitted' AND COALESCE(a.state, b.state) IS NULL),"
      " SUM(st.was_overdue = 0 AND st.status = 'done'), SUM(st.was_overdue = 1)"
      " FROM sessions s"
      " LEFT JOIN " + items + " a ON s.outcome = 'submitted' AND a.kiosk_reference = s.reference AND a.kind = 'dossier'"
      " LEFT JOIN " + items + " b ON s.outcome = 'submitted' AND a.rowid IS NULL AND b.portal_code = NULLIF(s.reference, '') AND b.kind = 'dossier'"
      " LEFT JOIN statuses st ON s.outcome = 'submitted' AND st.dossier_code = COALESCE(NULLIF(a.portal_code, ''), s.reference)"
      " WHERE " + unindexed + "s.started_at >= ? AND " + unindexed + "s.started_at < ? GROUP BY 1";
  h.each(visits.c_str(), {from, to}, [&](sqlite3_stmt* st) {
    StatsRow& r = group(st);
    long* fields[] = {&r.sessions, &r.dossier_sessions, &r.tickets, &r.lookups, &r.submitted, &r.abandoned, &r.timeouts,
                      &r.card, &r.assisted, &r.sent, &r.waiting, &r.rejected, &r.not_kept, &r.on_time, &r.overdue};
    for (int i = 0; i < 15; ++i) *fields[i] = sqlite3_column_int64(st, i + 1);
  });
  // One more pass over the dossier visits: their durations (for the median) and where they stopped.
  std::string dossier_visits = "SELECT " + key("s", "started_at") +
                               ", ended_at - started_at, outcome, furthest_step FROM sessions s WHERE kind = 'dossier' AND " +
                               unindexed + "started_at >= ? AND " + unindexed + "started_at < ?";
  h.each(dossier_visits.c_str(), {from, to}, [&](sqlite3_stmt* st) {
    StatsRow& r = group(st);
    r.durations.push_back(static_cast<double>(sqlite3_column_int64(st, 1)));
    const unsigned char* outcome = sqlite3_column_text(st, 2);
    if (outcome && (outcome[0] == 'a' || outcome[0] == 't')) {  // abandoned, timeout
      std::string step = col(st, 3);
      ++r.gave_up_at[step.empty() ? "?" : step];
    }
  });
  // Evaluations count where and when they were given.
  std::string evaluations = "SELECT " + key("e", "at") + ", COUNT(*) FROM evaluations e WHERE " + unindexed +
                            "at >= ? AND " + unindexed + "at < ? GROUP BY 1";
  h.each(evaluations.c_str(), {from, to}, [&](sqlite3_stmt* st) { group(st).evaluations = sqlite3_column_int64(st, 1); });
  std::string answers = "SELECT " + key("e", "at") +
                        ", a.criterion, a.level, COUNT(*) FROM evaluations e JOIN answers a ON a.dossier_code = e.dossier_code"
                        " WHERE " + unindexed + "e.at >= ? AND " + unindexed + "e.at < ? GROUP BY 1, 2, 3";
  h.each(answers.c_str(), {from, to}, [&](sqlite3_stmt* st) {
    StatsRow& r = group(st);
    long n = sqlite3_column_int64(st, 3);
    std::string criterion = col(st, 1);
    int level = sqlite3_column_int(st, 2);
    r.criteria[criterion][level] = n;
    if (criterion == "overall") r.overall[level] = n;
  });

  Stats out;
  for (auto& [k, r] : groups) {
    r.median_seconds = median(r.durations);
    add_into(out.total, r);
    if (!q.by.empty()) out.rows.push_back(std::move(r));
  }
  out.total.key = "TOTAL";
  out.total.median_seconds = median(out.total.durations);
  return out;
}

Stats merge_stats(const std::vector<Stats>& parts) {
  if (parts.size() == 1) return parts[0];
  std::map<std::string, StatsRow> groups;
  Stats out;
  for (auto& p : parts) {
    for (auto& r : p.rows) {
      StatsRow& g = groups[r.key];
      g.key = r.key;
      add_into(g, r);
    }
    add_into(out.total, p.total);
  }
  for (auto& [k, g] : groups) {
    g.median_seconds = median(g.durations);
    out.rows.push_back(std::move(g));
  }
  out.total.key = "TOTAL";
  out.total.median_seconds = median(out.total.durations);
  return out;
}

std::string stats_table(const Stats& s, const StatsQuery& q, const std::vector<LevelName>& levels) {
  std::ostringstream o;
  o << "Period: " << (q.from.empty() ? "start" : q.from) << " .. " << (q.to.empty() ? "now" : q.to) << "\n\n";
  char line[512];
  std::snprintf(line, sizeof line, "%-22s %8s %8s %9s %6s %7s %8s %6s %9s %7s %6s %6s %6s %8s %7s %7s %7s %6s\n", q.by.empty() ? "" : q.by.c_str(),
                "sessions", "dossier", "submitted", "sent", "waiting", "rejected", "demo", "abandoned", "timeout", "ticket",
                "lookup", "card%", "assisted", "median", "on-time", "overdue", "evals");
  o << line;
  auto row = [&](const StatsRow& r) {
    char m[32];
    std::snprintf(m, sizeof m, "%.0fs", r.median_seconds);
    std::snprintf(line, sizeof line, "%-22s %8ld %8ld %9ld %6ld %7ld %8ld %6ld %9ld %7ld %6ld %6ld %6s %8ld %7s %7ld %7ld %6ld\n",
                  r.key.substr(0, 22).c_str(), r.sessions, r.dossier_sessions, r.submitted, r.sent, r.waiting, r.rejected,
                  r.not_kept, r.abandoned, r.timeouts, r.tickets, r.lookups, percent(r.card, r.dossier_sessions).c_str(), r.assisted,
                  m, r.on_time, r.overdue, r.evaluations);
    o << line;
  };
  for (auto& r : s.rows) row(r);
  row(s.total);
  o << "\nEvaluations (" << s.total.evaluations << "), answers per level:\n";
  for (auto& [criterion, counts] : s.total.criteria) {
    long n = 0;
    for (auto& [v, c] : counts) n += c;
    o << "  " << criterion << " (" << n << "):";
    for (auto& l : levels) {
      auto it = counts.find(l.value);
      long c = it == counts.end() ? 0 : it->second;
      o << "  " << l.label << " " << c << " (" << percent(c, n) << ")";
    }
    o << "\n";
  }
  o << "\nWhere citizens gave up (" << s.total.abandoned + s.total.timeouts << "):\n";
  std::vector<std::pair<long, std::string>> steps;
  for (auto& [k, v] : s.total.gave_up_at) steps.push_back({v, k});
  std::sort(steps.rbegin(), steps.rend());
  for (auto& [v, k] : steps) o << "  " << k << "  " << v << " (" << percent(v, s.total.abandoned + s.total.timeouts) << ")\n";
  return o.str();
}

std::string stats_csv(const Stats& s, const std::vector<LevelName>& levels) {
  std::set<std::string> criteria, steps;
  std::vector<const StatsRow*> rows;
  for (auto& r : s.rows) rows.push_back(&r);
  rows.push_back(&s.total);
  for (auto* r : rows) {
    for (auto& [c, _] : r->criteria) criteria.insert(c);
    for (auto& [k, _] : r->gave_up_at) steps.insert(k);
  }
  std::ostringstream o;
  o << "group,sessions,dossier_sessions,submitted,sent,waiting,rejected,not_kept,abandoned,timeouts,tickets,lookups,card,"
       "assisted,median_seconds,on_time,overdue,evaluations";
  for (auto& c : criteria)
    for (auto& l : levels) o << "," << c << "_" << l.value;
  for (auto& k : steps) o << ",gave_up_at_" << k;
  o << "\n";
  for (auto* r : rows) {
    o << r->key << "," << r->sessions << "," << r->dossier_sessions << "," << r->submitted << "," << r->sent << ","
      << r->waiting << "," << r->rejected << "," << r->not_kept << "," << r->abandoned << "," << r->timeouts << ","
      << r->tickets << "," << r->lookups << "," << r->card << "," << r->assisted << "," << r->median_seconds << ","
      << r->on_time << "," << r->overdue << "," << r->evaluations;
    for (auto& c : criteria)
      for (auto& l : levels) {
        auto it = r->criteria.find(c);
        long n = 0;
        if (it != r->criteria.end())
          if (auto jt = it->second.find(l.value); jt != it->second.end()) n = jt->second;
        o << "," << n;
      }
    for (auto& k : steps) {
      auto it = r->gave_up_at.find(k);
      o << "," << (it == r->gave_up_at.end() ? 0 : it->second);
    }
    o << "\n";
  }
  return o.str();
}

nlohmann::json stats_json(const Stats& s, const StatsQuery& q) {
  auto row = [](const StatsRow& r) {
    nlohmann::json criteria = nlohmann::json::object();
    for (auto& [c, m] : r.criteria)
      for (auto& [k, v] : m) criteria[c][std::to_string(k)] = v;
    nlohmann::json overall = nlohmann::json::object();
    for (auto& [k, v] : r.overall) overall[std::to_string(k)] = v;
    return nlohmann::json{{"group", r.key},          {"sessions", r.sessions},       {"dossierSessions", r.dossier_sessions},
                          {"submitted", r.submitted}, {"sent", r.sent},               {"waiting", r.waiting},
                          {"rejected", r.rejected},   {"notKept", r.not_kept},        {"abandoned", r.abandoned},
                          {"timeouts", r.timeouts},   {"tickets", r.tickets},         {"lookups", r.lookups},
                          {"card", r.card},           {"assisted", r.assisted},       {"medianSeconds", r.median_seconds},
                          {"onTime", r.on_time},      {"overdue", r.overdue},         {"evaluations", r.evaluations},
                          {"overall", overall},       {"criteria", criteria},         {"gaveUpAt", r.gave_up_at}};
  };
  nlohmann::json rows = nlohmann::json::array();
  for (auto& r : s.rows) rows.push_back(row(r));
  return {{"from", q.from}, {"to", q.to}, {"by", q.by}, {"rows", rows}, {"total", row(s.total)}};
}

}  // namespace motcua
