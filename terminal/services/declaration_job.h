// The kiosk's "In tờ khai": the filled declaration written as a PDF in the kiosk's private
// folder and handed to the A4 printer (config "declarationPrinter"), off the UI thread, since lp
// may take 30 s. One worker sends the jobs one after another; start() never waits for it, so the
// next citizen's tap answers at once even while an earlier session's job is still in lp.
// Rules: CUPS or the folder taking the file is "sent", never "printed". The PDF holds personal
// data: it exists only as an owner-only file in DATA_DIR/declarations while it is being sent and
// is deleted after, whatever happened (and at the next start after a crash); the data it was
// made from is wiped once it is written. Why a job failed goes to the staff log, never to the
// citizen's screen, and never with the citizen's data.
#pragma once
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "forms/package.h"
#include "terminal/core/locale.h"

namespace motcua {

class DeclarationJob {
 public:
  enum class State { Idle, Sending, Sent, Failed };

  // target: cups:QUEUE or file:DIR; data_dir: the kiosk's private data folder. Deletes what a
  // crash left in DATA_DIR/declarations. wake is called from the worker when a job ends.
  DeclarationJob(std::string target, const std::string& data_dir, const Strings& strings, std::function<void()> wake);
  // Waits for the job in lp (30 s at most); jobs still queued behind it are dropped, their data wiped.
  ~DeclarationJob();
  DeclarationJob(const DeclarationJob&) = delete;
  DeclarationJob& operator=(const DeclarationJob&) = delete;

  // One job per session at a time: ignored while this session's job is sending. Returns at once:
  // the job is queued behind earlier sessions' jobs (kMaxWaiting at most; beyond that it fails at
  // once, said to staff). `data` is the dossier's data (wiped by the job once the PDF is written);
  // code, lang and date (YYYY-MM-DD) as for write_declaration_pdf.
  void start(const forms::FormPackage& form, nlohmann::json data, const std::string& code, const std::string& lang,
             const std::string& date);
  State state() const { return state_; }
  std::string problem() const;  // the last failure, for staff (no personal data)
  // Session end: forgets the last job's state at once; a job still sending or queued finishes on
  // its own (and deletes its file), its outcome no longer shown.
  void reset();
  const std::string& folder() const { return folder_; }  // where the PDF lives while it is sent
  // file:DIR: the PDF goes to a folder (staff print it), so no paper comes out for the citizen.
  bool to_folder() const { return target_.rfind("file:", 0) == 0; }
  static constexpr size_t kMaxWaiting = 3;  // queued behind the one in lp: minutes of a stalled CUPS

 private:
  struct Job {
    unsigned id = 0;
    forms::FormPackage form;  // a copy: a catalog sync may replace the kiosk's own while lp runs
    nlohmann::json data;
    std::string code, lang, date;
  };
  void run();
  void send(Job& job);

  std::string target_, folder_;
  const Strings& strings_;
  std::function<void()> wake_;
  std::atomic<State> state_{State::Idle};
  std::atomic<unsigned> job_{0};  // the job whose outcome the screen shows
  mutable std::mutex m_;
  std::string problem_;
  std::deque<Job> queue_;  // waiting for the worker, oldest first
  bool stopping_ = false;
  std::condition_variable wake_worker_;
  std::thread worker_;  // started with the first job
};

}  // namespace motcua
