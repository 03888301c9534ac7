#include "terminal/services/declaration_printer.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <vector>

#include "terminal/services/declaration_pdf.h"

extern char** environ;

namespace motcua {
namespace {

// lp -d QUEUE, no shell in between; what it printed (stdout and stderr) and its exit status.
std::pair<int, std::string> run_lp(const std::vector<std::string>& args) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw DeclarationError("cannot run lp: no pipe");  // no other child keeps it
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
  posix_spawn_file_actions_addclose(&fa, fds[0]);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, "lp", &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    throw DeclarationError("cannot run lp (is cups-client installed?)");
  }
  // A CUPS that never answers must not hold the kiosk: 30 s, then lp is stopped.
  std::string out;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  bool timed_out = false;
  for (;;) {
    int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count());
    if (left <= 0) { timed_out = true; break; }
    pollfd p{fds[0], POLLIN, 0};
    if (poll(&p, 1, left) <= 0) continue;
    char buf[512];
    ssize_t n = read(fds[0], buf, sizeof buf);
    if (n <= 0) break;
    if (out.size() < 4096) out.append(buf, static_cast<size_t>(n));
  }
  close(fds[0]);
  if (timed_out) kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  if (timed_out) throw DeclarationError("lp did not answer in 30 s");
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

}  // namespace

bool declaration_target_ok(const std::string& target) {
  return (target.rfind("cups:", 0) == 0 || target.rfind("file:", 0) == 0) && target.size() > 5;
}

DeclarationSent send_declaration(const std::string& target, const std::string& pdf, const std::string& title) {
  if (!declaration_target_ok(target)) throw DeclarationError("printer \"" + target + "\": expected cups:QUEUE or file:DIR");
  std::string where = target.substr(5);
  if (target.rfind("file:", 0) == 0) {
    std::string file = (std::filesystem::path(where) / std::filesystem::path(pdf).filename()).string();
    std::error_code ec;
    std::filesystem::copy_file(pdf, file, std::filesystem::copy_options::overwrite_existing, ec);
    if (ec) throw DeclarationError(target + ": cannot write " + file + ": " + ec.message());
    // The copy is for whoever takes it from the folder (a print server's account, staff): it may
    // be read by the folder's group when the folder lets its group in, never by everyone, since it
    // holds personal data. A folder of the kiosk's own (0700) keeps it owner-only.
    namespace fs = std::filesystem;
    fs::perms folder = fs::status(where, ec).permissions();
    fs::perms mode = fs::perms::owner_read | fs::perms::owner_write;
    if (!ec && (folder & fs::perms::group_exec) != fs::perms::none) mode |= fs::perms::group_read;
    fs::permissions(file, mode, fs::perm_options::replace, ec);
    if (ec) throw DeclarationError(target + ": cannot set who may read " + file + ": " + ec.message());
    return {target, file};
  }
  auto [status, said] = run_lp({"lp", "-d", where, "-n", "1", "-o", "media=A4", "-t", title, "--", pdf});
  if (status != 0) throw DeclarationError(target + ": lp refused the job: " + (said.empty() ? "exit " + std::to_string(status) : said));
  // "request id is a4-12 (1 file(s))"
  std::string id;
  if (auto at = said.find("request id is "); at != std::string::npos) id = said.substr(at + 14, said.find(' ', at + 14) - at - 14);
  return {target, id};
}

}  // namespace motcua
