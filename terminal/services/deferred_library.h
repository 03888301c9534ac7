// A library opened when it is first needed (dlopen), not when the kiosk starts: Pango and Cairo
// (paper_libraries.h) and libcurl (curl_library.h). Each keeps its own table of functions.
// Rule: what cannot be found is said with the library's name and the Debian package to install.
#pragma once
#include <dlfcn.h>

#include <string>

namespace motcua {

struct DeferredLibrary {
  std::string name;       // as opened: $ENV when set, else the default
  void* handle = nullptr;  // never closed: these libraries keep threads and caches of their own
  std::string error;       // empty when opened, and when every function looked up was found

  // Looks a function up in the library and the libraries it needs; a missing one is the error.
  template <class F> void find(F& out, const char* function) {
    out = reinterpret_cast<F>(dlsym(handle, function));
    if (!out && error.empty()) error = name + ": no function " + function;
  }
};

// Opens $env_variable (a library built elsewhere, or a test's missing one) or default_name.
DeferredLibrary open_deferred(const char* env_variable, const char* default_name, const char* package);

}  // namespace motcua
