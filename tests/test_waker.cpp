#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "terminal/ui/waker.h"

using namespace motcua;

namespace {

// Only wake() is called through a Waker; it counts, and can be held inside the call.
struct CountingPlatform : Platform {
  std::atomic<int> wakes{0};
  std::promise<void> entered;
  std::shared_future<void> release;  // when valid, wake() waits for it
  bool connect(std::string&) override { return true; }
  bool open(const WindowOptions&, std::string&) override { return true; }
  void show() override {}
  void close() override {}
  void wait(std::optional<double>) override {}
  void poll() override {}
  bool take_input() override { return false; }
  bool take_redraw() override { return false; }
  bool should_close() override { return false; }
  void new_frame() override {}
  void present() override {}
  void framebuffer_size(int& w, int& h) override { w = h = 0; }
  double pixels_per_mm() override { return 0; }
  const char* name() const override { return "counting"; }
  void wake() override {
    if (release.valid()) {
      entered.set_value();
      release.wait();
    }
    ++wakes;
  }
};

}  // namespace

// The kiosk's services start threads while it is still being built (a sender with dossiers
// waiting sends at once) and the card reader's runs until the kiosk's last member goes: their
// wakes must never reach a window that is not there yet or any more (a crash seen under load).
TEST_CASE("waker: a wake before the window is attached or after it is detached reaches nothing") {
  Waker waker;
  waker.wake();  // nothing attached: dropped
  CountingPlatform platform;
  waker.attach(&platform);
  waker.wake();
  waker.wake();
  CHECK(platform.wakes == 2);
  waker.attach(nullptr);
  waker.wake();
  CHECK(platform.wakes == 2);
}

TEST_CASE("waker: detaching waits for a wake in progress, so the window outlives every call into it") {
  Waker waker;
  CountingPlatform platform;
  std::promise<void> release;
  platform.release = release.get_future().share();
  waker.attach(&platform);
  std::thread service([&] { waker.wake(); });
  platform.entered.get_future().wait();  // the service's thread is inside the window's wake()
  auto detached = std::async(std::launch::async, [&] { waker.attach(nullptr); });
  CHECK(detached.wait_for(std::chrono::milliseconds(200)) == std::future_status::timeout);
  release.set_value();
  detached.wait();
  service.join();
  CHECK(platform.wakes == 1);
}
