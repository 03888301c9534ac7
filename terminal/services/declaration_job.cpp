#include "terminal/services/declaration_job.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "terminal/core/answers.h"
#include "terminal/services/declaration_pdf.h"
#include "terminal/services/declaration_printer.h"

namespace motcua {

namespace fs = std::filesystem;

namespace {

// The file's name is what a file:DIR target keeps: the dossier code, in characters any file
// system and any staff member can read.
std::string file_name(const std::string& code) {
  std::string name = "to-khai";
  if (!code.empty()) name += "-";
  for (char c : code)
    name.push_back((std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.') ? c : '-');
  return name + ".pdf";
}

// An empty owner-only file for Cairo to write into (it opens with fopen, whose mode follows the
// umask): the PDF is never readable by anyone else, not even for a moment.
void create_private(const std::string& path) {
  ::unlink(path.c_str());
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) throw DeclarationError(path + ": cannot create: " + std::strerror(errno));
  ::fchmod(fd, 0600);
  ::close(fd);
}

}  // namespace

DeclarationJob::DeclarationJob(std::string target, const std::string& data_dir, const Strings& strings,
                               std::function<void()> wake)
    : target_(std::move(target)), folder_(data_dir + "/declarations"), strings_(strings), wake_(std::move(wake)) {
  // What a crash (or a power cut) left mid-send is personal data in clear: gone before anything else.
  std::error_code ec;
  if (fs::is_directory(fs::symlink_status(folder_, ec)))
    for (auto& e : fs::directory_iterator(folder_, ec)) fs::remove_all(e.path(), ec);
}

DeclarationJob::~DeclarationJob() {
  size_t dropped = 0;
  {
    std::lock_guard<std::mutex> l(m_);
    stopping_ = true;
    for (Job& j : queue_) wipe_json(j.data);
    dropped = queue_.size();
    queue_.clear();
  }
  wake_worker_.notify_all();
  if (worker_.joinable()) worker_.join();  // the job in lp: 30 s at most
  if (dropped)
    std::fprintf(stderr, "motcua: staff alert: %zu declaration(s) were not sent to the A4 printer: the kiosk stopped first\n",
                 dropped);
}

std::string DeclarationJob::problem() const {
  std::lock_guard<std::mutex> l(m_);
  return problem_;
}

void DeclarationJob::reset() {
  std::lock_guard<std::mutex> l(m_);
  ++job_;  // a job still sending or queued no longer reports here
  state_ = State::Idle;
  problem_.clear();
}

void DeclarationJob::start(const forms::FormPackage& form, nlohmann::json data, const std::string& code,
                           const std::string& lang, const std::string& date) {
  if (state_ == State::Sending) {
    wipe_json(data);
    return;
  }
  std::unique_lock<std::mutex> l(m_);
  unsigned id = ++job_;
  problem_.clear();
  // The worker may still be in lp for an earlier session (30 s at most): this job waits its turn
  // there, never here on the UI thread. A CUPS stalled for minutes is told at once instead.
  if (queue_.size() >= kMaxWaiting) {
    wipe_json(data);
    std::string why = "the A4 printer is still busy with " + std::to_string(queue_.size() + 1) + " earlier declarations";
    problem_ = why;
    state_ = State::Failed;
    l.unlock();
    std::fprintf(stderr, "motcua: staff alert: the declaration was not sent to the A4 printer: %s\n", why.c_str());
    return;
  }
  state_ = State::Sending;
  queue_.push_back(Job{id, form, std::move(data), code, lang, date});
  if (!worker_.joinable()) worker_ = std::thread([this] { run(); });
  l.unlock();
  wake_worker_.notify_one();
}

void DeclarationJob::run() {
  for (;;) {
    Job job;
    {
      std::unique_lock<std::mutex> l(m_);
      wake_worker_.wait(l, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    send(job);
  }
}

void DeclarationJob::send(Job& job) {
  std::string path = folder_ + "/" + file_name(job.code), problem;
  bool sent = false;
  try {
    std::error_code ec;
    fs::create_directories(folder_, ec);
    if (ec || ::chmod(folder_.c_str(), 0700) != 0) throw DeclarationError(folder_ + ": cannot make the private folder");
    create_private(path);
    Declaration d;
    d.form = &job.form;
    d.data = std::move(job.data);
    d.code = job.code;
    d.lang = job.lang;
    d.date = job.date;
    try {
      write_declaration_pdf(d, strings_, path);
    } catch (...) {
      wipe_json(d.data);
      throw;
    }
    wipe_json(d.data);  // from here on only the file holds it, until it is deleted below
    send_declaration(target_, path, job.form.title.in(job.lang));
    sent = true;
  } catch (const std::exception& e) {
    problem = e.what();
  }
  wipe_json(job.data);  // moved from, unless the folder failed first
  ::unlink(path.c_str());
  if (!sent) std::fprintf(stderr, "motcua: staff alert: the declaration was not sent to the A4 printer: %s\n", problem.c_str());
  {
    std::lock_guard<std::mutex> l(m_);
    if (job_ != job.id) return;  // the session ended meanwhile: nobody is waiting for this answer
    problem_ = problem;
    state_ = sent ? State::Sent : State::Failed;
  }
  if (wake_) wake_();
}

}  // namespace motcua
