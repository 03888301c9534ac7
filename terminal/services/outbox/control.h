// The owner's local control socket (FOLDER/control.sock): how `motcua outbox retry` changes an
// outbox the running kiosk owns, instead of writing to it. One request line, one answer line:
// "retry [REFERENCE]" -> "ok N" or "error MESSAGE".
// Rule: root, the kiosk's own account and members of the staff group only. The file is 0660;
// when the staff group exists, the socket and its folder belong to that group (folder 0710:
// members may reach the socket by name, never list or read the folder); every connection's
// peer credentials (SO_PEERCRED, SO_PEERGROUPS) are checked again, so a socket or folder
// loosened by hand still answers nobody else.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <thread>

namespace motcua::outbox {

class ControlServer {
 public:
  // handler: a request line -> the answer line. Throws std::runtime_error when it cannot listen.
  // staff_group: a group name; empty or unknown on this system: root and the owner only.
  ControlServer(std::string socket_path, std::function<std::string(const std::string&)> handler,
                const std::string& staff_group = "");
  ~ControlServer();  // stops and removes the socket
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

 private:
  void run();
  std::string path_;
  std::function<std::string(const std::string&)> handler_;
  bool allowed(int fd) const;
  int listen_fd_ = -1, stop_pipe_[2] = {-1, -1};
  long staff_gid_ = -1;  // -1: no staff group
  std::thread thread_;
};

// Sends one line and reads the answer; nothing when no owner listens (or it did not answer in time).
std::optional<std::string> control_request(const std::string& socket_path, const std::string& line, int timeout_ms = 5000);

}  // namespace motcua::outbox
