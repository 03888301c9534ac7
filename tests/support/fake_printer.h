// A receipt printer on 127.0.0.1 for tests, scripted to fail the ways real ones do. It reads the
// stream command by command (tests/support/escpos_decoder), answers DLE EOT at once (real-time),
// and answers GS ( H process ID and GS r 1 only when it has "printed" everything before them.
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
    long paper_out_after_bytes = -1;  // paper runs out once this much job data was received: printing stops
    bool paper_near_end = false;      // prints, but the near-end sensor is on
    bool mute = false;                // answers nothing at all: no status, no confirmation
    bool no_confirm = false;          // answers DLE EOT but ignores GS ( H and GS r (a cheap clone)
    long stall_after_bytes = -1;      // stops reading after this many bytes (jam, cable pulled)
    bool stop_reading = false;        // accepts the connection, then never reads
    long hang_up_after_bytes = -1;    // closes the connection after this many bytes (switched off)
    bool hang_up_when_asked = false;  // takes the whole job, then closes at the confirmation request
    int bytes_per_second = 0;         // drains this slowly (0: as fast as it comes)
  };

  explicit FakePrinter(Behaviour b);
  ~FakePrinter();
  int port() const { return port_; }
  std::vector<uint8_t> received();  // job bytes, status and confirmation requests removed
  int confirmations();              // process ID / GS r answers sent

 private:
  void serve();
  uint8_t answer(uint8_t n, long received) const;

  Behaviour b_;
  int listen_fd_ = -1, port_ = 0;
  std::atomic<bool> stop_{false};
  std::mutex m_;
  std::vector<uint8_t> job_;
  int confirmations_ = 0;
  std::thread thread_;
};

}  // namespace motcua::test
