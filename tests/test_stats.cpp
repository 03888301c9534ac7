// Statistics from a generated history: every figure matches what the generator wrote, every
// total is the sum of its parts, and the TOTAL row is the sum of the groups, in every grouping.
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/support/files.h"
#include "tests/support/history_generator.h"
#include "terminal/services/stats.h"

using namespace motcua;

namespace {

const std::string root = MOTCUA_SOURCE_ROOT;

void check_reconciles(const StatsRow& r) {
  CAPTURE(r.key);
  CHECK(r.sessions == r.dossier_sessions + r.tickets + r.lookups);
  CHECK(r.dossier_sessions == r.submitted + r.abandoned + r.timeouts);
  CHECK(r.submitted == r.sent + r.waiting + r.rejected + r.not_kept);
  long gave_up = 0, overall = 0;
  for (auto& [k, v] : r.gave_up_at) gave_up += v;
  for (auto& [k, v] : r.overall) overall += v;
  CHECK(gave_up == r.abandoned + r.timeouts);
  CHECK(overall == r.evaluations);
  CHECK(r.on_time + r.overdue <= r.sent);
}

void check_total_is_sum(const Stats& s) {
  StatsRow sum;
  for (auto& r : s.rows) {
    check_reconciles(r);
    sum.sessions += r.sessions, sum.dossier_sessions += r.dossier_sessions, sum.submitted += r.submitted;
    sum.sent += r.sent, sum.waiting += r.waiting, sum.rejected += r.rejected, sum.not_kept += r.not_kept;
    sum.abandoned += r.abandoned, sum.timeouts += r.timeouts, sum.tickets += r.tickets, sum.lookups += r.lookups;
    sum.card += r.card, sum.assisted += r.assisted, sum.on_time += r.on_time, sum.overdue += r.overdue;
    sum.evaluations += r.evaluations;
    for (auto& [k, v] : r.overall) sum.overall[k] += v;
  }
  check_reconciles(s.total);
  CHECK(sum.sessions == s.total.sessions);
  CHECK(sum.dossier_sessions == s.total.dossier_sessions);
  CHECK(sum.submitted == s.total.submitted);
  CHECK(sum.sent == s.total.sent);
  CHECK(sum.waiting == s.total.waiting);
  CHECK(sum.rejected == s.total.rejected);
  CHECK(sum.not_kept == s.total.not_kept);
  CHECK(sum.abandoned == s.total.abandoned);
  CHECK(sum.timeouts == s.total.timeouts);
  CHECK(sum.tickets == s.total.tickets);
  CHECK(sum.lookups == s.total.lookups);
  CHECK(sum.card == s.total.card);
  CHECK(sum.assisted == s.total.assisted);
  CHECK(sum.on_time == s.total.on_time);
  CHECK(sum.overdue == s.total.overdue);
  CHECK(sum.evaluations == s.total.evaluations);
  CHECK(sum.overall == s.total.overall);
}

std::pair<int, std::string> run_motcua(const std::string& args) {
  return test::run_capture(std::string(MOTCUA_BINARY) + " " + args);
}

}  // namespace

TEST_CASE("stats on a generated month match what was generated and reconcile in every grouping") {
  test::TempDir dir;
  test::HistoryTally t = test::generate_history(dir.path, 3000, 11, "2026-10-01", 31);
  std::string h = dir / "history.sqlite", o = dir / "outbox/outbox.sqlite";
  Stats s = compute_stats(h, o, {});
  const StatsRow& r = s.total;
  CHECK(r.sessions == t.sessions);
  CHECK(r.dossier_sessions == t.dossier_sessions);
  CHECK(r.submitted == t.submitted);
  CHECK(r.sent == t.sent);
  CHECK(r.waiting == t.waiting);
  CHECK(r.rejected == t.rejected);
  CHECK(r.not_kept == t.not_kept);
  CHECK(r.abandoned == t.abandoned);
  CHECK(r.timeouts == t.timeouts);
  CHECK(r.tickets == t.tickets);
  CHECK(r.lookups == t.lookups);
  CHECK(r.card == t.card);
  CHECK(r.assisted == t.assisted);
  CHECK(r.on_time == t.on_time);
  CHECK(r.overdue == t.overdue);  // a dossier late once stays late when it is done later
  CHECK(r.evaluations == t.evaluations);
  CHECK(r.overall == t.overall);
  CHECK(r.gave_up_at == t.gave_up_at);
  CHECK(r.median_seconds > 20);
  CHECK(r.median_seconds < 900);
  check_reconciles(r);
  CHECK(r.waiting > 0);
  CHECK(r.overdue > 0);  // the generated month exercises every branch

  for (const char* by : {"day", "procedure", "kiosk"}) {
    CAPTURE(by);
    Stats g = compute_stats(h, o, {"", "", by});
    check_total_is_sum(g);
    CHECK(g.total.sessions == t.sessions);
    CHECK(g.total.median_seconds == r.median_seconds);
  }
  Stats days = compute_stats(h, o, {"", "", "day"});
  CHECK(days.rows.size() == 31);
  for (auto& row : days.rows) CHECK(row.sessions == t.sessions_by_day[row.key]);

  // A period is whole local days, both ends included.
  Stats week = compute_stats(h, o, {"2026-10-05", "2026-10-11", ""});
  long expected = 0;
  for (auto& [day, n] : t.sessions_by_day)
    if (day >= "2026-10-05" && day <= "2026-10-11") expected += n;
  CHECK(week.total.sessions == expected);
  CHECK(compute_stats(h, o, {"2027-01-01", "2027-01-31", ""}).total.sessions == 0);
}

