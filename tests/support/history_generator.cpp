#include "tests/support/history_generator.h"

#include <sqlite3.h>

#include <cstdio>
#include <ctime>
#include <random>
#include <stdexcept>

#include "terminal/services/history.h"
#include "terminal/services/outbox/store.h"

namespace motcua::test {

namespace {

std::int64_t midnight(const std::string& ymd) {
  std::tm tm{};
  std::sscanf(ymd.c_str(), "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  tm.tm_isdst = -1;
  return std::mktime(&tm);
}

std::string day_of(std::int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  localtime_r(&tt, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

void exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "?";
    sqlite3_free(err);
    throw std::runtime_error(msg);
  }
}

}  // namespace

HistoryTally generate_history(const std::string& data_dir, long visits, unsigned seed, const std::string& first_day,
                              int days, const std::string& kiosk_id) {
  HistoryTally t;
  std::mt19937 rng(seed);
  auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
  const char* procedures[] = {"1.001193", "1.004222", "2.000488", "1.000894", "1.001023"};
  const char* steps[] = {"language", "catalog", "identify", "form:1", "form:2", "form:3", "review"};
  std::int64_t start = midnight(first_day);

  { outbox::Store create(data_dir + "/outbox"); }  // the kiosk's own schema
  sqlite3* ob = nullptr;
  sqlite3_open((data_dir + "/outbox/outbox.sqlite").c_str(), &ob);
  History history(data_dir + "/history.sqlite");
  sqlite3* h = history.db();
  exec(h, "BEGIN");
  exec(ob, "BEGIN");
  sqlite3_stmt* item = nullptr;
  sqlite3_prepare_v2(ob,
                     "INSERT INTO items(uuid, kind, kiosk_reference, procedure, state, portal_code, created_at) "
                     "VALUES(?, 'dossier', ?, ?, ?, ?, ?)",
                     -1, &item, nullptr);
  for (long i = 0; i < visits; ++i) {
    SessionRecord r;
    // Opening hours 7:30-17:00 on a day in the range.
    r.started_at = start + 86400LL * std::uniform_int_distribution<int>(0, days - 1)(rng) + 27000 +
                   std::uniform_int_distribution<int>(0, 34200)(rng);
    r.ended_at = r.started_at + std::uniform_int_distribution<int>(20, 900)(rng);
    r.language = chance(0.9) ? "vi" : "en";
    ++t.sessions;
    ++t.sessions_by_day[day_of(r.started_at)];
    double kind = std::uniform_real_distribution<double>(0, 1)(rng);
    if (kind < 0.15) {
      r.kind = r.outcome = "ticket";
      r.furthest_step = "ticket_done";
      ++t.tickets;
    } else if (kind < 0.2) {
      r.kind = r.outcome = "lookup";
      r.furthest_step = "lookup";
      ++t.lookups;
    } else {
      r.kind = "dossier";
      ++t.dossier_sessions;
      r.procedure = procedures[std::uniform_int_distribution<int>(0, 4)(rng)];
      r.used_card = chance(0.6);
      r.assisted = chance(0.25);
      t.card += r.used_card;
      t.assisted += r.assisted;
      double o = std::uniform_real_distribution<double>(0, 1)(rng);
      if (o < 0.7) {
        r.outcome = "submitted";
        r.furthest_step = "thank_you";
        ++t.submitted;
        char ref[64];
        std::snprintf(ref, sizeof ref, "%s-%08ld", kiosk_id.c_str(), i);
        std::string portal = "000.00.00.H00-" + std::to_string(i);
        double fate = std::uniform_real_distribution<double>(0, 1)(rng);
        const char* state = fate < 0.9 ? "sent" : fate < 0.97 ? "waiting" : fate < 0.99 ? "rejected" : nullptr;
        r.reference = state && std::string(state) == "sent" ? portal : ref;
        if (state) {
          std::string uuid = "uuid-" + std::to_string(i);
          std::string code = std::string(state) == "sent" ? portal : "";
          sqlite3_bind_text(item, 1, uuid.c_str(), -1, SQLITE_TRANSIENT);
          sqlite3_bind_text(item, 2, ref, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text(item, 3, r.procedure.c_str(), -1, SQLITE_TRANSIENT);
          sqlite3_bind_text(item, 4, state, -1, SQLITE_STATIC);
          sqlite3_bind_text(item, 5, code.c_str(), -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64(item, 6, r.started_at);
          sqlite3_step(item);
          sqlite3_reset(item);
          ++(std::string(state) == "sent" ? t.sent : std::string(state) == "waiting" ? t.waiting : t.rejected);
        } else {
          ++t.not_kept;  // demo mode: nothing kept
        }
        if (state && std::string(state) == "sent" && chance(0.3)) {
          // A later lookup saw it: done in time, late, or still processing.
          DossierStatus st;
          st.found = DossierStatus::Found::Yes;
          st.code = portal;
          double s = std::uniform_real_distribution<double>(0, 1)(rng);
          st.status = s < 0.6 ? "done" : s < 0.8 ? "overdue" : "processing";
          history.record_status(st, r.ended_at);
          if (st.status == "overdue") {
            ++t.overdue;
            if (chance(0.5)) {  // done later, still counted late
              st.status = "done";
              history.record_status(st, r.ended_at + 86400);
            }
          } else if (st.status == "done") {
            ++t.on_time;
          }
        }
        if (chance(0.55)) {
          Evaluation e;
          e.dossier_reference = r.reference;
          e.procedure_code = r.procedure;
          e.kiosk_id = kiosk_id;
          e.survey = "motcua-default@2025.1";
          int overall = std::uniform_int_distribution<int>(1, 3)(rng);
          e.answers = {{"overall", overall}, {"convenience", std::uniform_int_distribution<int>(1, 3)(rng)}};
          history.record_evaluation(e, r.ended_at);
          r.evaluated = true;
          ++t.evaluations;
          ++t.overall[overall];
        }
      } else {
        r.outcome = o < 0.9 ? "abandoned" : "timeout";
        r.furthest_step = steps[std::uniform_int_distribution<int>(0, 6)(rng)];
        ++(r.outcome == "timeout" ? t.timeouts : t.abandoned);
        ++t.gave_up_at[r.furthest_step];
      }
    }
    history.record_session(r, kiosk_id);
  }
  sqlite3_finalize(item);
  exec(ob, "COMMIT");
  exec(h, "COMMIT");
  sqlite3_close(ob);
  return t;
}

}  // namespace motcua::test
