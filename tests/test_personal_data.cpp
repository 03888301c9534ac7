#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>

#include <sys/wait.h>

#include "terminal/core/personal_data.h"

using namespace motcua;

namespace {
bool arena_contains(const PersonalData& d, const std::string& needle) {
  auto a = d.arena();
  auto* begin = reinterpret_cast<const char*>(a.data());
  return std::search(begin, begin + a.size(), needle.begin(), needle.end()) != begin + a.size();
}
bool arena_all_zero(const PersonalData& d) {
  auto a = d.arena();
  return std::all_of(a.begin(), a.end(), [](std::byte b) { return b == std::byte{0}; });
}
}  // namespace

TEST_CASE("typed answers live in the arena and wipe() zeroes all of it") {
  PersonalData d;
  const std::string name = "Nguyễn Thị Minh Khai, số 079204001234";
  d.field("/declarant/fullName") = name;
  d.field("/declarant/fullName") += " (sửa)";  // growth leaves an old buffer behind in the pool
  d.field("/child/name") = "An";              // short: kept inside the string object
  d.search_text() = "khai sinh cho con gái";
  CHECK(arena_contains(d, name));
  CHECK_FALSE(d.empty());

  d.wipe();
  CHECK(d.empty());
  CHECK(d.find("/declarant/fullName") == nullptr);
  CHECK(arena_all_zero(d));
  CHECK(d.search_text().empty());

  d.field("/x") = "dùng lại sau khi xoá";  // usable for the next citizen
  CHECK(*d.find("/x") == "dùng lại sau khi xoá");
}

TEST_CASE("more data than the arena holds still works and is wiped") {
  PersonalData d(1024);
  std::string big(5000, 'x');
  d.field("/note") = big;
  CHECK(d.find("/note")->size() == 5000);
  d.wipe();
  CHECK(d.empty());
  CHECK(arena_all_zero(d));
}

TEST_CASE("secure_zero clears the bytes it is given") {
  char buf[16];
  std::memset(buf, 'A', sizeof buf);
  secure_zero(buf, 8);
  CHECK(buf[0] == 0);
  CHECK(buf[7] == 0);
  CHECK(buf[8] == 'A');
}

TEST_CASE("the kiosk program's heap zeroes what is freed or left behind by realloc and GLib's slices (the plain heap does not)") {
  auto run = [](const std::string& probe) {
    int status = std::system(("env -u G_SLICE " + probe + " >/dev/null 2>&1").c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  };
  CHECK(run(HEAP_PROBE_PLAIN) == 1);    // the control: glibc leaves the text in freed blocks
  CHECK(run(HEAP_PROBE_ZEROING) == 0);  // terminal/services/zeroing_heap.cpp, as linked into motcua
  // The control for GLib: with G_SLICE set empty (kept, as an administrator's would be) its
  // magazines are used again, and the freed slice keeps the text.
  CHECK(run("env G_SLICE= " + std::string(HEAP_PROBE_ZEROING)) == 1);
}
