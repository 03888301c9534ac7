// Where the bytes go: a file, a USB printer-class device, raw TCP port 9100, or a CUPS raw queue.
// Rule: nothing waits forever on a dead printer; every write and status read has a timeout.
// Errors from the OS are translated here, once, into PrintError messages a person can act on.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace motcua::printer {

struct PrintError : std::runtime_error { using std::runtime_error::runtime_error; };

class Transport {
 public:
  virtual ~Transport() = default;
  virtual void write(const std::vector<uint8_t>& bytes, int timeout_ms) = 0;  // throws PrintError
  // Sends DLE EOT n and returns the status byte, or nothing (no back channel, or no answer in time).
  virtual std::optional<uint8_t> status(int n, int timeout_ms) = 0;
  virtual std::string describe() const = 0;
};

// target: file:PATH | usb:/dev/usb/lp0 | tcp:HOST:PORT | cups:QUEUE. A file: PATH that is a folder
// gets a new file per job. Throws PrintError for an unusable target.
std::unique_ptr<Transport> open_transport(const std::string& target, int timeout_ms = 2000);

struct PrinterStatus {
  bool known = false;  // the printer answered DLE EOT
  bool offline = false, cover_open = false, paper_end = false, paper_near_end = false, error = false;
  bool can_print() const { return !offline && !cover_open && !paper_end && !error; }
  std::string problem() const;  // "" when fine; English, for staff and logs
};

// Status bytes are valid only with bits 1 and 4 set and 0 and 7 clear.
PrinterStatus decode_status(std::optional<uint8_t> printer, std::optional<uint8_t> offline,
                            std::optional<uint8_t> paper);
PrinterStatus query_status(Transport& t, int timeout_ms);

struct PrintOutcome {
  bool printed = false;
  std::string problem;  // why not, for staff
  bool paper_near_end = false;  // printed, but staff should change the roll soon
};

// Checks status, sends the job, checks again (paper can run out mid-job). Never throws.
PrintOutcome print_job(Transport& t, const std::vector<uint8_t>& job, int timeout_ms = 2000);

}  // namespace motcua::printer
