#include "terminal/services/service_notify.h"

#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

namespace motcua {

ServiceNotifier::ServiceNotifier() {
  // Under motcua-kiosk.service the main process is cage and the kiosk its child: systemd's
  // WATCHDOG_PID names cage, so sd_watchdog_enabled() would say no. The watchdog is meant for
  // this process too when WATCHDOG_PID is itself or its parent (NotifyAccess=all lets it ping).
  const char* sock = std::getenv("NOTIFY_SOCKET");
  const char* usec_text = std::getenv("WATCHDOG_USEC");
  const char* pid_text = std::getenv("WATCHDOG_PID");
  if (!sock || !*sock || !usec_text) return;
  char* end = nullptr;
  errno = 0;
  unsigned long long usec = std::strtoull(usec_text, &end, 10);
  if (errno || *end || usec == 0 || usec > 24ull * 3600 * 1000000) return;
  if (pid_text) {
    long pid = std::strtol(pid_text, &end, 10);
    if (*end || (pid != getpid() && pid != getppid())) return;
  }
  interval_ = std::chrono::duration_cast<SteadyClock::duration>(std::chrono::microseconds(usec / 2));
}

void ServiceNotifier::ready() {
  if (ready_sent_) return;
  ready_sent_ = true;
  sd_notify(0, "READY=1\nSTATUS=serving citizens");
  last_ping_ = SteadyClock::now();
}

std::optional<TimePoint> ServiceNotifier::next_ping() const {
  if (!interval_ || !ready_sent_) return std::nullopt;
  return last_ping_ + *interval_;
}

void ServiceNotifier::alive(TimePoint now) {
  auto due = next_ping();
  if (!due || now < *due) return;
  sd_notify(0, "WATCHDOG=1");
  last_ping_ = now;
}

}  // namespace motcua
