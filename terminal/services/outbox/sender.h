// The one thread that empties the outbox: oldest first, the same Idempotency-Key on every try,
// backoff that never gives up, and a health probe after any failure so a returning portal is
// used at once. Rules: no dossier is tried twice within min_retry_s, whatever the portal
// answers (Retry-After included, capped); the backoff grows with the failures since the last
// success, not over a whole outage; a failing disk holds the queue instead of spinning.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "terminal/services/outbox/portal_client.h"
#include "terminal/services/outbox/store.h"
#include "terminal/services/outbox/verdict.h"

namespace motcua::outbox {

struct SenderOptions {
  PortalOptions portal;
  std::uint64_t seed = 0;        // 0: from the clock
  double backoff_base_s = 2, backoff_cap_s = 600;
  double min_retry_s = 10;       // per dossier: at most 60/min_retry_s tries a minute
  double retry_after_cap_s = 600;
  double probe_s = 5;            // after a failure, ask /v1/health this often
  double disk_hold_s = 10;       // the store could not record an outcome: wait this long
  int in_flight = 4;             // dossiers posted at once, each on its own connection (1 while failing)
  std::function<void()> on_change;  // an item was sent, rejected or paused, or its first attempt failed (wakes the UI)
};

// The API path an item kind is posted to.
std::string path_for(const std::string& kind);

class Sender {
 public:
  Sender(Store& store, SenderOptions options);
  ~Sender();  // stops the thread

  void start();
  void stop();
  void kick();  // something new to send: try now

  // One attempt at the oldest due item; false when nothing was due. For tests and `motcua outbox`.
  // Not after stop(): every request would be cut short and, by rule, nothing recorded.
  bool send_one(std::int64_t now);
  // Attempts at up to max_items due items, oldest first, `in_flight` at a time, each on a
  // connection of its own (one request per connection at a time, so an answer can only be for
  // its own dossier); each outcome is recorded as its answer comes. While the portal is failing
  // only one goes at a time. Returns how many were tried (0: nothing was due).
  int send_batch(std::int64_t now, int in_flight, int max_items);

  // Whether the portal's Retry-After (or a disk that refused a write) holds every sending from
  // before `created_at` until at least `until`: an item made then was never dispatched (nothing
  // is during a hold) and will not be tried before `until`. Unix seconds; any thread.
  bool holds(std::int64_t created_at, std::int64_t until) const {
    return created_at > hold_set_at_.load() && until <= hold_until_.load();
  }

 private:
  void run();
  bool probe_health();
  void record(const Item& item, const HttpResponse& r, PortalClient& client, std::int64_t now);

  Store& store_;
  std::atomic<bool> stopping_{false};  // before options_: its clients cut a request short when set
  SenderOptions options_;
  PortalClient client_;
  std::vector<std::unique_ptr<PortalClient>> more_clients_;  // in_flight - 1, made when first needed
  Backoff backoff_;
  std::thread thread_;
  std::mutex m_;
  std::condition_variable cv_;
  bool stop_ = false, kicked_ = false;
  bool failing_ = false;             // the last attempt failed: probe health until the portal answers
  int failures_since_success_ = 0;   // the backoff's exponent
  void hold(std::int64_t until);
  std::atomic<std::int64_t> hold_until_{0};  // Retry-After from the portal, or a disk that refused a write
  std::atomic<std::int64_t> hold_set_at_{0};  // when that hold began
  std::int64_t last_alert_at_ = 0;
  int sent_since_checkpoint_ = 0;
  std::int64_t last_checkpoint_ = 0;
  std::string last_alert_;
  void alert(const std::string& text, std::int64_t now);
};

}  // namespace motcua::outbox
