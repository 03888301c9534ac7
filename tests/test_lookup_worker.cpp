// The status lookup's worker (terminal/services/lookup_worker.h): the screen's thread asks and
// returns at once, whatever the portal does; only the latest question's answer is handed over.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "terminal/services/lookup_worker.h"

using namespace motcua;
using namespace std::chrono_literals;

namespace {

// A portal that holds each question until the test lets it go.
struct HeldPortal {
  std::mutex m;
  std::condition_variable cv;
  int released = 0, asked = 0;
  DossierStatus answer(const std::string& code) {
    std::unique_lock<std::mutex> l(m);
    const int mine = ++asked;
    cv.notify_all();
    cv.wait(l, [&] { return released >= mine; });
    DossierStatus st;
    st.found = DossierStatus::Found::Yes;
    st.code = code;
    return st;
  }
  void release() {
    std::lock_guard<std::mutex> l(m);
    ++released;
    cv.notify_all();
  }
  bool wait_asked(int n) {
    std::unique_lock<std::mutex> l(m);
    return cv.wait_for(l, 5s, [&] { return asked >= n; });
  }
};

template <class F> bool within(F done, std::chrono::milliseconds limit) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

}  // namespace

TEST_CASE("lookup worker: asking returns at once while the portal holds the answer, and the answer wakes the screen once") {
  HeldPortal portal;
  std::atomic<int> wakes{0};
  LookupWorker worker([&](const std::string& code) { return portal.answer(code); }, [&] { ++wakes; });
  auto t0 = std::chrono::steady_clock::now();
  worker.start("000.00.00.H00-261130-0001");
  CHECK(std::chrono::steady_clock::now() - t0 < 100ms);
  REQUIRE(portal.wait_asked(1));
  CHECK_FALSE(worker.poll().has_value());  // the portal has not answered
  CHECK(wakes == 0);
  portal.release();
  REQUIRE(within([&] { return wakes == 1; }, 5000ms));
  auto answer = worker.poll();
  REQUIRE(answer.has_value());
  CHECK(answer->code == "000.00.00.H00-261130-0001");
  CHECK_FALSE(worker.poll().has_value());  // handed over once
}

TEST_CASE("lookup worker: a code asked while the last is still out gets its own answer, never the older one") {
  HeldPortal portal;
  std::atomic<int> wakes{0};
  LookupWorker worker([&](const std::string& code) { return portal.answer(code); }, [&] { ++wakes; });
  worker.start("HS-OLD");
  REQUIRE(portal.wait_asked(1));
  worker.start("HS-NEW");  // the citizen corrected the code
  portal.release();        // the old answer comes: dropped
  REQUIRE(portal.wait_asked(2));
  CHECK_FALSE(worker.poll().has_value());
  CHECK(wakes == 0);
  portal.release();
  REQUIRE(within([&] { return wakes == 1; }, 5000ms));
  auto answer = worker.poll();
  REQUIRE(answer.has_value());
  CHECK(answer->code == "HS-NEW");
}

TEST_CASE("lookup worker: a lookup that throws is 'unavailable', and the worker goes on") {
  int calls = 0;
  std::atomic<int> wakes{0};
  LookupWorker worker(
      [&](const std::string& code) -> DossierStatus {
        if (++calls == 1) throw std::runtime_error("database is locked");
        DossierStatus st;
        st.found = DossierStatus::Found::No;
        st.code = code;
        return st;
      },
      [&] { ++wakes; });
  worker.start("A");
  REQUIRE(within([&] { return wakes == 1; }, 5000ms));
  auto first = worker.poll();
  REQUIRE(first.has_value());
  CHECK(first->found == DossierStatus::Found::Unavailable);
  worker.start("B");
  REQUIRE(within([&] { return wakes == 2; }, 5000ms));
  CHECK(worker.poll()->found == DossierStatus::Found::No);
}
