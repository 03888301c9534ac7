// A receipt printer on 127.0.0.1 for tests: records the job and answers DLE EOT with the status
// a test sets, including paper running out after a number of bytes, or never answering.
#pragma once
#include <atomic>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace motcua::test {

class FakePrinter {
 public:
  struct Behaviour {
    bool cover_open = false;
    bool paper_out = false;
    long paper_out_after_bytes = -1;  // paper runs out once this much was received
    bool mute = false;                // never answers status requests
    bool stop_reading = false;        // accepts the connection, then never reads (a jammed printer)
  };

  explicit FakePrinter(Behaviour b);
  ~FakePrinter();
  int port() const { return port_; }
  std::vector<uint8_t> received();  // job bytes, status requests removed

 private:
  void serve();
  uint8_t answer(uint8_t n, long received) const;

  Behaviour b_;
  int listen_fd_ = -1, port_ = 0;
  std::atomic<bool> stop_{false};
  std::mutex m_;
  std::vector<uint8_t> job_;
  std::thread thread_;
};

}  // namespace motcua::test
