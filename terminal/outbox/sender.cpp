#include "terminal/outbox/sender.h"

#include <cmath>
#include <cstdio>
#include <ctime>

#include "terminal/outbox/crash_points.h"

namespace motcua::outbox {

namespace {

std::int64_t unix_now() { return static_cast<std::int64_t>(std::time(nullptr)); }

std::uint64_t seed_of(std::uint64_t seed) {
  return seed ? seed : static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
}

}  // namespace

std::string path_for(const std::string& kind) { return kind == "evaluation" ? "/v1/evaluations" : "/v1/dossiers"; }

Sender::Sender(Store& store, SenderOptions options)
    : store_(store), options_(std::move(options)), client_(options_.portal),
      backoff_(seed_of(options_.seed), options_.backoff_base_s, options_.backoff_cap_s) {}

Sender::~Sender() { stop(); }

void Sender::start() {
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { run(); });
}

void Sender::stop() {
  {
    std::lock_guard<std::mutex> l(m_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Sender::kick() {
  {
    std::lock_guard<std::mutex> l(m_);
    kicked_ = true;
  }
  cv_.notify_all();
}

bool Sender::send_one(std::int64_t now) {
  if (!store_.paused().empty()) return false;
  std::optional<Item> item = store_.next_due(now);
  if (!item) return false;
  crash_point("send:posting");
  std::string body;
  try {
    body = store_.body(item->uuid);
  } catch (const StoreError& e) {
    store_.mark_rejected(item->uuid, e.what());
    return true;
  }
  HttpResponse r = client_.post(path_for(item->kind), body, {{"Idempotency-Key", item->uuid}});
  Verdict v = judge(r);
  switch (v.kind) {
    case Verdict::Kind::Sent:
      store_.mark_sent(item->uuid, v.code, v.received_at, v.appointment, unix_now());
      last_failure_network_ = false;
      break;
    case Verdict::Kind::Retry: {
      double delay = std::max(v.retry_after_s, backoff_.delay_s(item->attempts + 1));
      store_.mark_retry(item->uuid, v.error, now + static_cast<std::int64_t>(std::ceil(delay)));
      last_failure_network_ = v.network;
      break;
    }
    case Verdict::Kind::Pause:
      store_.mark_retry(item->uuid, v.error, 0);
      store_.pause(v.error);
      std::fprintf(stderr, "motcua: staff alert: outbox paused: %s\n", v.error.c_str());
      break;
    case Verdict::Kind::Reject:
      store_.mark_rejected(item->uuid, v.error);
      std::fprintf(stderr, "motcua: staff alert: %s %s: %s\n", item->kind.c_str(), item->kiosk_reference.c_str(), v.error.c_str());
      break;
  }
  {
    std::lock_guard<std::mutex> l(m_);
    ++changes_;
  }
  cv_.notify_all();  // wakes wait_for()
  if (options_.on_change && v.kind != Verdict::Kind::Retry) options_.on_change();
  return true;
}

bool Sender::probe_health() {
  HttpResponse r = client_.get("/v1/health");
  return r.status == 200 && r.from_portal();
}

void Sender::run() {
  std::int64_t last_probe = 0;
  while (true) {
    {
      std::lock_guard<std::mutex> l(m_);
      if (stop_) return;
      kicked_ = false;
    }
    std::int64_t now = unix_now();
    bool sent_something = false;
    try {
      sent_something = send_one(now);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "motcua: outbox: %s\n", e.what());
    }
    if (sent_something) continue;
    if (!store_.paused().empty()) {  // staff must act (motcua outbox retry); look again now and then
      std::unique_lock<std::mutex> l(m_);
      cv_.wait_for(l, std::chrono::duration<double>(options_.probe_s), [this] { return stop_ || kicked_; });
      continue;
    }

    // Nothing due. Sleep until the next item is due, but look at the network meanwhile.
    auto next = store_.next_attempt_at();
    double wait_s = options_.probe_s;
    if (next) wait_s = std::min<double>(wait_s, static_cast<double>(std::max<std::int64_t>(*next - now, 0)) + 0.05);
    if (next && last_failure_network_ && now - last_probe >= options_.probe_s && *next > now) {
      last_probe = now;
      if (probe_health()) {
        last_failure_network_ = false;
        store_.make_all_due();  // the network is back: everything waiting goes now
        continue;
      }
    }
    std::unique_lock<std::mutex> l(m_);
    cv_.wait_for(l, std::chrono::duration<double>(wait_s), [this] { return stop_ || kicked_; });
  }
}

std::optional<Item> Sender::wait_for(const std::string& uuid, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    unsigned seen;
    {
      std::lock_guard<std::mutex> l(m_);
      seen = changes_;
    }
    std::optional<Item> item = store_.find(uuid);
    if (!item || item->state != "waiting" || item->attempts > 0) return item;
    std::unique_lock<std::mutex> l(m_);
    if (!cv_.wait_until(l, deadline, [&] { return changes_ != seen || stop_; })) return store_.find(uuid);
    if (stop_) return store_.find(uuid);
  }
}

}  // namespace motcua::outbox
