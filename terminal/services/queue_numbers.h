// Queue ticket numbers per service prefix ("A012"), restarting every day and surviving reboots
// and power cuts: the state file is replaced atomically before a number is handed out, so a
// number is never given twice in a day. Priority tickets have their own series ("UA003").
// Works without the network: each kiosk numbers with its own prefixes. Every read-modify-write
// holds an exclusive lock (QUEUE.json.lock), so two processes never hand out the same number.
#pragma once
#include <stdexcept>
#include <string>

namespace motcua {

struct QueueStateError : std::runtime_error { using std::runtime_error::runtime_error; };

class QueueNumbers {
 public:
  explicit QueueNumbers(std::string state_path) : path_(std::move(state_path)) {}
  // today: YYYY-MM-DD in the centre's time zone. Throws QueueStateError when the state cannot be
  // read or written (the ticket must not be printed then).
  std::string next(const std::string& prefix, bool priority, const std::string& today);
  // Takes back a number whose ticket never reached the printer, if it is still the last one
  // handed out in its series today (otherwise it stays used: numbers never repeat). True if taken back.
  bool give_back(const std::string& number, const std::string& today);

 private:
  std::string path_;
};

}  // namespace motcua
