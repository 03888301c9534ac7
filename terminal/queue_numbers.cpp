#include "terminal/queue_numbers.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
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

}  // namespace

std::string QueueNumbers::next(const std::string& prefix, bool priority, const std::string& today) {
  if (prefix.empty() || prefix.size() > 3 || prefix.find_first_not_of("ABCDEFGHIJKLMNOPQRSTVWXYZ0123456789") != std::string::npos)
    throw QueueStateError("prefix \"" + prefix + "\": expected 1-3 capital letters or digits (U is kept for priority)");
  nlohmann::json state = {{"date", today}, {"counters", nlohmann::json::object()}};
  if (std::filesystem::exists(path_)) {
    std::ifstream in(path_);
    nlohmann::json saved = nlohmann::json::parse(in, nullptr, false);
    if (saved.is_discarded() || !saved.contains("date") || !saved.contains("counters"))
      throw QueueStateError(path_ + ": the queue state is damaged; move it aside to start numbering again");
    if (saved["date"] == today) state = saved;  // a new day starts from 1
  }
  std::string series = (priority ? "U" : "") + prefix;
  int n = state["counters"].value(series, 0) + 1;
  if (n > 999) throw QueueStateError("series " + series + " has used all 999 numbers today");
  state["counters"][series] = n;
  std::filesystem::path dir = std::filesystem::path(path_).parent_path();
  if (!dir.empty()) std::filesystem::create_directories(dir);
  write_durably(path_, state.dump());
  char out[16];
  std::snprintf(out, sizeof out, "%s%03d", series.c_str(), n);
  return out;
}

}  // namespace motcua
