#include "terminal/services/curl_library.h"

#include <stdexcept>
#include <string>

#include "devices/deferred_library.h"

namespace motcua::curl {
namespace {

struct Loaded {
  Functions functions;
  std::string error;  // empty when every function was found and libcurl set itself up
};

// $MOTCUA_CURL_LIBRARY: a libcurl built elsewhere, and the test of a missing one.
Loaded load() {
  DeferredLibrary library = open_deferred("MOTCUA_CURL_LIBRARY", "libcurl.so.4", "libcurl4");
  Loaded out;
  if (library.handle) {
#define MOTCUA_CURL_FIND(f) library.find(out.functions.f, #f);
    MOTCUA_CURL_FUNCTIONS(MOTCUA_CURL_FIND)
#undef MOTCUA_CURL_FIND
    // Set up once here, before any thread's first handle: curl_easy_init would otherwise do it,
    // and the set-up is not safe to run from two threads at once in every libcurl.
    decltype(&::curl_global_init) global_init = nullptr;
    library.find(global_init, "curl_global_init");
    if (library.error.empty() && global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) library.error = library.name + ": libcurl did not start";
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

}  // namespace motcua::curl
