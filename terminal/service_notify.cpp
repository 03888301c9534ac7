#include "terminal/service_notify.h"

#include <systemd/sd-daemon.h>

namespace motcua {

ServiceNotifier::ServiceNotifier() {
  uint64_t usec = 0;
  // unset_environment = 0: the kiosk's children (none today) may not need it, but a restart via
  // exec would; sd_watchdog_enabled also checks WATCHDOG_PID against this process.
  if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0)
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
