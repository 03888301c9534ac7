#include "terminal/services/queue_numbers.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

namespace motcua {

namespace {

void write_durably(const std::string& path, const std::string& text) {
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw QueueStateError(tmp + ": cannot write the queue state");
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && fsync(fd) == 0;
  ::close(fd);
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) throw QueueStateError(path + ": cannot save the queue state");
  std::string dir = std::filesystem::path(path).parent_path().string();
  int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) { fsync(dfd); ::close(dfd); }  // the rename itself must survive a power cut
}

// Held while the state is read and replaced.
class StateLock {
 public:
  explicit StateLock(const std::string& path) {
    std::filesystem::path dir = std::filesystem::path(path).parent_path();
    if (!dir.empty()) std::filesystem::create_directories(dir);
    fd_ = ::open((path + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ < 0 || flock(fd_, LOCK_EX) != 0) throw QueueStateError(path + ".lock: cannot lock the queue state");
  }
  ~StateLock() { ::close(fd_); }
  StateLock(const StateLock&) = delete;
  StateLock& operator=(const StateLock&) = delete;

 private:
  int fd_ = -1;
};

nlohmann::json load(const std::string& path, const std::string& today) {
  nlohmann::json state = {{"date", today}, {"counters", nlohmann::json::object()}};
  if (std::filesystem::exists(path)) {
    std::ifstream in(path);
    nlohmann::json saved = nlohmann::json::parse(in, nullptr, false);
    if (saved.is_discarded() || !saved.is_object() || !saved.contains("date") || !saved.contains("counters") ||
        !saved["counters"].is_object())
      throw QueueStateError(path + ": the queue state is damaged; move it aside to start numbering again");
    for (auto& [series, n] : saved["counters"].items())
      if (!n.is_number_integer() || n.get<long long>() < 0 || n.get<long long>() > 999)
        throw QueueStateError(path + ": the queue state is damaged (series " + series + "); move it aside to start numbering again");
    if (saved["date"] == today) state = saved;  // a new day starts from 1
  }
  return state;
}

}  // namespace

bool QueueNumbers::give_back(const std::string& number, const std::string& today) {
  if (number.size() < 4) return false;
  std::string series = number.substr(0, number.size() - 3);
  int n = std::atoi(number.c_str() + series.size());
  StateLock lock(path_);
  nlohmann::json state = load(path_, today);
  if (state["counters"].value(series, 0) != n || n <= 0) return false;  // a later ticket was already issued
  state["counters"][series] = n - 1;
  write_durably(path_, state.dump());
  return true;
}

std::string QueueNumbers::next(const std::string& prefix, bool priority, const std::string& today) {
  if (prefix.empty() || prefix.size() > 3 || prefix.find_first_not_of("ABCDEFGHIJKLMNOPQRSTVWXYZ0123456789") != std::string::npos)
    throw QueueStateError("prefix \"" + prefix + "\": expected 1-3 capital letters or digits (U is kept for priority)");
  StateLock lock(path_);
  nlohmann::json state = load(path_, today);
  std::string series = (priority ? "U" : "") + prefix;
  int n = state["counters"].value(series, 0) + 1;
  if (n > 999) throw QueueStateError("series " + series + " has used all 999 numbers today");
  state["counters"][series] = n;
  write_durably(path_, state.dump());
  char out[16];
  std::snprintf(out, sizeof out, "%s%03d", series.c_str(), n);
  return out;
}

}  // namespace motcua
