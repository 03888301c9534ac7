#include "tests/card/vpcd_link.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

namespace motcua::card::testing {

namespace {
bool read_exact(int fd, uint8_t* p, size_t n, std::atomic<bool>& stop) {
  while (n > 0) {
    pollfd pfd{fd, POLLIN, 0};
    int ready = ::poll(&pfd, 1, 100);
    if (stop) return false;
    if (ready <= 0) continue;
    ssize_t got = ::recv(fd, p, n, 0);
    if (got <= 0) return false;
    p += got;
    n -= size_t(got);
  }
  return true;
}

bool send_frame(int fd, std::span<const uint8_t> payload) {
  Bytes frame = {uint8_t(payload.size() >> 8), uint8_t(payload.size())};
  append(frame, payload);
  return ::send(fd, frame.data(), frame.size(), MSG_NOSIGNAL) == ssize_t(frame.size());
}
}  // namespace

std::string serve_over_vpcd(VirtualCccd& card, const std::string& host, int port, std::atomic<bool>& stop,
                            int connect_timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(connect_timeout_ms);
  int fd = -1;
  while (!stop) {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(uint16_t(port));
    inet_pton(AF_INET, host.c_str(), &addr.sin_addr);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) break;
    ::close(fd);
    fd = -1;
    if (std::chrono::steady_clock::now() > deadline) return "no vpcd listening on port " + std::to_string(port);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (fd < 0) return "stopped";
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  std::string reason = "link closed";
  int commands = 0;
  auto arrived = std::chrono::steady_clock::now();
  std::atomic<bool> leave{false};
  // A card lifted off at a set moment: the reader sees the link go, whatever it was doing.
  std::thread leaver;
  if (card.faults().leave_after_seconds >= 0)
    leaver = std::thread([&] {
      while (!stop && !leave) {
        if (std::chrono::steady_clock::now() - arrived > std::chrono::duration<double>(card.faults().leave_after_seconds)) {
          leave = true;
          ::shutdown(fd, SHUT_RDWR);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    });
  while (!stop) {
    uint8_t head[2];
    if (!read_exact(fd, head, 2, stop)) {
      if (leave) reason = "left the reader";
      break;
    }
    size_t len = size_t(head[0] << 8 | head[1]);
    Bytes payload(len);
    if (len && !read_exact(fd, payload.data(), len, stop)) break;
    if (len == 1) {
      if (payload[0] == 4) send_frame(fd, card.atr());
      else card.reset();  // power off, power on and reset all end every session
      continue;
    }
    ++commands;
    if (card.faults().remove_after >= 0 && commands > card.faults().remove_after) {
      reason = "removed after " + std::to_string(card.faults().remove_after) + " commands";
      break;
    }
    if (card.faults().mute_after >= 0 && commands > card.faults().mute_after) {
      reason = "mute";
      while (!stop) std::this_thread::sleep_for(std::chrono::milliseconds(50));
      break;
    }
    if (card.faults().more_data_after >= 0 && commands > card.faults().more_data_after) {
      if (!send_frame(fd, Bytes{0x61, 0x00})) break;  // GET RESPONSE or not: always more to come
      continue;
    }
    if (!send_frame(fd, card.process(payload))) break;
  }
  leave = true;
  if (leaver.joinable()) leaver.join();
  ::close(fd);
  return stop ? "stopped" : reason;
}

}  // namespace motcua::card::testing
