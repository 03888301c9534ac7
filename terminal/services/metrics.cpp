#include "terminal/services/metrics.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace motcua {
namespace {

// Label values escape backslash, quote and newline (exposition format).
std::string label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') { out += "\\n"; continue; }
    out += c;
  }
  return out;
}

void metric(std::ostringstream& out, const char* name, const char* type, const char* help, const std::string& labels,
            double value) {
  out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n'
      << name << '{' << labels << "} " << value << '\n';
}

bool write_all(int fd, const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

std::string prometheus_text(const KioskHealth& h) {
  std::ostringstream out;
  out.precision(15);
  const std::string kiosk = "kiosk=\"" + label(h.kiosk_id) + "\"";
  metric(out, "motcua_build_info", "gauge", "The kiosk's version.", kiosk + ",version=\"" + label(h.version) + "\"", 1);
  metric(out, "motcua_outbox_waiting", "gauge", "Dossiers and evaluations waiting for the portal.", kiosk,
         h.outbox_waiting);
  metric(out, "motcua_outbox_oldest_waiting_seconds", "gauge", "Age of the oldest waiting item; 0 when none waits.",
         kiosk, static_cast<double>(h.oldest_waiting_age_s));
  metric(out, "motcua_outbox_last_sent_timestamp_seconds", "gauge",
         "When the portal last accepted an item (Unix time); 0: never.", kiosk, static_cast<double>(h.last_sent_unix));
  out << "# HELP motcua_printer_state The receipt printer's state: 1 for the current one.\n"
         "# TYPE motcua_printer_state gauge\n";
  for (const char* s : {"ok", "sent", "paper_near_end", "paper_out", "not_confirmed", "offline", "unknown"})
    out << "motcua_printer_state{" << kiosk << ",state=\"" << s << "\"} " << (h.printer_state == s ? 1 : 0) << '\n';
  if (h.card_reader_present)  // absent when card reading is off, so no alert fires for it
    metric(out, "motcua_card_reader_present", "gauge", "1 when a chip card reader is connected.", kiosk,
           *h.card_reader_present ? 1 : 0);
  metric(out, "motcua_sessions_today", "gauge", "Citizen sessions started today.", kiosk, h.sessions_today);
  metric(out, "motcua_submissions_today", "gauge", "Dossiers confirmed by citizens today.", kiosk, h.submissions_today);
  metric(out, "motcua_help_calls_today", "gauge", "Calls for help from the kiosk today.", kiosk, h.help_calls_today);
  metric(out, "motcua_starts_total", "counter", "Times the kiosk started.", kiosk, static_cast<double>(h.starts_total));
  metric(out, "motcua_unclean_exits_total", "counter",
         "Runs that ended without a clean exit (crash, kill, watchdog).", kiosk,
         static_cast<double>(h.unclean_exits_total));
  return out.str();
}

bool write_textfile(const std::string& dir, const std::string& text, std::string& error) {
  // node_exporter only reads *.prom: the temporary name must not end so.
  const std::string path = dir + "/motcua.prom", tmp = dir + "/.motcua.prom.tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    error = tmp + ": " + std::strerror(errno);
    return false;
  }
  ::fchmod(fd, 0644);  // the collector runs as another user; the figures hold no personal data
  bool ok = write_all(fd, text) && ::fsync(fd) == 0;
  int saved = errno;
  ::close(fd);
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    error = path + ": " + std::strerror(ok ? errno : saved);
    std::remove(tmp.c_str());
    return false;
  }
  return true;
}

StartCount count_start(const std::string& state_dir) {
  StartCount c;
  const std::string path = state_dir + "/starts.json";
  try {
    std::ifstream in(path);
    if (in) {
      auto j = nlohmann::json::parse(in);
      c.starts = j.value("starts", std::int64_t{0});
      c.unclean_exits = j.value("uncleanExits", std::int64_t{0});
      if (j.value("running", false)) ++c.unclean_exits;
    }
  } catch (const std::exception&) {
    // A damaged counter file starts the counts again rather than stopping the kiosk.
    c = {};
  }
  ++c.starts;
  std::error_code ec;
  std::filesystem::create_directories(state_dir, ec);
  std::ofstream(path + ".tmp") << nlohmann::json{{"starts", c.starts}, {"uncleanExits", c.unclean_exits}, {"running", true}};
  std::rename((path + ".tmp").c_str(), path.c_str());
  return c;
}

void clean_exit(const std::string& state_dir) {
  const std::string path = state_dir + "/starts.json";
  try {
    std::ifstream in(path);
    auto j = nlohmann::json::parse(in);
    j["running"] = false;
    std::ofstream(path + ".tmp") << j;
    std::rename((path + ".tmp").c_str(), path.c_str());
  } catch (const std::exception&) {
  }
}

}  // namespace motcua
