// A library opened when it is first needed (dlopen), not when the kiosk starts (issue 22): each
// keeps its own table of functions. Two ways to call through it:
// - calls objects named as the functions, for code of ours that includes the table's header
//   (terminal/services/paper_libraries.h, curl_library.h);
// - forwarders: functions defined with the library's own names and C linkage, which its callers,
//   ours or a static library's (ImGui's SDL2 backend in libimgui.a), bind to at link time as they
//   would to the library (terminal/services/sdl2_library.cpp, espeak_library.cpp,
//   printer/print_libraries.cpp, card/card_libraries.cpp, scanner/jpeg_library.cpp).
// Rule: what cannot be found is said with the library's name and the Debian package to install.
#pragma once
#include <dlfcn.h>

#include <string>
#include <type_traits>

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

// Forwarders. LIST(X) names each function as X(return type, name, (parameters), (arguments),
// answer when the library is missing). The library's header, included first, declares every name,
// so a definition whose signature differs from it does not compile. The answer is what the
// function says when it fails (a null handle, an error code); functions the callers reach only
// after such an entry point succeeded answer zero.
//
// In a namespace of its own, once per library: the table, opened at the first call from any thread,
// and `const std::string& library_error()`, empty once every function was found.
#define MOTCUA_DEFERRED_TABLE(LIST, env_variable, default_name, package)                       \
  struct Table {                                                                              \
    LIST(MOTCUA_DEFERRED_POINTER)                                                              \
  };                                                                                          \
  struct Loaded {                                                                             \
    Table table;                                                                              \
    std::string error;                                                                        \
  };                                                                                          \
  static const Loaded& loaded() {                                                             \
    static const Loaded once = [] {                                                           \
      ::motcua::DeferredLibrary library = ::motcua::open_deferred(env_variable, default_name, package); \
      Loaded out;                                                                             \
      if (library.handle) {                                                                   \
        LIST(MOTCUA_DEFERRED_FIND)                                                            \
      }                                                                                       \
      out.error = library.error;                                                              \
      return out;                                                                             \
    }();                                                                                      \
    return once;                                                                              \
  }                                                                                           \
  static const Table* table() { return loaded().error.empty() ? &loaded().table : nullptr; } \
  const std::string& library_error() { return loaded().error; }

#define MOTCUA_DEFERRED_POINTER(R, f, params, args, missing) R(*f) params = nullptr;
#define MOTCUA_DEFERRED_FIND(R, f, params, args, missing) library.find(out.table.f, #f);

// One forwarder, inside extern "C", for the table in namespace ns.
#define MOTCUA_DEFERRED_FORWARD(ns, R, f, params, args, missing) \
  R f params {                                                  \
    const auto* functions = ns::table();                        \
    if (!functions) return std::type_identity_t<R>(missing);    \
    return functions->f args;                                   \
  }
