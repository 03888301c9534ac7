// Pulls the portal's catalog in the background every catalogSyncMinutes (and once at start).
// A newly installed catalog is only announced; the kiosk takes it between sessions.
#pragma once
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "terminal/services/catalog_sync.h"
#include "terminal/core/config.h"

namespace motcua {

class CatalogWatcher {
 public:
  CatalogWatcher(const KioskConfig& config, const std::string& data_root, std::function<void()> on_new);
  ~CatalogWatcher();  // a sync in progress is cut short (within about a second); the last good catalog stays
  // The folder of a catalog installed since the last call, if any.
  std::optional<std::string> take_new();

 private:
  std::atomic<bool> stopping_{false};  // before sync_: its client cuts a request short when set
  CatalogSync sync_;
  std::string dir_;
  int minutes_;
  std::function<void()> on_new_;
  std::mutex m_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::optional<std::string> fresh_;
  std::thread thread_;
};

}  // namespace motcua
