#include "terminal/services/outbox/sender.h"

#include <cmath>
#include <cstdio>
#include <ctime>
#include <functional>
#include <set>

#include "terminal/services/outbox/crash_points.h"

namespace motcua::outbox {

namespace {

std::int64_t unix_now() { return static_cast<std::int64_t>(std::time(nullptr)); }

std::uint64_t seed_of(std::uint64_t seed) {
  return seed ? seed : static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
}

}  // namespace

std::string path_for(const std::string& kind) { return kind == "evaluation" ? "/v1/evaluations" : "/v1/dossiers"; }

namespace {
SenderOptions cut_short_by(SenderOptions options, const std::atomic<bool>* stopping) {
  options.portal.cancel = stopping;
  return options;
}
}  // namespace

Sender::Sender(Store& store, SenderOptions options)
    : store_(store), options_(cut_short_by(std::move(options), &stopping_)), client_(options_.portal),
      backoff_(seed_of(options_.seed), options_.backoff_base_s, options_.backoff_cap_s) {}

Sender::~Sender() { stop(); }

void Sender::start() {
  if (thread_.joinable()) return;
  stop_ = false;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void Sender::stop() {
  {
    std::lock_guard<std::mutex> l(m_);
    stop_ = true;
  }
  stopping_ = true;  // requests in flight end within a second; their dossiers go again at the next start
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

void Sender::alert(const std::string& text, std::int64_t now) {
  // Staff see every new fault, and a repeating one once a minute: a hostile portal cannot flood the log.
  if (text == last_alert_ && now - last_alert_at_ < 60) return;
  last_alert_ = text;
  last_alert_at_ = now;
  std::fprintf(stderr, "motcua: staff alert: outbox: %s\n", text.c_str());
}

bool Sender::send_one(std::int64_t now) { return send_batch(now, 1, 1) > 0; }

int Sender::send_batch(std::int64_t start, int in_flight, int max_items) {
  if (start < hold_until_ || !store_.paused().empty()) return 0;
  // A batch may last minutes (slow answers): each outcome and each hold is timed when it comes,
  // as `start` plus the seconds since, so a Retry-After counts from its answer, not the batch's start.
  // `start` was read from the clock just before, and a second may have turned since: counted
  // from now, every time of the batch would run a second behind (a Retry-After 1 would hold nothing).
  const std::int64_t real_start = unix_now();
  const std::int64_t started_at = real_start - start == 1 ? start : real_start;
  auto clock = [&] { return start + std::max<std::int64_t>(0, unix_now() - started_at); };
  in_flight = std::max(in_flight, 1);
  while (static_cast<int>(more_clients_.size()) + 1 < in_flight) more_clients_.push_back(std::make_unique<PortalClient>(options_.portal));
  struct Slot {
    Item item;
    std::string body;
    HttpResponse answer;
    std::thread thread;
    bool busy = false;
  };
  std::vector<Slot> slots(static_cast<size_t>(in_flight));
  auto client = [&](size_t i) -> PortalClient& { return i == 0 ? client_ : *more_clients_[i - 1]; };
  std::mutex done_m;
  std::condition_variable done_cv;
  std::vector<size_t> done;
  int tried = 0, busy = 0, taken = 0;
  bool more = true;

  // Fills idle connections with the oldest due items not already on their way. While the portal
  // is failing, one request at a time (the first answer decides whether more follow).
  auto dispatch = [&] {
    const std::int64_t now = clock();
    if (!more || now < hold_until_ || (failing_ && (busy > 0 || tried > 0))) return;
    {
      std::lock_guard<std::mutex> l(m_);
      if (stop_ && tried > 0) return;
    }
    if (!store_.paused().empty()) return;
    int want = std::min(failing_ ? 1 : in_flight - busy, max_items - taken);
    if (want <= 0) return;
    std::set<std::string> going;
    for (auto& s : slots)
      if (s.busy) going.insert(s.item.uuid);
    std::vector<Item> items = store_.due(now, want + busy);
    int added = 0;
    for (auto& item : items) {
      if (going.count(item.uuid) || added == want) continue;
      crash_point("send:posting");
      ++taken;
      std::string body;
      try {
        body = store_.body(item.uuid);
      } catch (const StoreError& e) {
        store_.mark_rejected(item.uuid, e.what());
        ++tried;
        if (options_.on_change) options_.on_change();  // a receipt may be waiting for it
        continue;
      }
      size_t i = 0;
      while (slots[i].busy) ++i;
      Slot& slot = slots[i];
      if (slot.thread.joinable()) slot.thread.join();
      slot.item = std::move(item);
      slot.body = std::move(body);
      slot.busy = true;
      ++busy, ++added;
      slot.thread = std::thread([&, i] {
        Slot& s = slots[i];
        try {
          s.answer = client(i).post(path_for(s.item.kind), s.body, {{"Idempotency-Key", s.item.uuid}});
        } catch (const std::exception& e) {  // out of memory and the like: no answer, the item waits
          s.answer = HttpResponse{};
          s.answer.transport_error = e.what();
        }
        std::lock_guard<std::mutex> l(done_m);
        done.push_back(i);
        done_cv.notify_one();
      });
    }
    if (added == 0 && busy == 0) more = false;  // nothing left to send
  };

  // Each answer is recorded as it comes (oldest first among those in), and its connection is
  // refilled at once: the portal always has `in_flight` dossiers to work on.
  try {
    dispatch();
    while (busy > 0) {
      size_t i;
      {
        std::unique_lock<std::mutex> l(done_m);
        done_cv.wait(l, [&] { return !done.empty(); });
        i = done.front();
        done.erase(done.begin());
      }
      Slot& slot = slots[i];
      slot.thread.join();
      slot.busy = false;
      --busy;
      ++tried;
      record(slot.item, slot.answer, client(i), clock());
      dispatch();
    }
  } catch (...) {
    // The disk refused an outcome: let the requests on their way finish (their answers are not
    // recorded; those dossiers go again under their keys) and tell the caller.
    for (auto& s : slots)
      if (s.thread.joinable()) s.thread.join();
    throw;
  }
  for (auto& s : slots)
    if (s.thread.joinable()) s.thread.join();
  return tried;
}

// The hold's start is read from the clock, not from `now` (a test's, or one a batch computed): a
// dossier made during the batch counts as made before it (it may be in flight).
void Sender::hold(std::int64_t until) {
  hold_set_at_ = unix_now();
  hold_until_ = until;
}

void Sender::record(const Item& item, const HttpResponse& r, PortalClient& client, std::int64_t now) {
  // Cut short by stop(): nothing is known about it, so nothing is recorded (no attempt counted, no
  // backoff); it is still waiting and goes first at the next start, under the same key.
  if (r.cancelled) return;
  Expected expected{item.kind, item.kiosk_reference};
  if (item.kind == "evaluation" && expected.reference.rfind("EVAL-", 0) == 0) expected.reference.erase(0, 5);
  Verdict v = judge(r, expected);
  if (v.protocol) {
    client.drop_connection();  // whatever else is buffered on it belongs to no request of ours
    alert(item.kind + " " + item.kiosk_reference + ": " + v.error, now);
  }
  switch (v.kind) {
    case Verdict::Kind::Sent:
      store_.mark_sent(item.uuid, v.code, v.received_at, v.appointment, now);
      failing_ = false;
      failures_since_success_ = 0;
      break;
    case Verdict::Kind::Retry: {
      failing_ = true;
      ++failures_since_success_;
      int exponent = std::min(item.attempts + 1, failures_since_success_);
      double after = std::min(v.retry_after_s, options_.retry_after_cap_s);
      double delay = std::max(after, backoff_.delay_s(exponent));
      store_.mark_retry(item.uuid, v.error, next_attempt(now, delay, options_.min_retry_s, options_.backoff_cap_s), now);
      // The portal asked everyone to wait. Set after the attempt is recorded: a screen that sees
      // the hold sees this dossier's failed attempt too.
      if (after > 0) hold(next_attempt(now, after, 0, options_.retry_after_cap_s));
      break;
    }
    case Verdict::Kind::Pause:
      // Paused before the attempt is recorded: whoever sees the attempt (the receipt's answer)
      // sees the pause too, and does not promise "sent automatically later".
      store_.pause(v.error);
      store_.mark_retry(item.uuid, v.error, 0, now);
      alert("paused: " + v.error, now);
      break;
    case Verdict::Kind::Reject:
      store_.mark_rejected(item.uuid, v.error);
      alert(item.kind + " " + item.kiosk_reference + ": " + v.error, now);
      break;
  }
  // A retry is news only after a dossier's first attempt: a receipt may be waiting for it.
  if (options_.on_change && (v.kind != Verdict::Kind::Retry || item.attempts == 0)) options_.on_change();
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
      sent_something = send_batch(now, options_.in_flight, 256) > 0;
    } catch (const std::exception& e) {
      // Most likely the disk (full, read-only): nothing was recorded, so the item is still
      // waiting and goes again with the same key once the hold is over.
      // Held from the failure, not from the batch's start: a long batch's hold would be over.
      const std::int64_t failed_at = unix_now();
      alert(std::string("cannot record an outcome, holding the queue: ") + e.what(), failed_at);
      hold(next_attempt(failed_at, options_.disk_hold_s, 0, options_.disk_hold_s));
      if (options_.on_change) options_.on_change();
    }
    if (sent_something) {
      if (++sent_since_checkpoint_ >= 256) {  // a long drain folds its log now and then
        sent_since_checkpoint_ = 0;
        store_.checkpoint();
      }
      continue;
    }
    if (sent_since_checkpoint_ > 0 || now - last_checkpoint_ >= 60) {  // idle: fold the log while no citizen waits on it
      sent_since_checkpoint_ = 0;
      last_checkpoint_ = now;
      store_.checkpoint();
    }
    double wait_s = options_.probe_s;
    bool paused = false;
    std::optional<std::int64_t> next;
    try {
      paused = !store_.paused().empty();
      next = store_.next_attempt_at();
    } catch (const std::exception&) {
    }
    if (now < hold_until_) {
      wait_s = static_cast<double>(hold_until_ - now) + 0.05;
    } else if (!paused) {  // paused: staff must act (motcua outbox retry); look again now and then
      if (next) wait_s = std::min<double>(wait_s, static_cast<double>(std::max<std::int64_t>(*next - now, 0)) + 0.05);
      // After any failure, ask the portal's health now and then: when it answers, everything
      // waiting goes (each no sooner than its own minimum gap), not when a long backoff ends.
      if (next && failing_ && *next > now && now - last_probe >= options_.probe_s) {
        last_probe = now;
        if (probe_health()) {
          failing_ = false;
          failures_since_success_ = 0;
          try {
            store_.make_due(static_cast<std::int64_t>(std::ceil(options_.min_retry_s)));
          } catch (const std::exception& e) {
            alert(e.what(), now);
          }
          continue;
        }
      }
    }
    std::unique_lock<std::mutex> l(m_);
    cv_.wait_for(l, std::chrono::duration<double>(wait_s), [this] { return stop_ || kicked_; });
  }
}

}  // namespace motcua::outbox
