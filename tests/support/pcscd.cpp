#include "tests/support/pcscd.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "tests/support/files.h"

namespace motcua::test {

namespace {
int spawn(const std::vector<std::string>& argv, const std::string& log) {
  pid_t pid = fork();
  if (pid == 0) {
    FILE* f = std::fopen(log.c_str(), "a");
    if (f) {
      dup2(fileno(f), 1);
      dup2(fileno(f), 2);
    }
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  return pid;
}

void terminate(int& pid) {
  if (pid <= 0) return;
  kill(pid, SIGTERM);
  for (int i = 0; i < 50; ++i) {
    if (waitpid(pid, nullptr, WNOHANG) == pid) {
      pid = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  pid = -1;
}

bool other_pcscd_running() {
  std::ifstream pidfile("/run/pcscd/pcscd.pid");
  int pid = 0;
  return pidfile >> pid && pid > 0 && kill(pid, 0) == 0;
}
}  // namespace

Pcscd::Pcscd(int port) : port_(port) {
  if (other_pcscd_running())
    throw std::runtime_error("another pcscd is running (/run/pcscd/pcscd.pid); stop it to run the PC/SC tests");
  char pattern[] = "/tmp/motcua-pcscd-XXXXXX";
  dir_ = mkdtemp(pattern);
  std::filesystem::create_directories(dir_ + "/reader.conf.d");
  char hex[16];
  std::snprintf(hex, sizeof hex, "0x%X", port);
  std::ofstream(dir_ + "/reader.conf.d/vpcd") << "FRIENDLYNAME \"MotCua Virtual Reader\"\n"
                                              << "DEVICENAME /dev/null:" << hex << "\n"
                                              << "LIBPATH /usr/lib/pcsc/drivers/serial/libifdvpcd.so\n"
                                              << "CHANNELID " << hex << "\n";
  start();
}

void Pcscd::start() {
  pid_ = spawn({"pcscd", "--foreground", "--config", dir_ + "/reader.conf.d"}, dir_ + "/pcscd.log");
  for (int i = 0; i < 100; ++i) {
    auto [code, out] = run_capture(std::string(MOTCUA_BINARY) + " card list");
    if (code == 0 && out.find(reader()) != std::string::npos) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::ifstream log(dir_ + "/pcscd.log");
  std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  stop();
  throw std::runtime_error("pcscd did not come up with the vpcd reader:\n" + text);
}

void Pcscd::stop() { terminate(pid_); }

Pcscd::~Pcscd() {
  stop();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

VirtualCardProcess::VirtualCardProcess(int port, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {VCARD_BINARY, "--port", std::to_string(port)};
  argv.insert(argv.end(), args.begin(), args.end());
  pid_ = spawn(argv, "/dev/null");
}

VirtualCardProcess::~VirtualCardProcess() { stop(); }
void VirtualCardProcess::stop() { terminate(pid_); }

bool VirtualCardProcess::running() {
  if (pid_ <= 0) return false;
  if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
    pid_ = -1;
    return false;
  }
  return true;
}

bool wait_for_card(const std::string& reader, bool present, int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  std::string want = reader + "\t" + (present ? "card" : "no card");
  while (std::chrono::steady_clock::now() < deadline) {
    auto [code, out] = run_capture(std::string(MOTCUA_BINARY) + " card list");
    if (code == 0 && out.find(want + "\n") != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

}  // namespace motcua::test
