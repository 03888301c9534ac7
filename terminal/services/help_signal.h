// "Cần giúp đỡ" beyond the kiosk's own alert line: the centre's local signal, when configured.
// Rules: never blocks the screen (each call runs on its own thread), carries the kiosk id and the
// step only (never personal data), gives up after a few seconds, and reports failures as staff alerts.
#pragma once
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace motcua {

class HelpSignal {
 public:
  // command: argv run with MOTCUA_KIOSK_ID and MOTCUA_STEP set; url: http(s):// address POSTed
  // {"event": "help", "kiosk": ..., "step": ...}. Either may be empty. on_done: a call ended
  // (from its thread), so the screen can say how.
  HelpSignal(std::vector<std::string> command, std::string url, std::function<void()> on_done = {});
  ~HelpSignal();  // waits for calls in flight (each at most kTimeoutSeconds)
  HelpSignal(const HelpSignal&) = delete;
  HelpSignal& operator=(const HelpSignal&) = delete;

  static constexpr int kTimeoutSeconds = 5;
  bool configured() const { return !command_.empty() || !url_.empty(); }
  void raise(const std::string& kiosk_id, const std::string& step);

  // The last call: "called" only once the command exited 0 or the hook answered 2xx, so the screen
  // never says staff were told when the bell did not ring.
  enum class Outcome { Calling, Delivered, Failed };
  Outcome last() const { return last_.load(); }

 private:
  struct Call {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  std::vector<std::string> command_;
  std::string url_;
  std::function<void()> on_done_;
  std::atomic<Outcome> last_{Outcome::Calling};
  std::atomic<unsigned> generation_{0};  // an older call ending late does not overwrite a newer one's outcome
  std::vector<Call> calls_;
};

}  // namespace motcua
