#include "terminal/services/help_signal.h"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "terminal/services/curl_library.h"

extern char** environ;

namespace motcua {

namespace {

bool run_command(const std::vector<std::string>& command, const std::string& kiosk_id, const std::string& step) {
  std::vector<std::string> env_text;
  for (char** e = environ; *e; ++e)
    if (std::strncmp(*e, "MOTCUA_KIOSK_ID=", 16) != 0 && std::strncmp(*e, "MOTCUA_STEP=", 12) != 0) env_text.emplace_back(*e);
  env_text.push_back("MOTCUA_KIOSK_ID=" + kiosk_id);
  env_text.push_back("MOTCUA_STEP=" + step);
  std::vector<char*> env, argv;
  for (auto& s : env_text) env.push_back(s.data());
  env.push_back(nullptr);
  std::vector<std::string> args = command;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  // In a process group of its own: what it starts (a shell's children) is stopped with it.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  // Only its standard streams: not the window's connection, the outbox's sockets or a card's.
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  pid_t pid = 0;
  int spawned = posix_spawnp(&pid, argv[0], &actions, &attr, argv.data(), env.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (int rc = spawned; rc != 0) {
    std::fprintf(stderr, "motcua: staff alert: help signal command %s did not start: %s\n", command[0].c_str(), std::strerror(rc));
    return false;
  }
  // A signal that hangs must not pile up: it is killed after the timeout.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(HelpSignal::kTimeoutSeconds);
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(-pid, SIGKILL);
      waitpid(pid, &status, 0);
      std::fprintf(stderr, "motcua: staff alert: help signal command %s took longer than %d s and was stopped\n",
                   command[0].c_str(), HelpSignal::kTimeoutSeconds);
      return false;
    }
    usleep(20000);
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "motcua: staff alert: help signal command %s failed (status %d)\n", command[0].c_str(), status);
    return false;
  }
  return true;
}

size_t discard(char*, size_t size, size_t n, void*) { return size * n; }

bool post(const std::string& url, const std::string& kiosk_id, const std::string& step) {
  std::string body = nlohmann::json{{"event", "help"}, {"kiosk", kiosk_id}, {"step", step}}.dump();
  CURL* curl = nullptr;
  try {
    curl = curl_easy_init();
  } catch (const std::runtime_error& e) {
    std::fprintf(stderr, "motcua: staff alert: help signal %s failed: %s\n", url.c_str(), e.what());
    return false;
  }
  if (!curl) return false;
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(HelpSignal::kTimeoutSeconds));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);  // the answer does not matter, only its status
  CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  const bool answered = rc == CURLE_OK && status >= 200 && status < 300;
  if (!answered)
    std::fprintf(stderr, "motcua: staff alert: help signal %s failed: %s\n", url.c_str(),
                 rc != CURLE_OK ? curl_easy_strerror(rc) : ("HTTP " + std::to_string(status)).c_str());
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return answered;
}

}  // namespace

HelpSignal::HelpSignal(std::vector<std::string> command, std::string url, std::function<void()> on_done)
    : command_(std::move(command)), url_(std::move(url)), on_done_(std::move(on_done)) {}

HelpSignal::~HelpSignal() {
  for (auto& c : calls_) c.thread.join();
}

void HelpSignal::raise(const std::string& kiosk_id, const std::string& step) {
  if (!configured()) return;
  std::erase_if(calls_, [](Call& c) {
    if (!*c.done) return false;
    c.thread.join();
    return true;
  });
  auto done = std::make_shared<std::atomic<bool>>(false);
  const unsigned generation = ++generation_;
  last_ = Outcome::Calling;
  // The threads read only copies and members that outlive them (the destructor joins them).
  calls_.push_back({std::thread([this, command = command_, url = url_, kiosk_id, step, done, generation] {
                      // Either way of ringing that works is enough: staff were told.
                      bool rang = false;
                      if (!command.empty()) rang = run_command(command, kiosk_id, step) || rang;
                      if (!url.empty()) rang = post(url, kiosk_id, step) || rang;
                      if (generation_ == generation) last_ = rang ? Outcome::Delivered : Outcome::Failed;
                      *done = true;
                      if (on_done_) on_done_();
                    }),
                    done});
}

}  // namespace motcua
