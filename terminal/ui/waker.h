// Wakes the kiosk loop from the services' threads (sender, printers, card reader, scanner,
// catalog sync).
// Rule: those threads start while the kiosk is still being built and may run until its last
// member is gone, so they never read the window pointer itself: a wake before the window is
// attached, or after it is detached, is dropped (the loop reads every service's state when it
// starts anyway), and detaching waits for a wake in progress.
#pragma once
#include <mutex>

#include "terminal/ui/platform.h"

namespace motcua {

class Waker {
 public:
  void attach(Platform* platform) {  // nullptr detaches
    std::lock_guard lock(mutex_);
    platform_ = platform;
  }
  void wake() {
    std::lock_guard lock(mutex_);
    if (platform_) platform_->wake();
  }

 private:
  std::mutex mutex_;
  Platform* platform_ = nullptr;
};

}  // namespace motcua
