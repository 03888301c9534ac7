#include <doctest/doctest.h>

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include "terminal/services/help_signal.h"
#include "tests/support/files.h"

using namespace motcua;

namespace {

// Gone, or only a zombie waiting for its new parent: either way it rings nothing any more.
bool running(const std::string& pid) {
  std::ifstream stat("/proc/" + pid + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  size_t close = line.rfind(')');
  return close != std::string::npos && close + 2 < line.size() && line[close + 2] != 'Z';
}

}  // namespace

// A signal command that hangs is stopped after kTimeoutSeconds, and so is what it started: a shell
// script's own children (a stuck `curl`, a `sleep`) must not pile up one per press of the button.
TEST_CASE("help signal: a command that hangs is stopped after its time, with what it started") {
  test::TempDir dir;
  std::string pid_file = dir / "child.pid";
  {
    HelpSignal signal({"/bin/sh", "-c", "sleep 100 & echo $! > " + pid_file + "; wait"}, "");
    signal.raise("KIOSK-01", "identify");
    for (int i = 0; i < 100 && !std::ifstream(pid_file).good(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }  // waits for the call: at most kTimeoutSeconds
  std::string child;
  std::ifstream(pid_file) >> child;
  REQUIRE_FALSE(child.empty());
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CHECK_FALSE(running(child));
}

// The command gets nothing the kiosk has open beyond its standard streams (the window's
// connection, the outbox's sockets, a card reader's): here a file opened without O_CLOEXEC.
TEST_CASE("help signal: the command inherits no descriptor of the kiosk's beyond its standard streams") {
  test::TempDir dir;
  std::string marker = dir.write("kiosk-private-file", "x");
  int leaky = ::open(marker.c_str(), O_RDONLY);  // no O_CLOEXEC, as some libraries open theirs
  REQUIRE(leaky > 2);
  std::string listing = dir / "fds";
  {
    // The shell's own descriptors, with what each is: "ls -l" shows where every one points.
    HelpSignal signal({"/bin/sh", "-c", "ls -l /proc/$$/fd > " + listing + ".part && mv " + listing + ".part " + listing}, "");
    signal.raise("KIOSK-01", "identify");
  }  // waits for the call
  ::close(leaky);
  std::string seen = test::slurp(listing);
  REQUIRE_FALSE(seen.empty());
  INFO(seen);
  CHECK(seen.find("kiosk-private-file") == std::string::npos);
}

// The screen says "Đã gọi cán bộ" from last(): only a command that exited 0 or a hook that answered
// 2xx counts, and each call's end is announced (on_done wakes the screen).
TEST_CASE("help signal: a call is told delivered only when it rang, and its end is announced") {
  std::atomic<int> ends{0};
  {
    // Rings once told to: until then the call is on its way, not delivered (a bare /bin/true
    // could finish before the first look).
    test::TempDir dir;
    std::string go = dir / "go";
    HelpSignal works({"/bin/sh", "-c", "while [ ! -e " + go + " ]; do sleep 0.01; done"}, "", [&] { ++ends; });
    works.raise("KIOSK-01", "identify");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CHECK(works.last() == HelpSignal::Outcome::Calling);
    CHECK(ends == 0);
    std::ofstream(go) << "";
    for (int i = 0; i < 250 && ends < 1; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    CHECK(works.last() == HelpSignal::Outcome::Delivered);
  }
  {
    HelpSignal fails({"/bin/false"}, "", [&] { ++ends; });
    fails.raise("KIOSK-01", "identify");
    for (int i = 0; i < 250 && ends < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    CHECK(fails.last() == HelpSignal::Outcome::Failed);
  }
  {
    HelpSignal missing({"/nonexistent/ring-the-bell"}, "", [&] { ++ends; });  // never starts
    missing.raise("KIOSK-01", "identify");
    for (int i = 0; i < 250 && ends < 3; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    CHECK(missing.last() == HelpSignal::Outcome::Failed);
  }
  {
    // The command fails but the hook... has nobody listening on port 9 of loopback: both fail.
    HelpSignal both({"/bin/false"}, "http://127.0.0.1:9/help", [&] { ++ends; });
    both.raise("KIOSK-01", "identify");
    for (int i = 0; i < 400 && ends < 4; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    CHECK(both.last() == HelpSignal::Outcome::Failed);
  }
  CHECK(ends == 4);
}
