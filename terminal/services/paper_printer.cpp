#include "terminal/services/paper_printer.h"

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "devices/printer/documents.h"
#include "devices/printer/layout.h"
#include "devices/printer/transport.h"
#include "terminal/core/answers.h"

namespace motcua {

PaperPrinter::PaperPrinter(const KioskConfig& config, const Strings& strings, std::string data_root,
                               std::function<void()> wake)
    : config_(config), strings_(strings), data_root_(std::move(data_root)), wake_(std::move(wake)),
      worker_([this] { run(); }) {}

PaperPrinter::~PaperPrinter() {
  {
    std::lock_guard<std::mutex> l(m_);
    stopping_ = true;
  }
  cv_.notify_all();
  worker_.join();
}

std::string PaperPrinter::problem() const {
  std::lock_guard<std::mutex> l(m_);
  return problem_;
}

void PaperPrinter::reset() {
  std::lock_guard<std::mutex> l(m_);
  ++generation_;
  state_ = State::Idle;
  problem_.clear();
  // Receipts and tickets still print for whoever waits for them; a citizen's answers sheet that
  // has not started would come out into the next citizen's hands.
  for (auto it = queue_.begin(); it != queue_.end();) {
    if (it->kind != "answers") {
      ++it;
      continue;
    }
    std::fprintf(stderr, "motcua: staff alert: answers not printed: the session ended before the printer was free\n");
    wipe_json(it->input);
    remember_end(it->generation, State::Failed);
    it = queue_.erase(it);
  }
}

unsigned PaperPrinter::start(const std::string& kind, nlohmann::json input, const std::string& lang) {
  unsigned job;
  {
    std::lock_guard<std::mutex> l(m_);
    job = ++generation_;
    queue_.push_back({kind, std::move(input), lang, job});
    state_ = State::Printing;
    problem_.clear();
  }
  cv_.notify_all();
  return job;
}

PaperPrinter::State PaperPrinter::state_of(unsigned job) const {
  if (job == 0) return State::Idle;
  std::lock_guard<std::mutex> l(m_);
  if (job == printing_) return State::Printing;
  for (const Job& waiting : queue_)
    if (waiting.generation == job) return State::Printing;
  auto ended = ended_.find(job);
  return ended == ended_.end() ? State::Idle : ended->second;
}

void PaperPrinter::remember_end(unsigned job, State state) {
  ended_[job] = state;
  while (ended_.size() > kEndsKept) ended_.erase(ended_.begin());  // the oldest job goes first
}

unsigned PaperPrinter::latest() const {
  std::lock_guard<std::mutex> l(m_);
  return generation_;
}

void PaperPrinter::run() {
  for (;;) {
    Job job;
    {
      std::unique_lock<std::mutex> l(m_);
      cv_.wait(l, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) {
        // The kiosk stops: what has not started is not printed, and staff hear of it.
        for (Job& left : queue_) {
          std::fprintf(stderr, "motcua: staff alert: %s not printed: the kiosk stopped first\n", left.kind.c_str());
          wipe_json(left.input);
        }
        queue_.clear();
        return;
      }
      job = std::move(queue_.front());
      queue_.pop_front();
      printing_ = job.generation;
    }
    Outcome outcome = print(job);
    {
      std::lock_guard<std::mutex> l(m_);
      printing_ = 0;
      remember_end(job.generation, outcome.state);
      if (job.generation == generation_) {  // else a newer job or a new session is on screen
        problem_ = outcome.problem;
        state_ = outcome.state;
      }
    }
    if (wake_) wake_();
  }
}

PaperPrinter::Outcome PaperPrinter::print(Job& request) {
  const std::string& kind = request.kind;
  const std::string& lang = request.lang;
  nlohmann::json& input = request.input;  // wiped here when it is personal
  std::string problem;
  State done = State::Failed;
  // The answers sheet is personal data: paper only, never a file, and wiped once printed.
  const bool personal = kind == "answers";
  nlohmann::json fields;
  try {
    if (personal && config_.printer.rfind("file:", 0) == 0)
      throw std::runtime_error("no paper printer: a citizen's answers are never written to a file (" + config_.printer + ")");
    const printer::Profile* profile = printer::find_profile(config_.printer_profile);
    std::ifstream in(data_root_ + "/assets/print/" + kind + ".json");
    auto layout = nlohmann::json::parse(in);
    printer::TextRenderer renderer;
    fields = kind == "ticket" ? printer::ticket_fields(input, lang)
           : kind == "apology" ? printer::apology_fields(input, lang)
           : kind == "checklist" ? printer::checklist_fields(input, lang)
           : personal ? printer::answers_fields(input, lang)
                      : printer::receipt_fields(input, lang);
    std::vector<std::string> notes;
    auto parts = printer::lay_out(layout, fields,
                                  [&](const std::string& k) { return strings_.get(lang, k); }, *profile, renderer, &notes);
    for (auto& n : notes) std::fprintf(stderr, "motcua: %s: %s\n", kind.c_str(), n.c_str());
    std::string target = config_.printer;
    if (target.rfind("file:", 0) == 0) std::filesystem::create_directories(target.substr(5));
    auto transport = printer::open_transport(target);
    auto job = printer::escpos_job(parts, *profile);
    auto outcome = printer::print_job(*transport, job, profile->confirm);
    if (personal) secure_zero(job.data(), job.size());
    done = outcome.delivery == printer::Delivery::Printed ? State::Printed
         : outcome.delivery == printer::Delivery::Sent ? State::Sent
         : outcome.delivery == printer::Delivery::NotConfirmed ? State::NotConfirmed
                                                               : State::Failed;
    if (!outcome.problem.empty()) problem = transport->describe() + ": " + outcome.problem;
    near_end_ = outcome.paper_near_end;
    if (outcome.paper_near_end) std::fprintf(stderr, "motcua: staff alert: %s: paper roll nearly empty\n", transport->describe().c_str());
  } catch (const std::exception& e) {
    problem = e.what();
    done = State::Failed;
  }
  if (personal) {
    wipe_json(input);
    wipe_json(fields);
  }
  if (done == State::Failed || done == State::NotConfirmed)
    std::fprintf(stderr, "motcua: staff alert: %s %s: %s\n", kind.c_str(),
                 done == State::Failed ? "not printed" : "not confirmed by the printer", problem.c_str());
  return {done, problem};
}

}  // namespace motcua
