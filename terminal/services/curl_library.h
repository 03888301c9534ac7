// libcurl, opened when the kiosk first talks to the portal or to a volunteer's phone (dlopen), not
// when it starts: with its TLS, Kerberos, LDAP and SSH stack it is 24 libraries that the dynamic
// loader maps before the first frame otherwise (issue 22). The two files that speak HTTP
// (outbox/portal_client.cpp, help_signal.cpp) include this instead of <curl/curl.h>; their calls,
// written as usual, go through the table below.
// Rule: a library or function that cannot be found is a std::runtime_error naming it, for the
// caller to report as it reports a network that is down; the kiosk goes on, dossiers wait. The
// answer is kept for the process: a libcurl installed later is used after a restart.
#pragma once
#include <curl/curl.h>
// curl's headers define these two as macros of three arguments (a compile-time check in C), which
// would expand inside the call objects below.
#undef curl_easy_setopt
#undef curl_easy_getinfo

// Every libcurl function the two files call. A call to one not listed here fails to link, which
// is how a new one is noticed.
#define MOTCUA_CURL_FUNCTIONS(X)                                                              \
  X(curl_easy_cleanup) X(curl_easy_getinfo) X(curl_easy_init) X(curl_easy_perform)           \
  X(curl_easy_reset) X(curl_easy_setopt) X(curl_easy_strerror) X(curl_slist_append)          \
  X(curl_slist_free_all)

namespace motcua::curl {

struct Functions {
#define MOTCUA_CURL_POINTER(f) decltype(&::f) f = nullptr;
  MOTCUA_CURL_FUNCTIONS(MOTCUA_CURL_POINTER)
#undef MOTCUA_CURL_POINTER
};

// Opens libcurl once, from any thread, and runs its global set-up (curl_global_init) there, once.
const Functions& functions();

}  // namespace motcua::curl

// Inside namespace motcua each name is an object that calls through the table: unqualified
// lookup finds it before the global function, and an object, unlike a function, turns off
// argument-dependent lookup, so the global declaration is never called directly.
namespace motcua {
namespace {
#define MOTCUA_CURL_CALL(f)                                                                            \
  [[maybe_unused]] constexpr struct {                                                                  \
    template <class... A> decltype(auto) operator()(A... a) const { return curl::functions().f(a...); } \
  } f{};
MOTCUA_CURL_FUNCTIONS(MOTCUA_CURL_CALL)
#undef MOTCUA_CURL_CALL
}  // namespace
}  // namespace motcua
