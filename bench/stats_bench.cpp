// `motcua stats` over one year of a busy kiosk: 200,000 visits (with their dossiers,
// evaluations and looked-up statuses). Target: well under a second.
// Baseline in the same run: one SQLite pass that only counts and sums the visits table,
// the floor for anything that reads every visit once.
// usage: motcua_stats_bench [VISITS] [RUNS]
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "terminal/services/stats.h"
#include "tests/support/files.h"
#include "tests/support/history_generator.h"

using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  long visits = argc > 1 ? std::atol(argv[1]) : 200000;
  int runs = argc > 2 ? std::atoi(argv[2]) : 5;
  motcua::test::TempDir dir;
  auto t0 = Clock::now();
  motcua::test::generate_history(dir.path, visits, 2026, "2025-11-22", 365);
  std::printf("generated %ld visits over 365 days in %.0f ms\n", visits, ms_since(t0));
  std::string h = dir / "history.sqlite", o = dir / "outbox/outbox.sqlite";

  std::vector<double> floor_ms;
  for (int i = 0; i < runs; ++i) {
    sqlite3* db = nullptr;
    sqlite3_open_v2(h.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* st = nullptr;
    auto t = Clock::now();
    sqlite3_prepare_v2(db, "SELECT COUNT(*), SUM(used_card), SUM(ended_at - started_at) FROM sessions", -1, &st, nullptr);
    sqlite3_step(st);
    sqlite3_finalize(st);
    floor_ms.push_back(ms_since(t));
    sqlite3_close(db);
  }
  std::printf("baseline one counting pass over the visits: median %.1f ms\n", median(floor_ms));
  for (const char* by : {"", "day", "procedure"}) {
    std::vector<double> ms;
    motcua::Stats s;
    for (int i = 0; i < runs; ++i) {
      auto t = Clock::now();
      s = motcua::compute_stats(h, o, {"", "", by});
      ms.push_back(ms_since(t));
    }
    std::printf("motcua stats%s%s: median %.1f ms over %d runs (%.1fx the counting pass; %ld visits, %ld evaluations, %zu rows)\n",
                *by ? " --by " : "", by, median(ms), runs, median(ms) / median(floor_ms), s.total.sessions,
                s.total.evaluations, s.rows.size());
  }
  return 0;
}
