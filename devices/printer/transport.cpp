#include "devices/printer/transport.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <thread>

#include "devices/printer/lp.h"

namespace motcua::printer {

namespace {

std::string os_error(const std::string& what) { return what + ": " + std::strerror(errno); }

}  // namespace

void write_all(int fd, const std::vector<uint8_t>& bytes, int stall_ms, int total_ms, const std::string& name) {
  using clock = std::chrono::steady_clock;
  auto deadline = clock::now() + std::chrono::milliseconds(total_ms);
  auto stall_deadline = clock::now() + std::chrono::milliseconds(stall_ms);
  size_t done = 0;
  while (done < bytes.size()) {
    auto now = clock::now();
    if (now >= stall_deadline)
      throw PrintError(name + ": the printer stopped accepting data after " + std::to_string(done) + " of " +
                       std::to_string(bytes.size()) + " bytes (timeout)");
    if (now >= deadline) throw PrintError(name + ": the printer takes data too slowly (timeout)");
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(std::min(deadline, stall_deadline) - now).count();
    pollfd p{fd, POLLOUT, 0};
    int r = poll(&p, 1, static_cast<int>(std::max<long long>(1, left)));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) continue;
    if (p.revents & (POLLERR | POLLHUP))
      throw PrintError(name + ": the printer closed the connection after " + std::to_string(done) + " bytes");
    // A socket whose printer went away must give EPIPE, not kill the kiosk with SIGPIPE.
    ssize_t n = ::send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == ENOTSOCK) n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (n < 0 && (errno == EPIPE || errno == ECONNRESET))
      throw PrintError(name + ": the printer closed the connection after " + std::to_string(done) + " bytes");
    if (n < 0) throw PrintError(os_error(name + ": write failed"));
    done += static_cast<size_t>(n);
    if (n > 0) stall_deadline = clock::now() + std::chrono::milliseconds(stall_ms);
  }
}

namespace {

class FdTransport : public Transport {
 public:
  FdTransport(int fd, std::string name, bool bidirectional) : fd_(fd), name_(std::move(name)), bidi_(bidirectional) {
    struct stat st{};
    socket_ = fstat(fd_, &st) == 0 && S_ISSOCK(st.st_mode);
  }
  ~FdTransport() override { if (fd_ >= 0) ::close(fd_); }
  void write(const std::vector<uint8_t>& bytes, int stall_ms, int total_ms) override {
    write_all(fd_, bytes, stall_ms, total_ms, name_);
  }
  bool two_way() const override { return bidi_; }
  // A printer that hung up (switched off, cable pulled) answers nothing at the pace of a silent
  // one: the wait for its answer sleeps out its time instead of spinning on an empty read.
  std::vector<uint8_t> read(int timeout_ms) override {
    if (!bidi_) return {};
    if (!hung_up_) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, timeout_ms) <= 0) return {};
      if (p.revents & POLLIN) {
        uint8_t buf[256];
        ssize_t n = ::read(fd_, buf, sizeof buf);
        if (n > 0) return std::vector<uint8_t>(buf, buf + n);
        // 0 ends a socket or a hung-up line; from a USB printer it may be an empty answer.
        if (n == 0 && !socket_ && !(p.revents & POLLHUP)) return {};
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) return {};
        // One failed USB read (EIO) is not the end while the device is there: try again shortly.
        if (n < 0 && errno != ENODEV && errno != EBADF && errno != ECONNRESET && errno != ENOTCONN) {
          std::this_thread::sleep_for(std::chrono::milliseconds(std::min(timeout_ms, 50)));
          return {};
        }
      }
      hung_up_ = true;  // the end of the stream, the device gone, or a hang-up with nothing to read
    }
    if (timeout_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(timeout_ms));
    return {};
  }
  std::string describe() const override { return name_; }

 private:
  int fd_;
  std::string name_;
  bool bidi_;
  bool socket_ = false;
  bool hung_up_ = false;
};

