#include "terminal/services/data_folder.h"

#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "terminal/core/input.h"

namespace motcua {

namespace {

std::string cause(int e) {
  if (e == EROFS) return "the disk is read-only (" + std::string(std::strerror(e)) + ")";
  if (e == ENOSPC || e == EDQUOT) return "the disk is full (" + std::string(std::strerror(e)) + ")";
  if (e == EACCES || e == EPERM) return "the kiosk's account may not write there (" + std::string(std::strerror(e)) + ")";
  return std::strerror(e);
}

std::string refuse(const std::string& dir, const std::string& why) {
  return "data folder " + dir + ": " + why + "; the kiosk cannot keep dossiers there (check the disk or \"dataDir\")";
}

}  // namespace

outbox::FolderLock take_data_folder(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw InputError(refuse(dir, cause(ec.value())));
  // A real write and sync: a read-only remount or a full disk shows here, not mid-session.
  std::string probe = dir + "/.write-test";
  int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw InputError(refuse(dir, cause(errno)));
  char block[4096] = {};
  bool ok = ::write(fd, block, sizeof block) == static_cast<ssize_t>(sizeof block) && ::fsync(fd) == 0;
  int e = ok ? 0 : (errno ? errno : ENOSPC);
  ::close(fd);
  ::unlink(probe.c_str());
  if (!ok) throw InputError(refuse(dir, cause(e)));
  struct statvfs fs;
  if (::statvfs(dir.c_str(), &fs) == 0) {
    std::uint64_t free_bytes = static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize;
    if (free_bytes < kMinFreeBytes)
      throw InputError(refuse(dir, "the disk is full (" + std::to_string(free_bytes / 1024) + " KiB free, " +
                                       std::to_string(kMinFreeBytes / 1024 / 1024) + " MiB needed)"));
  }
  try {
    return outbox::FolderLock(dir, outbox::FolderLock::Mode::Exclusive);
  } catch (const std::exception& ex) {
    throw InputError(std::string("data folder ") + ex.what());
  }
}

}  // namespace motcua
