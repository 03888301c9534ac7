#include "devices/card/card_service.h"

#include <PCSC/winscard.h>

#include <cstring>

#include "devices/card/pcsc.h"

namespace motcua::card {

namespace {
// What a read thread and its waiter share; the thread may outlive the waiter.
struct ReadJob {
  std::mutex mutex;
  std::condition_variable changed;
  std::chrono::steady_clock::time_point last_answer = std::chrono::steady_clock::now();
  bool done = false;
  ReadOutcome outcome;
};

// The read's frames held the chip's text, short fields inline in their strings: zero them before
// the thread's stack goes back to glibc's cache of stacks, where the next thread would find them.
[[gnu::noinline]] void scrub_read_stack() {
  char pad[64 * 1024];
  explicit_bzero(pad, sizeof pad);
  __asm__ volatile("" : : "r"(pad) : "memory");
}

std::shared_ptr<ReadJob> launch(const std::string& wanted_reader, ReadRequest request,
                                std::function<void(float)> on_progress) {
  auto job = std::make_shared<ReadJob>();
  std::thread([job, wanted_reader, request = std::move(request), on_progress]() mutable {
    request.progress = [&](float p) {
      {
        std::lock_guard lock(job->mutex);
        job->last_answer = std::chrono::steady_clock::now();
      }
      job->changed.notify_all();
      if (on_progress) on_progress(p);
    };
    ReadOutcome outcome;
    try {
      PcscContext context;
      std::string reader = choose_reader(context.readers(), wanted_reader);
      PcscCard card(context, reader);
      try {
        outcome.read = read_cccd(card, request);
      } catch (const CardError& e) {
        if (e.kind() == CardErrorKind::AccessDenied) card.reset_on_release();
        throw;
      }
    } catch (const CardError& e) {
      outcome.error = e;
    } catch (const std::exception& e) {
      outcome.error = CardError(CardErrorKind::Protocol, e.what());
    }
    {
      std::lock_guard lock(job->mutex);
      job->outcome = std::move(outcome);
      job->done = true;
    }
    job->changed.notify_all();
    scrub_read_stack();
  }).detach();
  return job;
}

// Waits for the job, giving up when the card has been silent for `answer_timeout`.
ReadOutcome wait(const std::shared_ptr<ReadJob>& job, std::chrono::milliseconds answer_timeout,
                 const std::atomic<bool>* abandon = nullptr) {
  std::unique_lock lock(job->mutex);
  while (!job->done) {
    if (abandon && *abandon) return {std::nullopt, CardError(CardErrorKind::CardRemoved, "the read was abandoned")};
    auto deadline = job->last_answer + answer_timeout;
    if (std::chrono::steady_clock::now() >= deadline)
      return {std::nullopt, CardError(CardErrorKind::Mute, "talking to the card: the card does not answer")};
    job->changed.wait_until(lock, std::min(deadline, std::chrono::steady_clock::now() + std::chrono::milliseconds(200)));
  }
  return std::move(job->outcome);
}
}  // namespace

CardRead read_with_deadline(const std::string& wanted_reader, ReadRequest request,
                            std::chrono::milliseconds answer_timeout) {
  auto progress = request.progress;
  ReadOutcome outcome = wait(launch(wanted_reader, std::move(request), progress), answer_timeout);
  if (outcome.error) throw *outcome.error;
  return std::move(*outcome.read);
}

struct CardService::Shared {
  std::string wanted;
  std::chrono::milliseconds answer_timeout;
  std::mutex mutex;
  std::function<void()> wake;  // cleared when the service goes
  Status status;
  std::optional<ReadOutcome> outcome;
  bool reading = false;
  float progress = 0;
  unsigned generation = 0;  // a read whose generation is stale is dropped on arrival
  std::atomic<bool> stop{false};
  std::atomic<long> context_to_cancel{0};