TEST_CASE("motcua stats: table, CSV and JSON agree, two kiosks add up, and bad input is refused") {
  test::TempDir a, b;
  test::HistoryTally ta = test::generate_history(a.path, 800, 1, "2026-11-01", 10, "KIOSK-01");
  test::HistoryTally tb = test::generate_history(b.path, 500, 2, "2026-11-01", 10, "KIOSK-02");
  std::string dirs = " --data-dir " + a.path + " --data-dir " + b.path;

  auto [rc, json_text] = run_motcua("stats --by kiosk --format json" + dirs);
  REQUIRE(rc == 0);
  auto doc = nlohmann::json::parse(json_text);
  REQUIRE(doc["rows"].size() == 2);
  CHECK(doc["rows"][0]["group"] == "KIOSK-01");
  CHECK(doc["rows"][0]["sessions"] == ta.sessions);
  CHECK(doc["rows"][1]["sessions"] == tb.sessions);
  CHECK(doc["total"]["sessions"] == ta.sessions + tb.sessions);
  CHECK(doc["total"]["evaluations"] == ta.evaluations + tb.evaluations);

  auto [rc2, csv] = run_motcua("stats --by procedure --format csv" + dirs);
  REQUIRE(rc2 == 0);
  std::istringstream lines(csv);
  std::string header, line;
  std::getline(lines, header);
  CHECK(header.rfind("group,sessions,dossier_sessions,submitted,sent,waiting,rejected,not_kept", 0) == 0);
  CHECK(header.find("overall_1,overall_2,overall_3") != std::string::npos);
  std::vector<std::vector<long>> rows;
  std::vector<long> total;
  while (std::getline(lines, line)) {
    std::istringstream cells(line);
    std::string key, cell;
    std::getline(cells, key, ',');
    std::vector<long> v;
    while (std::getline(cells, cell, ',')) v.push_back(std::atol(cell.c_str()));
    (key == "TOTAL" ? total : rows.emplace_back()) = v;
  }
  REQUIRE(rows.size() == 6);  // five procedures and "-": tickets and lookups name none
  REQUIRE_FALSE(total.empty());
  for (size_t c = 0; c < total.size(); ++c) {
    if (c == 13) continue;  // the median is not a sum
    long sum = 0;
    for (auto& r : rows) sum += r[c];
    CAPTURE(c);
    CHECK(sum == total[c]);
  }
  CHECK(total[0] == ta.sessions + tb.sessions);

  auto [rc3, table] = run_motcua("stats --from 2026-11-01 --to 2026-11-30 --lang en" + dirs);
  CHECK(rc3 == 0);
  CHECK(table.find("TOTAL") != std::string::npos);
  CHECK(table.find("Very satisfied") != std::string::npos);
  CHECK(table.find("Where citizens gave up") != std::string::npos);

  CHECK(run_motcua("stats --by week" + dirs).first == 2);
  CHECK(run_motcua("stats --from 1/11/2026" + dirs).first == 2);
  CHECK(run_motcua("stats --format xml" + dirs).first == 2);
  CHECK(run_motcua("stats --data-dir " + a.path + "/nowhere").first == 2);
}

TEST_CASE("motcua stats reads a kiosk's folder without changing it, works on a demo kiosk's, and a corrupt history fails naming the file") {
  test::TempDir a;
  test::HistoryTally t = test::generate_history(a.path, 3000, 5, "2026-11-01", 10, "KIOSK-01");
  // A demo kiosk keeps no outbox: its dossiers count as not kept, and nothing is written to read them.
  std::filesystem::remove_all(a.path + "/outbox");
  auto mtime = std::filesystem::last_write_time(a.path + "/history.sqlite");
  auto [rc, json_text] = run_motcua("stats --format json --data-dir " + a.path);
  CHECK(rc == 0);
  const std::string& answer = json_text;  // clang 14 (scripts/sanitize) cannot capture a structured binding
  CAPTURE(answer);
  if (rc == 0) {
    auto doc = nlohmann::json::parse(json_text);
    CHECK(doc["total"]["sessions"] == t.sessions);
    CHECK(doc["total"]["notKept"] == t.submitted);
  }
  CHECK(std::filesystem::last_write_time(a.path + "/history.sqlite") == mtime);
  CHECK_FALSE(std::filesystem::exists(a.path + "/history.sqlite-shm"));
  CHECK_FALSE(std::filesystem::exists(a.path + "/history.sqlite-wal"));

  // Pages overwritten in the middle of the file: an error naming it, exit 2, never zeros.
  {
    std::fstream f(a.path + "/history.sqlite", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(0, std::ios::end);
    long size = static_cast<long>(f.tellp());
    REQUIRE(size > 16 * 4096);
    std::string junk(8 * 4096, '\x5a');
    f.seekp(size / 2);
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  auto [rc2, out2] = run_motcua("stats --data-dir " + a.path);
  CHECK(rc2 == 2);
  CHECK(out2.find(a.path + "/history.sqlite") != std::string::npos);
  CHECK(out2.find("TOTAL") == std::string::npos);
  // Not a database at all: the same.
  std::ofstream(a.path + "/history.sqlite", std::ios::trunc) << "not a database, just text that is long enough to be a header....";
  auto [rc3, out3] = run_motcua("stats --data-dir " + a.path);
  CHECK(rc3 == 2);
  CHECK(out3.find(a.path + "/history.sqlite") != std::string::npos);
}
