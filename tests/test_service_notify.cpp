// The kiosk's own sd_notify: the datagram systemd reads, on a path and on an abstract socket.
#include <doctest/doctest.h>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

#include "terminal/services/service_notify.h"
#include "tests/support/files.h"

using namespace motcua;

namespace {

// A stand-in for systemd's notify socket, bound at name ('@' for the abstract namespace).
struct NotifySocket {
  int fd = -1;
  explicit NotifySocket(const std::string& name) {
    fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, name.data(), name.size());
    socklen_t size = sizeof address;  // a path: the kernel reads up to its NUL
    if (name[0] == '@') {
      // An abstract name is exactly the bytes given: the leading NUL and the name after '@'.
      address.sun_path[0] = '\0';
      size = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + std::strlen(name.c_str() + 1));
    }
    REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&address), size) == 0);
    setenv("NOTIFY_SOCKET", name.c_str(), 1);
  }
  ~NotifySocket() {
    unsetenv("NOTIFY_SOCKET");
    close(fd);
  }
  std::string received() {
    char buf[256];
    ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
  }
};

}  // namespace

TEST_CASE("a READY that systemd's full queue refused is sent again from the loop's wakes until it arrives") {
  test::TempDir dir;
  NotifySocket systemd(dir / "notify");
  for (int i = 0; i < 100000 && notify_service_manager("WATCHDOG=1", NotifyQueueFull::drop); ++i) {
  }
  ServiceNotifier notifier;  // no watchdog set: only READY is due
  notifier.ready();          // the queue stays full for the whole second
  REQUIRE(notifier.next_ping().has_value());  // the loop will wake to try again
  TimePoint retry = *notifier.next_ping();
  notifier.alive(retry - std::chrono::milliseconds(1));  // not yet due: nothing sent, no wait
  auto started = std::chrono::steady_clock::now();
  notifier.alive(retry);  // due, and the queue still full: a retry does not wait its second
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(200));
  REQUIRE(notifier.next_ping().has_value());
  retry = *notifier.next_ping();
  while (!systemd.received().empty()) {
  }
  notifier.alive(retry);
  CHECK(systemd.received() == "READY=1\nSTATUS=serving citizens");
  CHECK_FALSE(notifier.next_ping().has_value());  // sent: nothing more due without a watchdog
  notifier.alive(retry + std::chrono::seconds(5));
  CHECK(systemd.received().empty());  // READY once
}

TEST_CASE("sd_notify without libsystemd: systemd's socket gets the message as one datagram") {
  SUBCASE("a socket on a path") {
    test::TempDir dir;
    NotifySocket systemd(dir / "notify");
    CHECK(notify_service_manager("READY=1\nSTATUS=serving citizens", NotifyQueueFull::wait));
    CHECK(systemd.received() == "READY=1\nSTATUS=serving citizens");
    CHECK(systemd.received().empty());
  }
  SUBCASE("an abstract socket, named with '@'") {
    NotifySocket systemd("@motcua-test-notify-" + std::to_string(getpid()));
    CHECK(notify_service_manager("WATCHDOG=1", NotifyQueueFull::drop));
    CHECK(systemd.received() == "WATCHDOG=1");
  }
  SUBCASE("a full queue: a watchdog ping is dropped at once, READY waits for systemd to read") {
    test::TempDir dir;
    NotifySocket systemd(dir / "notify");
    int queued = 0;
    while (queued < 100000 && notify_service_manager("WATCHDOG=1", NotifyQueueFull::drop)) ++queued;
    REQUIRE(queued < 100000);  // the queue filled (net.unix.max_dgram_qlen)
    auto started = std::chrono::steady_clock::now();
    CHECK_FALSE(notify_service_manager("WATCHDOG=1", NotifyQueueFull::drop));
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(100));
    std::thread reader([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      systemd.received();  // systemd gets round to it
    });
    CHECK(notify_service_manager("READY=1", NotifyQueueFull::wait));
    reader.join();
    std::string last;
    for (std::string m; !(m = systemd.received()).empty(); --queued) last = m;
    CHECK(queued == 0);  // every ping queued and READY, nothing else
    CHECK(last == "READY=1");  // READY arrived, after the pings
  }
  SUBCASE("no socket, or one that cannot be meant: nothing sent and nothing fails") {
    unsetenv("NOTIFY_SOCKET");
    CHECK_FALSE(notify_service_manager("READY=1", NotifyQueueFull::drop));
    setenv("NOTIFY_SOCKET", "relative/notify", 1);
    CHECK_FALSE(notify_service_manager("READY=1", NotifyQueueFull::drop));
    setenv("NOTIFY_SOCKET", ("/" + std::string(200, 'x')).c_str(), 1);  // longer than sun_path
    CHECK_FALSE(notify_service_manager("READY=1", NotifyQueueFull::drop));
    setenv("NOTIFY_SOCKET", "/nonexistent/motcua/notify", 1);
    CHECK_FALSE(notify_service_manager("READY=1", NotifyQueueFull::drop));
    unsetenv("NOTIFY_SOCKET");
  }
}
