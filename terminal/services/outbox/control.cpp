#include "terminal/services/outbox/control.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace motcua::outbox {

namespace {

constexpr size_t kMaxLine = 256;  // "retry" and a reference; anything longer is not ours

bool address(const std::string& path, sockaddr_un& a) {
  std::memset(&a, 0, sizeof a);
  a.sun_family = AF_UNIX;
  if (path.size() >= sizeof a.sun_path) return false;
  std::memcpy(a.sun_path, path.c_str(), path.size() + 1);
  return true;
}

// Reads up to a newline within the time left; false on timeout, error or an over-long line.
bool read_line(int fd, std::string& line, int timeout_ms) {
  line.clear();
  char c;
  while (line.size() < kMaxLine) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) <= 0) return false;
    ssize_t n = ::read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return !line.empty();
    if (c == '\n') return true;
    line.push_back(c);
  }
  return false;
}

void write_all(int fd, const std::string& s) {
  size_t done = 0;
  while (done < s.size()) {
    ssize_t n = ::send(fd, s.data() + done, s.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

}  // namespace

ControlServer::ControlServer(std::string socket_path, std::function<std::string(const std::string&)> handler)
    : path_(std::move(socket_path)), handler_(std::move(handler)) {
  sockaddr_un a;
  if (!address(path_, a)) throw std::runtime_error(path_ + ": path too long for a unix socket");
  ::unlink(path_.c_str());  // a previous owner's, left by a crash (we hold the folder's lock)
  listen_fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) throw std::runtime_error(path_ + ": " + std::strerror(errno));
  mode_t old = ::umask(0117);  // born 0660: never a moment open to others
  int rc = ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
  ::umask(old);
  if (rc != 0 || ::listen(listen_fd_, 4) != 0 || ::pipe2(stop_pipe_, O_CLOEXEC) != 0) {
    std::string msg = std::strerror(errno);
    ::close(listen_fd_);
    throw std::runtime_error(path_ + ": " + msg);
  }
  ::chmod(path_.c_str(), 0660);
  thread_ = std::thread([this] { run(); });
}

ControlServer::~ControlServer() {
  if (stop_pipe_[1] >= 0 && ::write(stop_pipe_[1], "x", 1) < 0) {}
  if (thread_.joinable()) thread_.join();
  ::close(listen_fd_);
  ::close(stop_pipe_[0]);
  ::close(stop_pipe_[1]);
  ::unlink(path_.c_str());
}

void ControlServer::run() {
  while (true) {
    pollfd p[2] = {{listen_fd_, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
    if (::poll(p, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (p[1].revents) return;
    int c = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (c < 0) continue;
    std::string line;
    // One client at a time, each bounded in time and size: a stuck client cannot hold the owner.
    if (read_line(c, line, 2000)) {
      std::string answer;
      try {
        answer = handler_(line);
      } catch (const std::exception& e) {
        answer = std::string("error ") + e.what();
      }
      write_all(c, answer + "\n");
    }
    ::close(c);
  }
}

std::optional<std::string> control_request(const std::string& socket_path, const std::string& line, int timeout_ms) {
  sockaddr_un a;
  if (!address(socket_path, a)) return std::nullopt;
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return std::nullopt;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return std::nullopt;
  }
  write_all(fd, line + "\n");
  std::string answer;
  bool ok = read_line(fd, answer, timeout_ms);
  ::close(fd);
  if (!ok) return std::nullopt;
  return answer;
}

}  // namespace motcua::outbox
