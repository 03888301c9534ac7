// The kiosk's "In tờ khai": the filled declaration written as a PDF in the kiosk's private
// folder and handed to the A4 printer (config "declarationPrinter"), off the UI thread, since lp
// may take 30 s.
// Rules: CUPS or the folder taking the file is "sent", never "printed". The PDF holds personal
// data: it exists only as an owner-only file in DATA_DIR/declarations while it is being sent and
// is deleted after, whatever happened (and at the next start after a crash); the data it was
// made from is wiped once it is written. Why a job failed goes to the staff log, never to the
// citizen's screen, and never with the citizen's data.
#pragma once
#include <atomic>
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
  ~DeclarationJob();  // waits for a job in progress (30 s at most)
  DeclarationJob(const DeclarationJob&) = delete;
  DeclarationJob& operator=(const DeclarationJob&) = delete;

  // One job at a time: ignored while one is sending. `data` is the dossier's data (wiped by the
  // job once the PDF is written); code, lang and date (YYYY-MM-DD) as for write_declaration_pdf.
  void start(const forms::FormPackage& form, nlohmann::json data, const std::string& code, const std::string& lang,
             const std::string& date);
  State state() const { return state_; }
  std::string problem() const;  // the last failure, for staff (no personal data)
  // Session end: forgets the last job's state at once; a job still sending finishes on its own
  // (and deletes its file), its outcome no longer shown.
  void reset();
  const std::string& folder() const { return folder_; }  // where the PDF lives while it is sent

 private:
  void join();

  std::string target_, folder_;
  const Strings& strings_;
  std::function<void()> wake_;
  std::atomic<State> state_{State::Idle};
  std::atomic<unsigned> job_{0};  // the job whose outcome the screen shows
  mutable std::mutex m_;
  std::string problem_;
  std::thread worker_;
};

}  // namespace motcua
