// Where the bytes go: a file, a USB printer-class device, raw TCP port 9100, or a CUPS raw queue.
// Rule: nothing waits forever on a dead printer; every write and read has a timeout.
// Errors from the OS are translated here, once, into PrintError messages a person can act on.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "devices/printer/profile.h"

namespace motcua::printer {

struct PrintError : std::runtime_error { using std::runtime_error::runtime_error; };

class Transport {
 public:
  virtual ~Transport() = default;
  // Fails (PrintError) when the printer accepts nothing for stall_ms, or the whole write takes
  // longer than total_ms. Bytes accepted are only in a buffer: that is not printing.
  virtual void write(const std::vector<uint8_t>& bytes, int stall_ms, int total_ms) = 0;
  virtual bool two_way() const = 0;  // the printer can answer (usb opened read-write, tcp)
  // Whatever the printer sent, waiting up to timeout_ms for the first byte; empty when nothing came.
  virtual std::vector<uint8_t> read(int timeout_ms) = 0;
  virtual std::string describe() const = 0;
};

// Writes everything to a non-blocking descriptor (MSG_NOSIGNAL on a socket): fails when no byte
// is accepted for stall_ms or the whole write takes longer than total_ms. name prefixes the reason.
void write_all(int fd, const std::vector<uint8_t>& bytes, int stall_ms, int total_ms, const std::string& name);

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
// DLE EOT 1, 2 and 4; unknown when the printer does not answer the first within timeout_ms.
PrinterStatus query_status(Transport& t, int timeout_ms);

// What a job came to. Only Printed means paper came out; Sent is all a one-way target can say.
enum class Delivery {
  Printed,       // the printer confirmed it processed every byte of the job
  Sent,          // handed to a target without a status channel (file, cups, write-only usb)
  NotConfirmed,  // sent, but no confirmation in time: it may or may not be on paper
  Failed,        // the printer said why it could not print, or stopped taking data
};
const char* delivery_name(Delivery d);  // "printed", "sent", "not confirmed", "failed"

struct PrintOutcome {
  Delivery delivery = Delivery::Failed;
  std::string problem;          // why not printed, for staff ("" when printed or sent)
  bool paper_near_end = false;  // staff should change the roll soon
  bool nothing_sent = false;    // refused before any byte left: nothing can be on paper
  bool printed() const { return delivery == Delivery::Printed; }
};

struct PrintTiming {
  int status_ms = 500;            // one status answer (real-time: the printer answers at once)
  int stall_ms = 5000;            // the printer accepts no data for this long: it stopped
  int base_ms = 3000;             // confirmation wait for an empty job...
  int bytes_per_second = 16000;   // ...plus the job at a slow 58 mm printer's pace (about 40 mm/s)
  int budget_ms(size_t bytes) const;
};

// Checks status, sends the job followed by the profile's confirmation request, and waits for the
// answer (asking real-time status meanwhile, so paper running out ends the wait at once). Never throws.
PrintOutcome print_job(Transport& t, const std::vector<uint8_t>& job, Confirm confirm, const PrintTiming& timing = {});

}  // namespace motcua::printer
