// One owner per folder: an flock(2) on FOLDER/owner.lock, held for the owner's life and dropped
// by the kernel when the process dies (kill -9 included), so a stale lock never blocks a restart.
// Rules: only the owner writes or recovers the outbox; anyone else reads it read-only, and
// asks the owner (control socket) to change it. The holder's pid is written in the file for
// the message a second process shows.
#pragma once
#include <chrono>
#include <stdexcept>
#include <string>

namespace motcua::outbox {

// Another live process holds the folder; what() names the folder and that process.
struct OwnerBusy : std::runtime_error { using std::runtime_error::runtime_error; };

class FolderLock {
 public:
  enum class Mode { Exclusive, Shared };
  FolderLock() = default;
  // Takes FOLDER/owner.lock, waiting up to `wait` for a holder to let go (a restart racing the
  // old process's exit). Throws OwnerBusy when it is still held, std::runtime_error when the
  // file cannot be made (read-only or missing folder: the message says which).
  FolderLock(const std::string& folder, Mode mode, std::chrono::milliseconds wait = std::chrono::milliseconds(2000));
  // A reader's shared hold, without waiting and without creating anything: Held when an owner
  // runs, NoFile when no owner ever ran here, Free (and `out` holds it, keeping an owner from
  // starting meanwhile) otherwise.
  enum class Probe { Free, Held, NoFile };
  static Probe try_shared(const std::string& folder, FolderLock& out);
  ~FolderLock();
  FolderLock(FolderLock&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  FolderLock& operator=(FolderLock&& o) noexcept;
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;
  bool held() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

}  // namespace motcua::outbox
