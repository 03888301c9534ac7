// The status lookup off the screen's thread: one long-lived thread asks the portal (up to its 5 s
// timeout) while the screen keeps drawing and answering; its answer wakes the loop.
// Rule: only the answer to the latest question is handed over; an older one is dropped.
#pragma once
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "terminal/core/session.h"

namespace motcua {

class LookupWorker {
 public:
  // lookup runs on the worker's thread; wake is called there when an answer is ready.
  LookupWorker(StatusLookup lookup, std::function<void()> wake);
  ~LookupWorker();  // waits for a lookup in progress (its own timeout bounds it)
  LookupWorker(const LookupWorker&) = delete;
  LookupWorker& operator=(const LookupWorker&) = delete;

  void start(const std::string& code);    // returns at once; a question not yet begun is replaced
  std::optional<DossierStatus> poll();    // the latest question's answer, once; nothing before it came

 private:
  void run();
  StatusLookup lookup_;
  std::function<void()> wake_;
  std::mutex m_;
  std::condition_variable cv_;
  std::optional<std::string> question_;  // asked, not yet begun
  unsigned asked_ = 0;  // questions asked: an answer to an older one is dropped
  std::optional<DossierStatus> answer_;
  bool stop_ = false;
  std::thread worker_;  // last: it uses every member above
};

}  // namespace motcua
