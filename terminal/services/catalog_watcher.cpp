#include "terminal/services/catalog_watcher.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "terminal/core/input.h"
#include "terminal/services/submission.h"

namespace motcua {

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path + ": cannot open file (catalogKeyFile)");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

outbox::PortalOptions cut_short_by(outbox::PortalOptions options, const std::atomic<bool>* stopping) {
  options.cancel = stopping;
  return options;
}

}  // namespace

CatalogWatcher::CatalogWatcher(const KioskConfig& config, const std::string& data_root, std::function<void()> on_new)
    : sync_(cut_short_by(portal_options(config, data_root), &stopping_), slurp(resolve(config.catalog_key_file, data_root)), config.data_dir + "/catalog",
            data_root),
      dir_(config.data_dir + "/catalog"),
      minutes_(config.catalog_sync_minutes),
      on_new_(std::move(on_new)) {
  thread_ = std::thread([this] {
    std::unique_lock<std::mutex> l(m_);
    while (!stop_) {
      l.unlock();
      CatalogSyncResult r = sync_.sync_once();
      l.lock();
      if (r.outcome == CatalogSyncResult::Outcome::Installed) {
        fresh_ = CatalogSync::current_dir(dir_);
        std::fprintf(stderr, "motcua: catalog %s installed (%d files); in use from the next session\n", r.version.c_str(), r.files);
        if (on_new_) on_new_();
      } else if (r.outcome == CatalogSyncResult::Outcome::Failed && !stop_) {  // a sync cut short by the stop is no fault
        std::fprintf(stderr, "motcua: staff alert: catalog sync failed, the last good catalog stays: %s\n",
                     r.problems.empty() ? "?" : r.problems.front().c_str());
      }
      cv_.wait_for(l, std::chrono::minutes(minutes_), [this] { return stop_; });
    }
  });
}

CatalogWatcher::~CatalogWatcher() {
  {
    std::lock_guard<std::mutex> l(m_);
    stop_ = true;
  }
  stopping_ = true;
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::optional<std::string> CatalogWatcher::take_new() {
  std::lock_guard<std::mutex> l(m_);
  auto out = std::move(fresh_);
  fresh_.reset();
  return out;
}

}  // namespace motcua
