#include "terminal/services/lookup_worker.h"

namespace motcua {

LookupWorker::LookupWorker(StatusLookup lookup, std::function<void()> wake)
    : lookup_(std::move(lookup)), wake_(std::move(wake)), worker_([this] { run(); }) {}

LookupWorker::~LookupWorker() {
  {
    std::lock_guard<std::mutex> l(m_);
    stop_ = true;
  }
  cv_.notify_all();
  worker_.join();
}

void LookupWorker::start(const std::string& code) {
  {
    std::lock_guard<std::mutex> l(m_);
    question_ = code;
    ++asked_;
    answer_.reset();  // an older question's answer is not this one's
  }
  cv_.notify_all();
}

std::optional<DossierStatus> LookupWorker::poll() {
  std::lock_guard<std::mutex> l(m_);
  std::optional<DossierStatus> out = std::move(answer_);
  answer_.reset();
  return out;
}

void LookupWorker::run() {
  std::unique_lock<std::mutex> l(m_);
  for (;;) {
    cv_.wait(l, [this] { return stop_ || question_; });
    if (stop_) return;
    std::string code = std::move(*question_);
    question_.reset();
    const unsigned asking = asked_;
    l.unlock();
    DossierStatus status;
    try {
      status = lookup_(code);
    } catch (...) {
      status = DossierStatus{};  // Unavailable: said as "cannot look it up now"
    }
    l.lock();
    if (asking != asked_) continue;  // asked again meanwhile: that answer is the one wanted
    answer_ = std::move(status);
    l.unlock();
    if (wake_) wake_();
    l.lock();
  }
}

}  // namespace motcua
