#include "terminal/services/paper_libraries.h"

#include <dlfcn.h>

#include <cstdlib>
#include <stdexcept>
#include <string>

namespace motcua::paper {
namespace {

constexpr const char* kLibrary = "libpangocairo-1.0.so.0";  // Debian's libpangocairo-1.0-0

// $MOTCUA_PAPER_LIBRARY, for a Pango built elsewhere (and for the test of a missing one).
std::string library_name() {
  const char* chosen = std::getenv("MOTCUA_PAPER_LIBRARY");
  return chosen && *chosen ? chosen : kLibrary;
}

struct Loaded {
  Functions functions;
  std::string error;  // empty when every function was found
};

Loaded load() {
  Loaded out;
  // Never closed: Pango keeps threads and caches that outlive any one paper.
  const std::string name = library_name();
  void* library = dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    const char* why = dlerror();
    out.error = name + " cannot be opened (install the libpangocairo-1.0-0 package): " + (why ? why : "unknown reason");
    return out;
  }
  // dlsym on the handle searches the library and the libraries it needs: Pango, Cairo, GObject.
#define MOTCUA_PAPER_FIND(f)                                                          \
  out.functions.f = reinterpret_cast<decltype(&::f)>(dlsym(library, #f));             \
  if (!out.functions.f && out.error.empty()) out.error = name + ": no function " #f;
  MOTCUA_PAPER_FUNCTIONS(MOTCUA_PAPER_FIND)
#undef MOTCUA_PAPER_FIND
  return out;
}

}  // namespace

const Functions& functions() {
  static const Loaded loaded = load();
  if (!loaded.error.empty()) throw std::runtime_error(loaded.error);
  return loaded.functions;
}

}  // namespace motcua::paper
