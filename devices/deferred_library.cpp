#include "devices/deferred_library.h"

#include <cstdlib>

namespace motcua {

DeferredLibrary open_deferred(const char* env_variable, const char* default_name, const char* package) {
  DeferredLibrary out;
  const char* chosen = std::getenv(env_variable);
  out.name = chosen && *chosen ? chosen : default_name;
  out.handle = dlopen(out.name.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!out.handle) {
    const char* why = dlerror();
    out.error = out.name + " cannot be opened (install the " + package + " package): " + (why ? why : "unknown reason");
  }
  return out;
}

}  // namespace motcua
