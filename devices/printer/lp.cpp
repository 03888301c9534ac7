#include "devices/printer/lp.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "devices/printer/transport.h"

extern char** environ;

namespace motcua::printer {

std::string LpRun::why() const {
  if (!said.empty()) return said;
  if (!write_failed.empty()) return write_failed;
  if (exit_status >= 0) return "exit " + std::to_string(exit_status);
  return "stopped by signal " + std::to_string(signal);
}

namespace {

struct Fd {
  int fd = -1;
  ~Fd() { reset(); }
  void reset() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

// Reads what lp says until it closes its output or the deadline passes; false on the deadline.
bool read_until_closed(int fd, std::chrono::steady_clock::time_point deadline, std::string& said) {
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    int ready = poll(&p, 1, static_cast<int>(left));
    if (ready < 0 && errno != EINTR) return true;  // nothing more can be read: treat as closed
    if (ready <= 0) continue;
    char buf[512];
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return true;
    if (said.size() < 4096) said.append(buf, static_cast<size_t>(n));
  }
}

}  // namespace

LpRun run_lp(const std::vector<std::string>& args, const std::string& name, const std::vector<uint8_t>* input,
             int stall_ms, int total_ms) {
  Fd in_ours, in_lps, out_ours, out_lps;
  if (input) {
    int in[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) != 0)
      throw PrintError(name + ": no socket for lp: " + std::strerror(errno));
    in_ours.fd = in[0];
    in_lps.fd = in[1];
  }
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) throw PrintError(name + ": no pipe for lp: " + std::strerror(errno));
  out_ours.fd = out[0];
  out_lps.fd = out[1];

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (input) posix_spawn_file_actions_adddup2(&actions, in_lps.fd, 0);
  else posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_lps.fd, 1);
  posix_spawn_file_actions_adddup2(&actions, out_lps.fd, 2);
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);  // what the kiosk has open is not lp's
  std::vector<std::string> argv_strings = {"lp"};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_strings) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  int spawned = posix_spawnp(&pid, "lp", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  in_lps.reset();
  out_lps.reset();
  if (spawned != 0) throw PrintError(name + ": cannot run lp (is cups-client installed?)");

  LpRun run;
  if (input) {
    fcntl(in_ours.fd, F_SETFL, O_NONBLOCK);
    try {
      write_all(in_ours.fd, *input, stall_ms, total_ms, name);
    } catch (const PrintError& e) {
      run.write_failed = e.what();
      if (run.write_failed.rfind(name + ": ", 0) == 0) run.write_failed.erase(0, name.size() + 2);
      // A job cut short must not reach paper: an lp still there but not reading would queue what
      // it got at the end of its input, so it is stopped. One that closed its input is leaving
      // anyway, and says why.
      pollfd gone{in_ours.fd, POLLOUT, 0};
      if (!(poll(&gone, 1, 0) > 0 && (gone.revents & (POLLHUP | POLLERR)))) kill(pid, SIGKILL);
    }
    in_ours.reset();  // the end of the job, for lp
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  bool timed_out = !read_until_closed(out_ours.fd, deadline, run.said);
  out_ours.reset();
  // An lp that closed its output may still be running: its end is awaited under the same deadline.
  int status = 0;
  pid_t reaped = 0;
  while (!timed_out) {
    reaped = waitpid(pid, &status, WNOHANG);
    if (reaped == pid || (reaped < 0 && errno != EINTR)) break;
    if (std::chrono::steady_clock::now() >= deadline) timed_out = true;
    else std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (timed_out) {
    kill(pid, SIGKILL);
    while ((reaped = waitpid(pid, &status, 0)) < 0 && errno == EINTR) {
    }
  }
  if (reaped != pid) throw PrintError(name + ": lp's end was not seen");
  if (timed_out)
    throw PrintError(name + ": lp did not finish in 30 s" + (run.write_failed.empty() ? "" : " (" + run.write_failed + ")"));
  while (!run.said.empty() && (run.said.back() == '\n' || run.said.back() == ' ')) run.said.pop_back();
  run.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  return run;
}

}  // namespace motcua::printer
