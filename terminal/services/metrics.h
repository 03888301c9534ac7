// Fleet health for Prometheus: the kiosk writes its figures to node_exporter's textfile collector
// folder (docs/operations.md), one file per kiosk, replaced atomically so a scrape never reads
// half a file. No personal data: counts, ages and states only.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace motcua {

struct KioskHealth {
  std::string kiosk_id, version;
  int outbox_waiting = 0;
  std::int64_t oldest_waiting_age_s = 0;  // 0 when nothing waits
  std::int64_t last_sent_unix = 0;        // 0: nothing sent yet
  std::string printer_state = "unknown";  // ok, sent (no status channel), paper_near_end, paper_out, not_confirmed, offline, unknown
  std::optional<bool> card_reader_present;  // none: card reading is off (cardReader "none")
  int sessions_today = 0, submissions_today = 0, help_calls_today = 0;
  std::int64_t starts_total = 0, unclean_exits_total = 0;
};

// The Prometheus text exposition format (version 0.0.4) of `h`.
std::string prometheus_text(const KioskHealth& h);

// Writes `text` as DIR/motcua.prom: a temporary file beside it, fsync, rename. False with a reason.
bool write_textfile(const std::string& dir, const std::string& text, std::string& error);

// Counts this start in DIR/starts.json and tells whether the previous run ended without saying
// goodbye (a crash, kill -9, a watchdog restart). clean_exit() says goodbye.
struct StartCount {
  std::int64_t starts = 0, unclean_exits = 0;
};
StartCount count_start(const std::string& state_dir);
void clean_exit(const std::string& state_dir);

}  // namespace motcua
