// Tells systemd how the kiosk is doing (sd_notify): ready once the first frame is on screen, and
// alive at half the watchdog interval while the event loop turns. Without systemd (a developer's
// run, the tests) every call does nothing.
#pragma once
#include <optional>
#include <string_view>

#include "terminal/core/session.h"

namespace motcua {

enum class NotifyQueueFull { wait, drop };  // wait: up to a second
// Sends message to systemd when $NOTIFY_SOCKET names its socket; false when not sent.
bool notify_service_manager(std::string_view message, NotifyQueueFull when_full);

class ServiceNotifier {
 public:
  ServiceNotifier();
  void ready();
  // When the loop must wake next: to stay within the watchdog, or to send a READY that systemd's
  // full queue refused again; none when neither is due.
  std::optional<TimePoint> next_ping() const;
  // Pings the watchdog, or sends READY again, if it is due at `now`.
  void alive(TimePoint now);

 private:
  std::optional<SteadyClock::duration> interval_;  // half of WatchdogSec
  void send_ready(TimePoint now);

  TimePoint last_ping_{};
  int ready_tries_ = 0;
  bool ready_sent_ = false;
};

}  // namespace motcua
