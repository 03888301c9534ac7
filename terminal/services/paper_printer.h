// Prints receipts and queue tickets in the background so the screen never waits on paper.
// Rule: whatever the printer does, the citizen leaves with the code: unless the printer confirmed
// the job, the receipt screen shows it as text and a QR to photograph, and when it failed or went
// unconfirmed staff are alerted (no personal data). A ticket's number is on screen either way.
#pragma once
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "terminal/core/config.h"
#include "terminal/core/locale.h"

namespace motcua {

class PaperPrinter {
 public:
  // Printed: the printer confirmed the whole job. Sent: a target that cannot answer (file, cups)
  // took it. NotConfirmed: sent, no confirmation in time. Failed: the printer said why not.
  enum class State { Idle, Printing, Printed, Failed, Sent, NotConfirmed };

  // wake is called from the printing thread when a job ends, to redraw the screen.
  PaperPrinter(const KioskConfig& config, const Strings& strings, std::string data_root, std::function<void()> wake);
  ~PaperPrinter();  // finishes the job on paper; jobs still waiting are dropped (staff are told)

  // kind: receipt, ticket, apology, answers or checklist (assets/print/<kind>.json); input as for `motcua print`.
  // answers is personal data: refused on a file target, wiped once printed.
  // Returns at once: jobs print one after another on the printer's own thread, and state() follows
  // the job started last.
  unsigned start(const std::string& kind, nlohmann::json input, const std::string& lang);  // the job's number
  unsigned latest() const;  // the number of the job the state follows (a reset moves it on)
  State state() const { return state_; }
  // One job's own state, whatever started after it (the receipt's news stays the receipt's when a
  // queue ticket follows): Printing while queued or on paper, then how it ended; Idle for 0, for a
  // job whose end has been forgotten (the last 16 ends are kept), and for one never started.
  State state_of(unsigned job) const;
  std::string problem() const;
  bool paper_near_end() const { return near_end_; }  // the last job's printer asked for a new roll
  void reset();  // session end: forget the last job (it still prints), without waiting for it

 private:
  struct Job {
    std::string kind;
    nlohmann::json input;
    std::string lang;
    unsigned generation = 0;  // the screen follows this job while it is the latest
  };
  struct Outcome {
    State state = State::Failed;
    std::string problem;
  };
  Outcome print(Job& request);
  void run();
  void remember_end(unsigned job, State state);  // m_ held

  static constexpr size_t kEndsKept = 16;

  const KioskConfig& config_;
  const Strings& strings_;
  std::string data_root_;
  std::function<void()> wake_;
  std::atomic<State> state_{State::Idle};
  std::atomic<bool> near_end_{false};
  mutable std::mutex m_;
  std::condition_variable cv_;
  std::deque<Job> queue_;
  unsigned generation_ = 0;
  unsigned printing_ = 0;          // the job on paper now, 0 when none
  std::map<unsigned, State> ended_;  // job number → how it ended, the latest kEndsKept
  bool stopping_ = false;
  std::string problem_;
  std::thread worker_;  // last: it reads every member above
};


}  // namespace motcua
