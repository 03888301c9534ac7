#include "terminal/services/paper_libraries.h"

#include <stdexcept>
#include <string>

#include "devices/deferred_library.h"

namespace motcua::paper {
namespace {

struct Loaded {
  Functions functions;
  std::string error;  // empty when every function was found
};

// $MOTCUA_PAPER_LIBRARY: a Pango built elsewhere, and the test of a missing one. Looked up in
// libpangocairo, the functions of Pango, Cairo and GObject, which it needs, are found too.
Loaded load() {
  DeferredLibrary library = open_deferred("MOTCUA_PAPER_LIBRARY", "libpangocairo-1.0.so.0", "libpangocairo-1.0-0");
  Loaded out;
  if (library.handle) {
#define MOTCUA_PAPER_FIND(f) library.find(out.functions.f, #f);
    MOTCUA_PAPER_FUNCTIONS(MOTCUA_PAPER_FIND)
#undef MOTCUA_PAPER_FIND
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

}  // namespace motcua::paper
