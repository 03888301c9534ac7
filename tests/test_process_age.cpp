// The startup clock: a process's age counts from the kernel's start of it (fork/exec), so time
// spent before anything of ours runs is counted, unlike a clock started by a static initialiser.
#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "terminal/services/process_age.h"

TEST_CASE("process_age_ms counts from the kernel's start of the process, in clock ticks") {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    // Like loading and initialisers before main: time passes before anyone reads a clock.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    double age = motcua::process_age_ms();
    (void)!write(fds[1], &age, sizeof age);
    _exit(0);
  }
  close(fds[1]);
  double age = -2;
  REQUIRE(read(fds[0], &age, sizeof age) == static_cast<ssize_t>(sizeof age));
  close(fds[0]);
  waitpid(child, nullptr, 0);
  // At least the 300 ms slept (less one 10 ms tick of rounding); a loaded machine may add more.
  CHECK(age >= 290);
  CHECK(age < 60000);
  // This process has been running at least as long as the test took so far, and the age grows.
  double a = motcua::process_age_ms();
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  CHECK(motcua::process_age_ms() >= a + 29);
}