  // Called under the lock: ~CardService clears `wake` under it too, so once the service is gone
  // no call into its owner is still running (the owner's wake takes no lock of ours).
  void notify() {
    std::lock_guard lock(mutex);
    if (wake) wake();
  }
};

CardService::CardService(std::string wanted_reader, std::function<void()> wake, std::chrono::milliseconds answer_timeout)
    : shared_(std::make_shared<Shared>()) {
  shared_->wanted = std::move(wanted_reader);
  shared_->wake = std::move(wake);
  shared_->answer_timeout = answer_timeout;
  watcher_ = std::thread([s = shared_] { watch(s); });
}

CardService::~CardService() {
  shared_->stop = true;
  if (long c = shared_->context_to_cancel.load()) SCardCancel(SCARDCONTEXT(c));
  if (watcher_.joinable()) watcher_.join();
  discard();
  std::lock_guard lock(shared_->mutex);
  shared_->wake = nullptr;
}

void CardService::watch(std::shared_ptr<Shared> s) {
  std::unique_ptr<PcscContext> context;
  while (!s->stop) {
    Status seen;
    try {
      if (!context) {
        context = std::make_unique<PcscContext>();
        s->context_to_cancel = context->handle();
      }
      auto readers = context->readers();
      seen.service = true;
      seen.reader = !readers.empty();
      if (seen.reader) {
        try {
          seen.reader_name = choose_reader(readers, s->wanted);
          for (const auto& r : readers)
            if (r.name == seen.reader_name) seen.card = r.card_present;
        } catch (const CardError&) {
          seen.reader = false;  // the configured reader is not among them
        }
      }
    } catch (const CardError&) {
      s->context_to_cancel = 0;
      context.reset();  // pcscd gone: a fresh context once it is back
    }
    bool changed = false;
    {
      std::lock_guard lock(s->mutex);
      Status& now = s->status;
      if (seen.service != now.service || seen.reader != now.reader || seen.card != now.card ||
          seen.reader_name != now.reader_name) {
        seen.changes = now.changes + 1;
        now = seen;
        changed = true;
      }
    }
    if (changed) s->notify();
    if (s->stop) break;
    try {
      if (context) context->wait_for_change(1000);
      else std::this_thread::sleep_for(std::chrono::milliseconds(500));
    } catch (const CardError&) {
      s->context_to_cancel = 0;
      context.reset();
    }
  }
}

CardService::Status CardService::status() const {
  std::lock_guard lock(shared_->mutex);
  return shared_->status;
}

void CardService::start_read(ReadRequest request) {
  unsigned generation;
  {
    std::lock_guard lock(shared_->mutex);
    generation = ++shared_->generation;
    shared_->reading = true;
    shared_->progress = 0;
    shared_->outcome.reset();
  }
  std::weak_ptr<Shared> weak = shared_;
  auto on_progress = [weak, generation](float p) {
    auto s = weak.lock();
    if (!s) return;
    {
      std::lock_guard lock(s->mutex);
      if (generation != s->generation) return;
      s->progress = p;
    }
    s->notify();
  };
  auto job = launch(shared_->wanted, std::move(request), on_progress);
  // A small waiter thread turns the job into an outcome, or into Mute when the card goes silent.
  std::thread([s = shared_, job, generation] {
    ReadOutcome outcome = wait(job, s->answer_timeout, &s->stop);
    {
      std::lock_guard lock(s->mutex);
      if (generation != s->generation || s->stop) return;  // discarded: `outcome` wipes itself here
      s->outcome = std::move(outcome);
      s->reading = false;
    }
    s->notify();
  }).detach();
}

bool CardService::reading() const {
  std::lock_guard lock(shared_->mutex);
  return shared_->reading;
}

float CardService::progress() const {
  std::lock_guard lock(shared_->mutex);
  return shared_->progress;
}

std::optional<ReadOutcome> CardService::take_outcome() {
  std::lock_guard lock(shared_->mutex);
  auto out = std::move(shared_->outcome);
  shared_->outcome.reset();
  return out;
}

void CardService::discard() {
  std::lock_guard lock(shared_->mutex);
  ++shared_->generation;
  shared_->reading = false;
  shared_->progress = 0;
  shared_->outcome.reset();
}

}  // namespace motcua::card
