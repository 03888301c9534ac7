// The owner's local control socket (FOLDER/control.sock, a unix socket of mode 0660 in the
// owner's 0700 folder, so only the kiosk's account, its group and root reach it): how
// `motcua outbox retry` changes an outbox the running kiosk owns, instead of writing to it.
// One request line, one answer line: "retry [REFERENCE]" -> "ok N" or "error MESSAGE".
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <thread>

namespace motcua::outbox {

class ControlServer {
 public:
  // handler: a request line -> the answer line. Throws std::runtime_error when it cannot listen.
  ControlServer(std::string socket_path, std::function<std::string(const std::string&)> handler);
  ~ControlServer();  // stops and removes the socket
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

 private:
  void run();
  std::string path_;
  std::function<std::string(const std::string&)> handler_;
  int listen_fd_ = -1, stop_pipe_[2] = {-1, -1};
  std::thread thread_;
};

// Sends one line and reads the answer; nothing when no owner listens (or it did not answer in time).
std::optional<std::string> control_request(const std::string& socket_path, const std::string& line, int timeout_ms = 5000);

}  // namespace motcua::outbox
