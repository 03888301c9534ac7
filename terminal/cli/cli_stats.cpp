#include "terminal/cli/cli_stats.h"

#include <cstdlib>
#include <filesystem>
#include <ostream>

#include "terminal/core/config.h"
#include "terminal/services/stats.h"
#include "terminal/services/submission.h"
#include "terminal/core/survey.h"

namespace motcua {

const char* kStatsHelp = R"(Statistics (no personal data; totals reconcile, see docs/statistics.md):
  motcua stats [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--by day|procedure|kiosk]
               [--format table|csv|json] [--lang vi|en] [--config FILE] [--data-dir DIR]...
      visits, dossiers submitted / sent / waiting / rejected, on time and overdue (from status
      lookups), evaluations per level and criterion, card use, assisted visits, median visit
      time, and where citizens gave up. --data-dir (repeatable) reads other kiosks' data folders.
      Exit status: 0 ok, 2 unusable input.
)";

namespace {

int fail(std::ostream& err, const std::string& msg) {
  err << "motcua stats: " << msg << "\n";
  return 2;
}

}  // namespace

int stats_command(const std::vector<std::string>& args, const std::string& data_root, std::ostream& out,
                  std::ostream& err) {
  StatsQuery q;
  std::string format = "table", config_path, lang;
  std::vector<std::string> dirs;
  if (const char* c = std::getenv("MOTCUA_CONFIG")) config_path = c;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a != "--from" && a != "--to" && a != "--by" && a != "--format" && a != "--config" && a != "--data-dir" && a != "--lang")
      return fail(err, "unknown argument " + a);
    if (i + 1 >= args.size()) return fail(err, a + " needs a value");
    std::string v = args[++i];
    if (a == "--from") q.from = v;
    else if (a == "--to") q.to = v;
    else if (a == "--by") q.by = v;
    else if (a == "--format") format = v;
    else if (a == "--config") config_path = v;
    else if (a == "--lang") lang = v;
    else dirs.push_back(v);
  }
  if (format != "table" && format != "csv" && format != "json") return fail(err, "--format: expected table, csv or json");
  for (auto* d : {&q.from, &q.to})
    if (!d->empty() && (d->size() != 10 || (*d)[4] != '-' || (*d)[7] != '-'))
      return fail(err, "\"" + *d + "\" is not a date (YYYY-MM-DD)");
  try {
    KioskConfig config;
    if (!config_path.empty()) config = load_config(config_path);
    if (dirs.empty()) dirs.push_back(config.data_dir);
    if (lang.empty()) lang = config.locales.front();
    Survey survey = Survey::load(resolve(config.survey_file, data_root), config.locales);
    std::vector<LevelName> levels;
    for (auto& l : survey.levels) levels.push_back({l.value, l.label.in(lang)});
    std::vector<Stats> parts;
    for (auto& d : dirs) {
      if (!std::filesystem::exists(d + "/history.sqlite")) return fail(err, d + "/history.sqlite: no kiosk history here");
      parts.push_back(compute_stats(d + "/history.sqlite", d + "/outbox/outbox.sqlite", q));
    }
    Stats s = merge_stats(parts);
    if (format == "json") out << stats_json(s, q).dump(2) << "\n";
    else if (format == "csv") out << stats_csv(s, levels);
    else out << stats_table(s, q, levels);
    return 0;
  } catch (const std::exception& e) {
    return fail(err, e.what());
  }
}

}  // namespace motcua