class FileTransport : public Transport {
 public:
  explicit FileTransport(std::string path) : path_(std::move(path)) {}
  void write(const std::vector<uint8_t>& bytes, int, int) override {
    std::string path = path_;
    if (std::filesystem::is_directory(path_)) {
      char name[64];
      std::snprintf(name, sizeof name, "/job-%lld.escpos",
                    static_cast<long long>(std::chrono::system_clock::now().time_since_epoch().count()));
      path = path_ + name;
    }
    FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) throw PrintError(os_error(path + ": cannot write"));
    bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
    ok = (std::fflush(f) == 0) && ok && fsync(fileno(f)) == 0;
    std::fclose(f);
    if (!ok) throw PrintError(os_error(path + ": write failed"));
  }
  bool two_way() const override { return false; }
  std::vector<uint8_t> read(int) override { return {}; }
  std::string describe() const override { return "file:" + path_; }

 private:
  std::string path_;
};

class CupsTransport : public Transport {
 public:
  explicit CupsTransport(std::string queue) : queue_(std::move(queue)) {}
  void write(const std::vector<uint8_t>& bytes, int stall_ms, int total_ms) override {
    const std::string name = describe();
    LpRun run = run_lp({"-s", "-d", queue_, "-o", "raw"}, name, &bytes, stall_ms, total_ms);
    if (!run.ok()) throw PrintError(name + ": lp refused the job: " + run.why());
  }
  bool two_way() const override { return false; }  // CUPS has no back channel
  std::vector<uint8_t> read(int) override { return {}; }
  std::string describe() const override { return "cups:" + queue_; }

 private:
  std::string queue_;
};

int connect_tcp(const std::string& host, const std::string& port, int timeout_ms) {
  addrinfo hints{}, *res = nullptr;
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  if (getaddrinfo(host.c_str(), port.c_str(), &hints, &res) != 0 || !res)
    throw PrintError("tcp:" + host + ":" + port + ": unknown host");
  int fd = socket(res->ai_family, res->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int rc = fd < 0 ? -1 : ::connect(fd, res->ai_addr, res->ai_addrlen);
  freeaddrinfo(res);
  if (fd < 0) throw PrintError(os_error("tcp: socket"));
  if (rc < 0 && errno != EINPROGRESS) { ::close(fd); throw PrintError(os_error("tcp:" + host + ":" + port + ": cannot connect")); }
  pollfd p{fd, POLLOUT, 0};
  int err = 0;
  socklen_t len = sizeof err;
  if (poll(&p, 1, timeout_ms) <= 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 || err) {
    ::close(fd);
    throw PrintError("tcp:" + host + ":" + port + ": printer not reachable" + (err ? std::string(" (") + std::strerror(err) + ")" : " (timeout)"));
  }
  return fd;
}

}  // namespace

std::unique_ptr<Transport> open_transport(const std::string& target, int timeout_ms) {
  auto colon = target.find(':');
  std::string kind = target.substr(0, colon), rest = colon == std::string::npos ? "" : target.substr(colon + 1);
  if (rest.empty()) throw PrintError("printer \"" + target + "\": expected file:PATH, usb:DEVICE, tcp:HOST:PORT or cups:QUEUE");
  if (kind == "file") return std::make_unique<FileTransport>(rest);
  if (kind == "cups") return std::make_unique<CupsTransport>(rest);
  if (kind == "usb") {
    int fd = ::open(rest.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
    bool bidi = fd >= 0;
    if (fd < 0) fd = ::open(rest.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) throw PrintError(os_error("usb:" + rest + ": cannot open the printer (is it plugged in, is the kiosk user in group lp?)"));
    return std::make_unique<FdTransport>(fd, "usb:" + rest, bidi);
  }
  if (kind == "tcp") {
    auto last = rest.rfind(':');
    std::string host = last == std::string::npos ? rest : rest.substr(0, last);
    std::string port = last == std::string::npos ? "9100" : rest.substr(last + 1);
    return std::make_unique<FdTransport>(connect_tcp(host, port, timeout_ms), "tcp:" + host + ":" + port, true);
  }
  throw PrintError("printer \"" + target + "\": unknown kind \"" + kind + "\" (file, usb, tcp, cups)");
}

}  // namespace motcua::printer
