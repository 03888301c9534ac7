#include "devices/scanner/sane_scanner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sstream>

#include "terminal/core/personal_data.h"

extern char** environ;

namespace motcua::scanner {

std::string scan_program() {
  if (const char* env = std::getenv("MOTCUA_SCAN_PROGRAM"); env && *env) return env;
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto beside = self.parent_path() / "motcua-scan";
    if (std::filesystem::exists(beside, ec)) return beside.string();
    auto installed = self.parent_path().parent_path() / "lib" / "motcua" / "motcua-scan";  // /usr/bin -> /usr/lib/motcua
    if (std::filesystem::exists(installed, ec)) return installed.string();
  }
  return MOTCUA_SCAN_PROGRAM_BUILT;
}

namespace {

// The process's first line is at most this long; anything longer is not the scan program.
constexpr size_t kMaxLine = 4096;

}  // namespace

SaneScanner::SaneScanner(const std::string& device, ScanSettings settings, std::map<std::string, std::string> options)
    : device_(device), settings_(settings), options_(std::move(options)) {
  std::string line = run("probe", nullptr);
  description_ = line.substr(3);
}

std::vector<std::string> scan_process_arguments(const std::string& command, const std::string& device,
                                                const ScanSettings& settings, const std::map<std::string, std::string>& options) {
  std::ostringstream area;
  area << settings.width_mm << "x" << settings.height_mm;
  std::vector<std::string> args = {scan_program(), command, "--device", device, "--dpi", std::to_string(settings.dpi),
                                   "--area", area.str(), "--max-bytes", std::to_string(settings.max_bytes)};
  for (auto& [k, v] : options) {
    args.push_back("--option");
    args.push_back(k + "=" + v);
  }
  return args;
}

pid_t spawn_scan_process(const std::vector<std::string>& args, int& out_fd) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw ScanError(ScanErrorKind::Io, std::string("scan process: ") + std::strerror(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);  // what the kiosk has open is not the scanner's
  // A process group of its own: a backend's reader processes go with it when it is killed.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  pid_t pid = -1;
  int spawned = posix_spawn(&pid, args[0].c_str(), &actions, &attr, argv.data(), environ);
  posix_spawnattr_destroy(&attr);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (spawned != 0) {
    close(fds[0]);
    throw ScanError(ScanErrorKind::NoScanner, "the scan program " + args[0] + " cannot start: " + std::strerror(spawned));
  }
  out_fd = fds[0];
  return pid;
}

GrayImage SaneScanner::scan_page() {
  GrayImage page;
  run("scan", &page);
  return page;
}

void SaneScanner::cancel() {
  std::lock_guard<std::mutex> l(child_mutex_);
  cancelled_ = true;
  if (child_ > 0) kill(-child_, SIGKILL);  // not reaped yet, so the group is still this child's
}

// Rule (bounded answers): the first line is at most kMaxLine bytes, a page at most max_bytes of
// pixels, the whole answer within timeout_ms; a process that breaks any of them is killed.
std::string SaneScanner::run(const std::string& command, GrayImage* page) {
  std::vector<std::string> args = scan_process_arguments(command, device_, settings_, options_);
  int out = -1;
  pid_t pid = -1;
  {
    // Under the lock: a cancel() from another thread either comes before (and is reset here)
    // or finds the child to kill.
    std::lock_guard<std::mutex> l(child_mutex_);
    if (command == "scan") cancelled_ = false;
    pid = spawn_scan_process(args, out);
    child_ = pid;
  }
  using clock = std::chrono::steady_clock;
  auto deadline = clock::now() + std::chrono::milliseconds(settings_.timeout_ms);
  std::string line;
  size_t want = 0, got = 0;  // pixel bytes of a page, once its line is read
  bool have_line = false, timed_out = false;
  std::string broken;  // why the answer is not one
  char buf[65536];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{out, POLLIN, 0};
    int r = poll(&p, 1, static_cast<int>(std::min<long long>(left, 1000 * 1000)));
    if (r < 0 && errno == EINTR) continue;
    if (r == 0) continue;
    ssize_t n = r < 0 ? -1 : read(out, have_line ? reinterpret_cast<char*>(page->pixels.data()) + got : buf,
                                  have_line ? want - got : sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // end of the answer (or the process died)
    if (have_line) {
      got += static_cast<size_t>(n);
      if (got == want) break;
      continue;
    }
    size_t end = std::string_view(buf, static_cast<size_t>(n)).find('\n');
    line.append(buf, end == std::string::npos ? static_cast<size_t>(n) : end);
    if (line.size() > kMaxLine) {
      broken = "an answer line over " + std::to_string(kMaxLine) + " bytes";
      break;
    }
    if (end == std::string::npos) continue;
    have_line = true;
    if (line.rfind("page ", 0) != 0 || !page) break;
    int w = 0, h = 0, dpi = 0;
    char extra = 0;
    if (std::sscanf(line.c_str(), "page %d %d %d %c", &w, &h, &dpi, &extra) != 3 || w <= 0 || h <= 0 || dpi <= 0) {
      broken = "a page line that does not read";
      break;
    }
    want = static_cast<size_t>(w) * static_cast<size_t>(h);
    if (want > settings_.max_bytes) {
      broken = "a page of " + std::to_string(want) + " bytes, over the limit";
      break;
    }
    page->width = w;
    page->height = h;
    page->dpi = dpi;
    page->pixels.resize(want);
    got = std::min(want, static_cast<size_t>(n) - end - 1);
    std::memcpy(page->pixels.data(), buf + end + 1, got);
    secure_zero(buf, sizeof buf);
    if (got == want) break;
  }
  close(out);
  bool cancelled;
  {
    std::lock_guard<std::mutex> l(child_mutex_);
    kill(-pid, SIGKILL);  // done with it either way; it may be stuck in SANE's teardown
    child_ = -1;
    cancelled = cancelled_ && command == "scan";
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  auto fail = [&](ScanErrorKind kind, const std::string& what) -> ScanError {
    if (page) {
      secure_zero(page->pixels.data(), page->pixels.size());
      page->pixels.clear();
    }
    return ScanError(kind, what);
  };
  if (cancelled) throw fail(ScanErrorKind::Cancelled, "the scan was cancelled");
  if (timed_out) {
    char limit[32];
    std::snprintf(limit, sizeof limit, "%g s", settings_.timeout_ms / 1000.0);
    throw fail(ScanErrorKind::TimedOut,
               std::string(command == "scan" ? "the scanner sent no page" : "the scanner did not answer") + " within " + limit);
  }
  if (!broken.empty()) throw fail(ScanErrorKind::Io, "the scan program sent " + broken);
  if (!have_line) throw fail(ScanErrorKind::Io, "the scan program ended without an answer");
  if (line.rfind("error ", 0) == 0) {
    size_t space = line.find(' ', 6);
    std::string kind = line.substr(6, space == std::string::npos ? std::string::npos : space - 6);
    throw fail(kind_from_name(kind), space == std::string::npos ? kind : line.substr(space + 1));
  }
  if (page) {
    if (line.rfind("page ", 0) != 0) throw fail(ScanErrorKind::Io, "the scan program answered something else than a page");
    if (got < want) throw fail(ScanErrorKind::Io, "the page was cut short after " + std::to_string(got) + " bytes");
  } else if (line.rfind("ok ", 0) != 0) {
    throw fail(ScanErrorKind::Io, "the scan program answered something else than ok");
  }
  return line;
}

}  // namespace motcua::scanner
