#include "terminal/services/outbox/control.h"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <thread>
#include <vector>

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
// timeout_ms is for the whole line: a client that trickles a byte at a time cannot stretch it.
bool read_line(int fd, std::string& line, int timeout_ms) {
  line.clear();
  char c;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (line.size() < kMaxLine) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0) return false;
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

// The staff group's id, or -1 when it is not configured or not on this system.
long group_id(const std::string& name) {
  if (name.empty()) return -1;
  std::vector<char> buf(16384);
  group g{}, *found = nullptr;
  if (::getgrnam_r(name.c_str(), &g, buf.data(), buf.size(), &found) != 0 || !found) return -1;
  return static_cast<long>(found->gr_gid);
}

}  // namespace

ControlServer::ControlServer(std::string socket_path, std::function<std::string(const std::string&)> handler,
                             const std::string& staff_group)
    : path_(std::move(socket_path)), handler_(std::move(handler)), staff_gid_(group_id(staff_group)) {
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
  if (staff_gid_ >= 0) {
    // Staff reach the socket by name through its folder: group search permission, nothing more.
    size_t slash = path_.rfind('/');
    std::string folder = slash == std::string::npos ? std::string(1, '.') : path_.substr(0, std::max<size_t>(slash, 1));
    if (::chown(path_.c_str(), static_cast<uid_t>(-1), static_cast<gid_t>(staff_gid_)) != 0 ||
        ::chown(folder.c_str(), static_cast<uid_t>(-1), static_cast<gid_t>(staff_gid_)) != 0 || ::chmod(folder.c_str(), 0710) != 0)
      std::fprintf(stderr, "motcua: staff alert: %s: cannot hand the control socket to the staff group: %s\n", path_.c_str(),
                   std::strerror(errno));
  }
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

bool ControlServer::allowed(int fd) const {
  ucred cred{};
  socklen_t len = sizeof cred;
  if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) return false;
  if (cred.uid == 0 || cred.uid == ::geteuid()) return true;
  if (staff_gid_ < 0) return false;
  if (cred.gid == static_cast<gid_t>(staff_gid_)) return true;
  std::vector<gid_t> groups(256);  // the peer's supplementary groups
  len = static_cast<socklen_t>(groups.size() * sizeof(gid_t));
  if (::getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups.data(), &len) != 0) return false;
  for (size_t i = 0; i < len / sizeof(gid_t); ++i)
    if (groups[i] == static_cast<gid_t>(staff_gid_)) return true;
  return false;
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
    if (c < 0) {
      // Out of descriptors or memory, the listener stays readable: wait a little, never spin.
      if (errno != EINTR && errno != ECONNABORTED) std::this_thread::sleep_for(std::chrono::milliseconds(100));
      continue;
    }
    std::string line;
    if (!allowed(c)) {
      write_all(c, "error not allowed: root, the kiosk's account and the staff group only\n");
      ::close(c);
      continue;
    }
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
