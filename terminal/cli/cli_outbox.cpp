#include "terminal/cli/cli_outbox.h"

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <ostream>

#include <nlohmann/json.hpp>

#include "terminal/core/config.h"
#include "terminal/services/outbox/control.h"
#include "terminal/services/outbox/store.h"

namespace motcua {

const char* kOutboxHelp = R"(Outbox (dossiers waiting for the portal; no personal data is shown):
  motcua outbox status [--config FILE] [--json]
      waiting, sent and rejected counts, the oldest waiting age, the last error, a pause
  motcua outbox list [--config FILE] [--json] [--state waiting|sent|rejected]
      one line per dossier: kiosk reference, procedure, state, attempts, age, portal code, error
      (--json also: papersScanned, papersAtCounter, the dossier's papers as counts)
  motcua outbox retry [REFERENCE] [--config FILE]
      send everything waiting now and lift a pause; with REFERENCE, queue a rejected dossier again
  status and list open the outbox read-only and change nothing, even while the kiosk runs,
  and read an outbox an older MotCua left as it is (one newer than this program is refused);
  retry asks the running kiosk (DATA_DIR/outbox/control.sock: root, the kiosk's account and
  the staffGroup only) or, when no kiosk runs, takes the outbox itself.
  Exit status: 0 ok, 1 the running kiosk did not answer, 2 unusable input (bad option,
  configuration, no outbox yet, unknown reference).
)";

namespace {

std::string age(std::int64_t since, std::int64_t now) {
  if (since <= 0) return "-";
  std::int64_t s = std::max<std::int64_t>(now - since, 0);
  if (s < 120) return std::to_string(s) + " s";
  if (s < 7200) return std::to_string(s / 60) + " min";
  if (s < 172800) return std::to_string(s / 3600) + " h";
  return std::to_string(s / 86400) + " d";
}

int fail(std::ostream& err, const std::string& msg) {
  err << "motcua outbox: " << msg << "\n";
  return 2;
}

}  // namespace

int outbox_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty()) return fail(err, "expected status, list or retry\n" + std::string(kOutboxHelp));
  std::string command = args[0], config_path, state_filter, reference;
  bool as_json = false;
  if (const char* c = std::getenv("MOTCUA_CONFIG")) config_path = c;
  for (size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--json") as_json = true;
    else if (args[i] == "--config" || args[i] == "--state") {
      if (i + 1 >= args.size()) return fail(err, args[i] + " needs a value");
      std::string& target = args[i] == "--config" ? config_path : state_filter;
      target = args[++i];
    } else if (args[i].rfind("--", 0) == 0) return fail(err, "unknown option " + args[i]);
    else if (command == "retry" && reference.empty()) reference = args[i];
    else return fail(err, "unexpected argument " + args[i]);
  }
  if (command != "status" && command != "list" && command != "retry") return fail(err, "unknown command " + command);
  if (!state_filter.empty() && state_filter != "waiting" && state_filter != "sent" && state_filter != "rejected")
    return fail(err, "--state: expected waiting, sent or rejected");

  KioskConfig config;
  try {
    if (!config_path.empty()) config = load_config(config_path);
  } catch (const std::exception& e) {
    return fail(err, e.what());
  }
  std::string dir = config.data_dir + "/outbox";
  if (!std::filesystem::exists(dir + "/outbox.sqlite"))
    return fail(err, dir + ": no outbox yet (a kiosk with \"endpoint\": \"demo\" keeps none)");
  try {
    std::int64_t now = std::time(nullptr);
    if (command == "retry") {
      // One owner: a running kiosk changes its own outbox when asked; only without one do we take it.
      std::string done = (reference.empty() ? "every waiting dossier is due now" : reference + " queued again") +
                         std::string("; the queue is not paused\n");
      std::string request = "retry" + (reference.empty() ? "" : " " + reference);
      for (int attempt = 0; attempt < 2; ++attempt) {
        if (auto answer = outbox::control_request(dir + "/control.sock", request)) {
          if (answer->rfind("ok", 0) == 0) {
            out << done;
            return 0;
          }
          return fail(err, answer->rfind("error ", 0) == 0 ? answer->substr(6) : *answer);
        }
        try {
          outbox::Store store(dir);
          int n = store.retry_now(reference);
          if (!reference.empty() && n == 0) return fail(err, reference + ": no waiting or rejected dossier with this reference");
          out << done;
          return 0;
        } catch (const outbox::OwnerBusy& e) {
          if (attempt == 1) {  // a kiosk owns it but its control socket does not answer
            err << "motcua outbox: " << e.what() << "; it did not answer on " << dir << "/control.sock\n";
            return 1;
          }
        }
      }
    }
    outbox::Store store(dir, outbox::ReadOnly{});
    if (command == "status") {
      outbox::Summary s = store.summary();
      if (as_json) {
        out << nlohmann::json{{"waiting", s.waiting}, {"sent", s.sent}, {"rejected", s.rejected},
                              {"oldestWaitingSeconds", s.oldest_waiting_created_at ? now - s.oldest_waiting_created_at : 0},
                              {"lastError", s.last_error}, {"paused", s.paused}}
                   .dump(2)
            << "\n";
        return 0;
      }
      out << "waiting   " << s.waiting << (s.waiting ? " (oldest " + age(s.oldest_waiting_created_at, now) + ")" : "") << "\n";
      out << "sent      " << s.sent << "\n";
      out << "rejected  " << s.rejected << (s.rejected ? " (need staff: motcua outbox list --state rejected)" : "") << "\n";
      if (!s.paused.empty()) out << "PAUSED    " << s.paused << " (fix the kiosk's token, then: motcua outbox retry)\n";
      if (!s.last_error.empty()) out << "last error " << s.last_error << "\n";
      return 0;
    }
    nlohmann::json rows = nlohmann::json::array();
    for (auto& it : store.list(100000)) {
      if (!state_filter.empty() && it.state != state_filter) continue;
      rows.push_back({{"kioskReference", it.kiosk_reference}, {"kind", it.kind}, {"procedure", it.procedure},
                      {"state", it.state}, {"attempts", it.attempts}, {"ageSeconds", now - it.created_at},
                      {"portalCode", it.portal_code}, {"lastError", it.last_error},
                      {"papersScanned", it.papers_scanned}, {"papersAtCounter", it.papers_at_counter}});
    }
    if (as_json) {
      out << rows.dump(2) << "\n";
      return 0;
    }
    for (auto& r : rows) {
      std::string code = r["portalCode"].get<std::string>();
      out << r["kioskReference"].get<std::string>() << "  " << r["procedure"].get<std::string>() << "  "
          << r["state"].get<std::string>() << "  tries " << r["attempts"].get<int>() << "  "
          << age(now - r["ageSeconds"].get<std::int64_t>(), now) << "  " << (code.empty() ? "-" : code);
      if (!r["lastError"].get<std::string>().empty()) out << "  " << r["lastError"].get<std::string>();
      out << "\n";
    }
    if (rows.empty()) out << "(none)\n";
    return 0;
  } catch (const std::exception& e) {
    return fail(err, e.what());
  }
}

}  // namespace motcua
