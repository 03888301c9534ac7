#include "tests/support/fake_printer.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include "tests/support/escpos_decoder.h"

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

int FakePrinter::confirmations() {
  std::lock_guard<std::mutex> l(m_);
  return confirmations_;
}

uint8_t FakePrinter::answer(uint8_t n, long received) const {
  bool out = b_.paper_out || (b_.paper_out_after_bytes >= 0 && received >= b_.paper_out_after_bytes);
  uint8_t s = 0x12;  // bits 1 and 4 always set
  if (n == 1 && (out || b_.cover_open)) s |= 0x08;  // offline
  if (n == 2) { if (b_.cover_open) s |= 0x04; if (out) s |= 0x20; }
  if (n == 4 && out) s |= 0x6C;
  if (n == 4 && b_.paper_near_end) s |= 0x0C;
  return s;
}

void FakePrinter::serve() {
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    std::vector<uint8_t> pending;  // commands arrive split across reads
    long taken = 0;                // bytes read off the socket
    bool hung_up = false;
    auto started = std::chrono::steady_clock::now();
    auto reply = [&](std::vector<uint8_t> bytes) {
      if (!b_.mute) (void)::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);  // the kiosk may have hung up
    };
    while (!stop_) {
      size_t want = 4096;
      if (b_.stop_reading || (b_.stall_after_bytes >= 0 && taken >= b_.stall_after_bytes)) { usleep(20000); continue; }
      if (b_.stall_after_bytes >= 0) want = std::min<size_t>(want, static_cast<size_t>(b_.stall_after_bytes - taken));
      if (b_.bytes_per_second > 0) {  // read no faster than the paper moves
        double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        long allowed = static_cast<long>(elapsed * b_.bytes_per_second) - taken;
        if (allowed <= 0) { usleep(5000); continue; }
        want = std::min<size_t>(want, static_cast<size_t>(allowed));
      }
      pollfd q{fd, POLLIN, 0};
      if (poll(&q, 1, 50) <= 0) continue;
      uint8_t buf[4096];
      ssize_t n = ::read(fd, buf, want);
      if (n <= 0) break;
      taken += n;
      if (b_.hang_up_after_bytes >= 0 && taken >= b_.hang_up_after_bytes) break;
      pending.insert(pending.end(), buf, buf + n);
      size_t i = 0;
      std::lock_guard<std::mutex> l(m_);
      while (i < pending.size()) {
        size_t len = 0;
        try {
          len = command_length(pending, i);
        } catch (const DecodeError&) {
          len = 1;  // a byte no command starts with: printers print it as text
        }
        if (len == 0) break;
        bool out = b_.paper_out || (b_.paper_out_after_bytes >= 0 && static_cast<long>(job_.size()) >= b_.paper_out_after_bytes);
        bool printing = !out && !b_.cover_open && !b_.no_confirm;
        if (pending[i] == 0x10 && len == 3) {
          reply({answer(pending[i + 2], static_cast<long>(job_.size()))});
        } else if (b_.hang_up_when_asked && pending[i] == 0x1D && (pending[i + 1] == 0x28 || pending[i + 1] == 0x72)) {
          hung_up = true;
          break;
        } else if (pending[i] == 0x1D && pending[i + 1] == 0x28 && pending[i + 2] == 0x48) {
          if (printing) {  // everything before it is on paper: 37 22 id 00
            reply({0x37, 0x22, pending[i + 7], pending[i + 8], pending[i + 9], pending[i + 10], 0x00});
            if (!b_.mute) ++confirmations_;
          }
        } else if (pending[i] == 0x1D && pending[i + 1] == 0x72) {
          if (printing) {
            reply({static_cast<uint8_t>(b_.paper_near_end ? 0x03 : 0x00)});
            if (!b_.mute) ++confirmations_;
          }
        } else {
          job_.insert(job_.end(), pending.begin() + static_cast<long>(i), pending.begin() + static_cast<long>(i + len));
        }
        i += len;
      }
      pending.erase(pending.begin(), pending.begin() + static_cast<long>(i));
      if (hung_up) break;
    }
    ::close(fd);
  }
}

}  // namespace motcua::test
