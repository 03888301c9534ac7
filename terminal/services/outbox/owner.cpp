#include "terminal/services/outbox/owner.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <thread>

namespace motcua::outbox {

namespace {

std::string holder_of(int fd) {
  char buf[32] = {};
  ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  std::string pid = n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
  while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
  return pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos ? "" : pid;
}

int open_lock(const std::string& folder, bool create) {
  std::string path = folder + "/owner.lock";
  int fd = ::open(path.c_str(), (create ? O_RDWR | O_CREAT : O_RDONLY) | O_CLOEXEC, 0600);
  if (fd < 0 && create && (errno == EROFS || errno == EACCES))  // a read-only folder can still be locked for reading
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  return fd;
}

}  // namespace

FolderLock::FolderLock(const std::string& folder, Mode mode, std::chrono::milliseconds wait) {
  int fd = open_lock(folder, true);
  if (fd < 0) throw std::runtime_error(folder + "/owner.lock: " + std::strerror(errno));
  int op = (mode == Mode::Exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB;
  auto deadline = std::chrono::steady_clock::now() + wait;
  while (::flock(fd, op) != 0) {
    if (errno == EINTR) continue;
    if (errno != EWOULDBLOCK || std::chrono::steady_clock::now() >= deadline) {
      std::string pid = holder_of(fd);
      ::close(fd);
      throw OwnerBusy(folder + " is in use by another kiosk process" + (pid.empty() ? "" : " (pid " + pid + ")") +
                      ": one kiosk per data folder; staff commands talk to it instead");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (mode == Mode::Exclusive) {
    std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd, 0) == 0 && ::pwrite(fd, pid.data(), pid.size(), 0) < 0) {}  // only for the message
  }
  fd_ = fd;
}

FolderLock::Probe FolderLock::try_shared(const std::string& folder, FolderLock& out) {
  int fd = open_lock(folder, false);  // a reader creates nothing (it may run as another user)
  if (fd < 0) return Probe::NoFile;
  if (::flock(fd, LOCK_SH | LOCK_NB) != 0) {
    ::close(fd);
    return Probe::Held;
  }
  out = FolderLock();
  out.fd_ = fd;
  return Probe::Free;
}

FolderLock::~FolderLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the flock
}

FolderLock& FolderLock::operator=(FolderLock&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = o.fd_;
    o.fd_ = -1;
  }
  return *this;
}

}  // namespace motcua::outbox
