#include "terminal/services/private_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace motcua {

namespace fs = std::filesystem;

namespace {
void tighten(const fs::path& p, mode_t mode) {
  if (::chmod(p.c_str(), mode) != 0)
    throw std::runtime_error(p.string() + ": cannot make private: " + std::strerror(errno));
}
}  // namespace

void make_data_dir_private(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw std::runtime_error(dir + ": cannot create the data folder: " + ec.message());
  tighten(dir, 0700);
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    auto st = it->symlink_status(ec);
    if (ec) break;
    if (fs::is_symlink(st)) continue;
    if (fs::is_directory(st)) tighten(it->path(), 0700);
    else if (fs::is_regular_file(st) && (static_cast<unsigned>(st.permissions()) & 077u) != 0) tighten(it->path(), 0600);
  }
  if (ec) throw std::runtime_error(dir + ": cannot read the data folder: " + ec.message());
}

void write_file_durably(const std::string& path, const std::string& text, unsigned mode) {
  std::string tmp = path + ".tmp";
  // A fresh file, never one already there: a leftover (a crash) is removed, and a link planted in
  // its place (a USB stick is anyone's) is not followed into a file of the kiosk's.
  ::unlink(tmp.c_str());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error(tmp + ": cannot write: " + std::strerror(errno));
  ::fchmod(fd, mode);  // whatever the umask (a FAT stick has no modes: its mount decides)
  bool ok = true;
  for (size_t done = 0; ok && done < text.size();) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) errno = ENOSPC;  // no progress and no error: the disk took nothing more
    ok = n > 0;
    if (ok) done += static_cast<size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;  // a full or pulled disk says so here, not after "saved"
  int saved_errno = errno;
  ::close(fd);
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    if (ok) saved_errno = errno;
    std::remove(tmp.c_str());
    throw std::runtime_error(path + ": cannot save: " + std::strerror(saved_errno));
  }
  std::string folder = fs::path(path).parent_path().string();
  int dfd = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);  // the rename itself must survive a power cut
    ::close(dfd);
  }
}

void write_private_file(const std::string& path, const std::string& text) { write_file_durably(path, text, 0600); }

}  // namespace motcua
