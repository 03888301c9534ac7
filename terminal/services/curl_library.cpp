#include "terminal/services/curl_library.h"

#include <dlfcn.h>

#include <cstdlib>
#include <stdexcept>
#include <string>

namespace motcua::curl {
namespace {

constexpr const char* kLibrary = "libcurl.so.4";  // Debian's libcurl4

// $MOTCUA_CURL_LIBRARY, for a libcurl built elsewhere (and for the test of a missing one).
std::string library_name() {
  const char* chosen = std::getenv("MOTCUA_CURL_LIBRARY");
  return chosen && *chosen ? chosen : kLibrary;
}

struct Loaded {
  Functions functions;
  std::string error;  // empty when every function was found and libcurl set itself up
};

Loaded load() {
  Loaded out;
  // Never closed: curl_global_cleanup is not safe while another thread may still use libcurl.
  const std::string name = library_name();
  void* library = dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    const char* why = dlerror();
    out.error = name + " cannot be opened (install the libcurl4 package): " + (why ? why : "unknown reason");
    return out;
  }
#define MOTCUA_CURL_FIND(f)                                                        \
  out.functions.f = reinterpret_cast<decltype(&::f)>(dlsym(library, #f));          \
  if (!out.functions.f && out.error.empty()) out.error = name + ": no function " #f;
  MOTCUA_CURL_FUNCTIONS(MOTCUA_CURL_FIND)
#undef MOTCUA_CURL_FIND
  // Set up once here, before any thread's first handle: curl_easy_init would otherwise do it,
  // and the set-up is not safe to run from two threads at once in every libcurl.
  auto global_init = reinterpret_cast<decltype(&::curl_global_init)>(dlsym(library, "curl_global_init"));
  if (out.error.empty() && !global_init) out.error = name + ": no function curl_global_init";
  if (out.error.empty() && global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) out.error = name + ": libcurl did not start";
  return out;
}

}  // namespace

const Functions& functions() {
  static const Loaded loaded = load();
  if (!loaded.error.empty()) throw std::runtime_error(loaded.error);
  return loaded.functions;
}

}  // namespace motcua::curl
