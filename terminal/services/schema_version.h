// Every database the kiosk keeps carries the version of its layout in SQLite's user_version and
// is brought forward at open, one step at a time, inside one transaction: an upgraded kiosk opens
// the outbox, history and queue of the one it replaced, and a crash mid-upgrade leaves the old
// layout whole. Version 0 is a fresh file or one made before versions existed (MotCua 0.1.0),
// which step 1 accepts as it is. A database from a newer MotCua is refused, never rewritten.
#pragma once
#include <sqlite3.h>

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace motcua {

struct SchemaTooNew : std::runtime_error { using std::runtime_error::runtime_error; };

// steps[i] takes the layout from version i to i + 1 (SQL statements, or code for what SQL cannot
// ask, such as "does this column exist"). Returns the version found before migrating.
// Throws SchemaTooNew when the file's version is above steps.size(), std::runtime_error when a step fails.
using MigrationStep = std::function<void(sqlite3*)>;
int migrate_schema(sqlite3* db, const std::string& file, const std::vector<MigrationStep>& steps);

// For read-only opens: the file's version, refusing (SchemaTooNew) one newer than `known`.
// `schema`: "main", or the name a file was attached under.
int check_schema_version(sqlite3* db, const std::string& file, int known, const std::string& schema = "main");

// Runs SQL in a step, throwing with SQLite's message.
void exec_sql(sqlite3* db, const char* sql);
bool has_column(sqlite3* db, const char* table, const char* column);

}  // namespace motcua
