#include "devices/printer/transport.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "devices/printer/escpos.h"

namespace motcua::printer {

namespace {

std::string os_error(const std::string& what) { return what + ": " + std::strerror(errno); }

// Writes everything to a non-blocking descriptor within timeout_ms.
void write_all(int fd, const std::vector<uint8_t>& bytes, int timeout_ms, const std::string& name) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  size_t done = 0;
  while (done < bytes.size()) {
    int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count());
    if (left <= 0) throw PrintError(name + ": the printer stopped accepting data (timeout)");
    pollfd p{fd, POLLOUT, 0};
    int r = poll(&p, 1, left);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) continue;
    if (p.revents & (POLLERR | POLLHUP)) throw PrintError(name + ": the printer connection was closed");
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (n < 0) throw PrintError(os_error(name + ": write failed"));
    done += static_cast<size_t>(n);
  }
}

std::optional<uint8_t> read_byte(int fd, int timeout_ms) {
  pollfd p{fd, POLLIN, 0};
  if (poll(&p, 1, timeout_ms) <= 0 || !(p.revents & POLLIN)) return std::nullopt;
  uint8_t b;
  return ::read(fd, &b, 1) == 1 ? std::optional<uint8_t>(b) : std::nullopt;
}

class FdTransport : public Transport {
 public:
  FdTransport(int fd, std::string name, bool bidirectional) : fd_(fd), name_(std::move(name)), bidi_(bidirectional) {}
  ~FdTransport() override { if (fd_ >= 0) ::close(fd_); }
  void write(const std::vector<uint8_t>& bytes, int timeout_ms) override { write_all(fd_, bytes, timeout_ms, name_); }
  std::optional<uint8_t> status(int n, int timeout_ms) override {
    if (!bidi_) return std::nullopt;
    while (read_byte(fd_, 0)) {
    }  // drop replies nobody waited for
    try {
      write_all(fd_, status_request(n), timeout_ms, name_);
    } catch (const PrintError&) {
      return std::nullopt;
    }
    return read_byte(fd_, timeout_ms);
  }
  std::string describe() const override { return name_; }

 private:
  int fd_;
  std::string name_;
  bool bidi_;
};

class FileTransport : public Transport {
 public:
  explicit FileTransport(std::string path) : path_(std::move(path)) {}
  void write(const std::vector<uint8_t>& bytes, int) override {
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
  std::optional<uint8_t> status(int, int) override { return std::nullopt; }
  std::string describe() const override { return "file:" + path_; }

 private:
  std::string path_;
};

class CupsTransport : public Transport {
 public:
  explicit CupsTransport(std::string queue) : queue_(std::move(queue)) {}
  void write(const std::vector<uint8_t>& bytes, int) override {
    std::string cmd = "lp -s -d '" + queue_ + "' -o raw 2>/dev/null";
    FILE* p = popen(cmd.c_str(), "w");
    if (!p) throw PrintError("cups:" + queue_ + ": cannot run lp (is cups-client installed?)");
    bool ok = std::fwrite(bytes.data(), 1, bytes.size(), p) == bytes.size();
    int rc = pclose(p);
    if (!ok || rc != 0) throw PrintError("cups:" + queue_ + ": lp refused the job (exit " + std::to_string(rc) + ")");
  }
  std::optional<uint8_t> status(int, int) override { return std::nullopt; }  // CUPS has no back channel
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

PrinterStatus decode_status(std::optional<uint8_t> printer, std::optional<uint8_t> offline, std::optional<uint8_t> paper) {
  auto valid = [](std::optional<uint8_t> b) { return b && (*b & 0x93) == 0x12; };
  PrinterStatus s;
  if (valid(printer)) { s.known = true; s.offline = *printer & 0x08; }
  if (valid(offline)) { s.known = true; s.cover_open = *offline & 0x04; s.paper_end |= (*offline & 0x20) != 0; s.error = *offline & 0x40; }
  if (valid(paper)) { s.known = true; s.paper_near_end = *paper & 0x0C; s.paper_end |= (*paper & 0x60) != 0; }
  return s;
}

std::string PrinterStatus::problem() const {
  if (paper_end) return "out of paper";
  if (cover_open) return "cover open";
  if (error) return "printer error";
  if (offline) return "printer offline";
  return "";
}

PrinterStatus query_status(Transport& t, int timeout_ms) {
  auto printer = t.status(1, timeout_ms);
  if (!printer) return {};  // no back channel or a mute printer: do not wait three times
  return decode_status(printer, t.status(2, timeout_ms), t.status(4, timeout_ms));
}

PrintOutcome print_job(Transport& t, const std::vector<uint8_t>& job, int timeout_ms) {
  try {
    PrinterStatus before = query_status(t, timeout_ms);
    if (before.known && !before.can_print()) return {false, before.problem()};
    t.write(job, timeout_ms * 4);
    PrinterStatus after = query_status(t, timeout_ms);
    if (after.known && after.paper_end) return {false, "paper ran out during printing"};
    if (after.known && !after.can_print()) return {false, after.problem()};
    return {true, "", after.paper_near_end || before.paper_near_end};
  } catch (const PrintError& e) {
    return {false, e.what()};
  }
}

}  // namespace motcua::printer
