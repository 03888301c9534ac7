#include "terminal/services/service_notify.h"

#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace motcua {

// sd_notify's protocol (documented as stable in sd_notify(3)): one datagram to the AF_UNIX socket
// named by $NOTIFY_SOCKET, '@' meaning the abstract namespace. Written here rather than linked:
// libsystemd brings six libraries to every start (issue 22) for this one call. A full queue (many
// services starting at boot) is waited out for READY, up to a second: without it systemd stops
// the kiosk at its start timeout. A watchdog ping is dropped instead: the screen never stalls for
// it, and the next one comes at the next half interval.
bool notify_service_manager(std::string_view message, NotifyQueueFull when_full) {
  const char* socket_name = std::getenv("NOTIFY_SOCKET");
  if (!socket_name || (socket_name[0] != '/' && socket_name[0] != '@')) return false;
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const size_t length = std::strlen(socket_name);
  if (length < 2 || length >= sizeof address.sun_path) return false;
  std::memcpy(address.sun_path, socket_name, length);
  if (address.sun_path[0] == '@') address.sun_path[0] = '\0';
  // An abstract name is exactly its bytes; a path ends at its NUL.
  const auto address_size = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + length + (socket_name[0] == '/'));
  const int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  int flags = MSG_NOSIGNAL;
  if (when_full == NotifyQueueFull::drop) {
    flags |= MSG_DONTWAIT;
  } else {
    const timeval second{1, 0};
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &second, sizeof second);
  }
  const bool sent = sendto(fd, message.data(), message.size(), flags, reinterpret_cast<const sockaddr*>(&address),
                           address_size) == static_cast<ssize_t>(message.size());
  close(fd);
  return sent;
}

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

// READY is the one message systemd must get: a unit without it is stopped at its start timeout.
// One that could not be sent (a queue still full after a second) is sent again a second later,
// from the loop's wakes, up to kReadyTries times; then the kiosk goes on without it. Only the
// first try waits: a retry that finds the queue full is dropped at once, so the screen's thread
// stalls for one second at most, never one in every two.
constexpr int kReadyTries = 30;

void ServiceNotifier::ready() {
  if (ready_tries_ > 0) return;
  send_ready(SteadyClock::now());
}

void ServiceNotifier::send_ready(TimePoint now) {
  ++ready_tries_;
  const char* sock = std::getenv("NOTIFY_SOCKET");
  const bool under_systemd = sock && *sock;
  const NotifyQueueFull when_full = ready_tries_ == 1 ? NotifyQueueFull::wait : NotifyQueueFull::drop;
  ready_sent_ = notify_service_manager("READY=1\nSTATUS=serving citizens", when_full) || !under_systemd;
  last_ping_ = now;
}

std::optional<TimePoint> ServiceNotifier::next_ping() const {
  if (ready_tries_ > 0 && !ready_sent_ && ready_tries_ < kReadyTries) return last_ping_ + std::chrono::seconds(1);
  if (!interval_ || !ready_sent_) return std::nullopt;
  return last_ping_ + *interval_;
}

void ServiceNotifier::alive(TimePoint now) {
  auto due = next_ping();
  if (!due || now < *due) return;
  if (!ready_sent_) return send_ready(now);
  notify_service_manager("WATCHDOG=1", NotifyQueueFull::drop);
  last_ping_ = now;
}

}  // namespace motcua
