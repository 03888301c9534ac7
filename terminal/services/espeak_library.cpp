#include "terminal/services/espeak_library.h"

#include <stdexcept>
#include <string>

#include "devices/deferred_library.h"

namespace motcua::espeak {
namespace {

struct Loaded {
  Functions functions;
  std::string error;  // empty when every function was found
};

Loaded load() {
  DeferredLibrary library = open_deferred("MOTCUA_ESPEAK_LIBRARY", "libespeak-ng.so.1", "libespeak-ng1");
  Loaded out;
  if (library.handle) {
#define MOTCUA_ESPEAK_FIND(f) library.find(out.functions.f, #f);
    MOTCUA_ESPEAK_FUNCTIONS(MOTCUA_ESPEAK_FIND)
#undef MOTCUA_ESPEAK_FIND
  }
  out.error = library.error;
  return out;
}

}  // namespace

const Functions& functions() {
  static const Loaded loaded = load();
  if (!loaded.error.empty()) throw std::runtime_error(loaded.error);
  return loaded.functions;
}

}  // namespace motcua::espeak
