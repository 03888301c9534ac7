#include "terminal/services/schema_version.h"

namespace motcua {

namespace {

int user_version(sqlite3* db, const std::string& file, const std::string& schema = "main") {
  sqlite3_stmt* st = nullptr;
  int v = -1;
  std::string sql = "PRAGMA " + schema + ".user_version";
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
    v = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  if (v < 0) throw std::runtime_error(file + ": cannot read the layout version: " + sqlite3_errmsg(db));
  return v;
}

void refuse_newer(const std::string& file, int found, int known) {
  if (found > known)
    throw SchemaTooNew(file + ": written by a newer MotCua (layout version " + std::to_string(found) +
                       ", this program knows up to " + std::to_string(known) +
                       "); install that version again, nothing was changed");
}

}  // namespace

void exec_sql(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errmsg(db);
    sqlite3_free(err);
    throw std::runtime_error(msg);
  }
}

bool has_column(sqlite3* db, const char* table, const char* column) {
  sqlite3_stmt* st = nullptr;
  std::string sql = std::string("SELECT 1 FROM pragma_table_info('") + table + "') WHERE name=?";
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) throw std::runtime_error(sqlite3_errmsg(db));
  sqlite3_bind_text(st, 1, column, -1, SQLITE_STATIC);
  bool found = sqlite3_step(st) == SQLITE_ROW;
  sqlite3_finalize(st);
  return found;
}

int check_schema_version(sqlite3* db, const std::string& file, int known, const std::string& schema) {
  int found = user_version(db, file, schema);
  refuse_newer(file, found, known);
  return found;
}

int migrate_schema(sqlite3* db, const std::string& file, const std::vector<MigrationStep>& steps) {
  const int latest = static_cast<int>(steps.size());
  // IMMEDIATE: a second writer waits here instead of migrating the same file at the same time.
  exec_sql(db, "BEGIN IMMEDIATE");
  try {
    int found = user_version(db, file);
    refuse_newer(file, found, latest);
    for (int v = found; v < latest; ++v) {
      try {
        steps[static_cast<size_t>(v)](db);
      } catch (const std::exception& e) {
        throw std::runtime_error(file + ": cannot bring the layout from version " + std::to_string(v) + " to " +
                                 std::to_string(v + 1) + ": " + e.what());
      }
    }
    if (found != latest) exec_sql(db, ("PRAGMA user_version=" + std::to_string(latest)).c_str());
    exec_sql(db, "COMMIT");
    return found;
  } catch (...) {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

}  // namespace motcua
