#include "terminal/services/outbox/crash_points.h"

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

namespace motcua::outbox {

void crash_point(const char* name) {
  static const char* target = std::getenv("MOTCUA_CRASH_AT");
  if (target && std::strcmp(target, name) == 0) kill(getpid(), SIGKILL);
}

}  // namespace motcua::outbox
