// A private pcscd with the vsmartcard-vpcd driver on a chosen port, and virtual cards on it.
// pcscd has one socket per machine (/run/pcscd), so these tests run serially and refuse to start
// while another pcscd is running.
#pragma once
#include <string>
#include <vector>

namespace motcua::test {

class Pcscd {
 public:
  explicit Pcscd(int port);  // throws std::runtime_error when pcscd cannot start
  ~Pcscd();
  void stop();
  void start();
  std::string reader() const { return "MotCua Virtual Reader 00 00"; }
  int port() const { return port_; }

 private:
  int port_;
  std::string dir_;
  int pid_ = -1;
};

// motcua-vcard as a child process; killed by the destructor.
class VirtualCardProcess {
 public:
  VirtualCardProcess(int port, const std::vector<std::string>& args = {});
  ~VirtualCardProcess();
  void stop();
  bool running();

 private:
  int pid_ = -1;
};

// Polls until `motcua card list --json` shows the reader with (or without) a card.
bool wait_for_card(const std::string& reader, bool present, int timeout_ms = 8000);

}  // namespace motcua::test
