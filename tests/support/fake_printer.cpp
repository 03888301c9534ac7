#include "tests/support/fake_printer.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace motcua::test {

FakePrinter::FakePrinter(Behaviour b) : b_(b) {
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || listen(listen_fd_, 4) != 0)
    throw std::runtime_error("fake printer: cannot listen on 127.0.0.1");
  socklen_t len = sizeof a;
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len);
  port_ = ntohs(a.sin_port);
  thread_ = std::thread([this] { serve(); });
}

FakePrinter::~FakePrinter() {
  stop_ = true;
  thread_.join();
  ::close(listen_fd_);
}

std::vector<uint8_t> FakePrinter::received() {
  std::lock_guard<std::mutex> l(m_);
  return job_;
}

uint8_t FakePrinter::answer(uint8_t n, long received) const {
  bool out = b_.paper_out || (b_.paper_out_after_bytes >= 0 && received >= b_.paper_out_after_bytes);
  uint8_t s = 0x12;  // bits 1 and 4 always set
  if (n == 1 && (out || b_.cover_open)) s |= 0x08;  // offline
  if (n == 2) { if (b_.cover_open) s |= 0x04; if (out) s |= 0x20; }
  if (n == 4 && out) s |= 0x6C;
  return s;
}

void FakePrinter::serve() {
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    std::vector<uint8_t> pending;  // a DLE EOT may arrive split across reads
    while (!stop_) {
      if (b_.stop_reading) { usleep(20000); continue; }
      pollfd q{fd, POLLIN, 0};
      if (poll(&q, 1, 50) <= 0) continue;
      uint8_t buf[4096];
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n <= 0) break;
      pending.insert(pending.end(), buf, buf + n);
      size_t i = 0;
      std::lock_guard<std::mutex> l(m_);
      while (i < pending.size()) {
        if (pending[i] == 0x10) {
          if (i + 3 > pending.size()) break;
          if (pending[i + 1] == 0x04) {
            if (!b_.mute) {
              uint8_t s = answer(pending[i + 2], static_cast<long>(job_.size()));
              (void)::write(fd, &s, 1);
            }
            i += 3;
            continue;
          }
        }
        job_.push_back(pending[i++]);
      }
      pending.erase(pending.begin(), pending.begin() + static_cast<long>(i));
    }
    ::close(fd);
  }
}

}  // namespace motcua::test
