// How long ago the kernel started this process, for startup figures counted from the real
// start (exec, dynamic loading and static initialisers included) rather than from main().
// Header-only: the bench's bare window times itself the same way without linking the kiosk.
#pragma once
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace motcua {

// /proc/self/stat's starttime (field 22: clock ticks since boot) against CLOCK_BOOTTIME, the
// clock it is counted on. The kernel keeps it in whole ticks (10 ms at USER_HZ 100), rounded
// down, so the age reads up to one tick long. -1 when /proc is not there.
inline double process_age_ms() {
  char buf[1024];
  FILE* f = std::fopen("/proc/self/stat", "r");
  if (!f) return -1;
  size_t n = std::fread(buf, 1, sizeof buf - 1, f);
  std::fclose(f);
  buf[n] = '\0';
  // The command name (field 2) is in parentheses and may hold spaces or ')': count from the last ')'.
  char* p = std::strrchr(buf, ')');
  if (!p) return -1;
  ++p;
  for (int field = 3; field < 22; ++field) {
    while (*p == ' ') ++p;
    while (*p && *p != ' ') ++p;
  }
  char* end = nullptr;
  unsigned long long ticks = std::strtoull(p, &end, 10);
  long hz = ::sysconf(_SC_CLK_TCK);
  timespec now{};
  if (end == p || hz <= 0 || ::clock_gettime(CLOCK_BOOTTIME, &now) != 0) return -1;
  double now_ms = static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) / 1e6;
  return now_ms - static_cast<double>(ticks) * 1e3 / static_cast<double>(hz);
}

}  // namespace motcua
