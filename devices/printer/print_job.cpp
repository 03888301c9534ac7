// Printed means printed: a job counts only when the printer says it has processed its last byte.
// Bytes accepted by a socket or usblp sit in kernel and printer buffers; a jam, an open cover or a
// pulled cable loses them silently. So every job ends with a request the printer answers only
// after everything before it is done (GS ( H process ID, or GS r 1), and the wait for that answer
// grows with the job. No answer is "not confirmed", never "printed".
#include <string.h>

#include <algorithm>
#include <chrono>
#include <random>

#include "devices/printer/escpos.h"
#include "devices/printer/transport.h"

namespace motcua::printer {

namespace {

using Clock = std::chrono::steady_clock;

bool status_byte(uint8_t b) { return (b & 0x93) == 0x12; }  // DLE EOT answer: bits 1, 4 on; 0, 7 off
bool transmit_status_byte(uint8_t b) { return (b & 0x90) == 0; }  // GS r answer: bits 4 and 7 off

// Answers come back in one byte stream: DLE EOT bytes, GS r bytes and 7-byte process ID blocks
// (37 22 d1 d2 d3 d4 00). The first byte tells them apart; a block is taken whole.
struct Replies {
  std::vector<uint8_t> buf;
  std::vector<uint8_t> statuses;          // DLE EOT answers, in order
  std::vector<std::string> process_ids;   // GS ( H answers
  std::vector<uint8_t> transmitted;       // GS r answers

  void add(const std::vector<uint8_t>& bytes) {
    buf.insert(buf.end(), bytes.begin(), bytes.end());
    size_t i = 0;
    while (i < buf.size()) {
      uint8_t b = buf[i];
      if (b == 0x37) {
        if (buf.size() - i < 7) break;  // the rest of the block is on its way
        if (buf[i + 1] == 0x22 && buf[i + 6] == 0x00) {
          process_ids.emplace_back(buf.begin() + static_cast<long>(i) + 2, buf.begin() + static_cast<long>(i) + 6);
          i += 7;
          continue;
        }
      } else if (status_byte(b)) {
        statuses.push_back(b);
      } else if (transmit_status_byte(b)) {
        transmitted.push_back(b);
      }
      ++i;  // anything else (an automatic status block we never enabled) is dropped
    }
    buf.erase(buf.begin(), buf.begin() + static_cast<long>(i));
  }
};

std::string new_process_id() {
  std::random_device rd;
  std::string id(4, '0');
  for (char& c : id) c = static_cast<char>('0' + rd() % 10);
  return id;
}

int ms_until(Clock::time_point t) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t - Clock::now()).count();
  return ms < 0 ? 0 : static_cast<int>(ms);
}

// One DLE EOT answer, or nothing within timeout_ms.
std::optional<uint8_t> ask(Transport& t, int n, int timeout_ms) {
  try {
    t.write(status_request(n), timeout_ms, timeout_ms);
  } catch (const PrintError&) {
    return std::nullopt;
  }
  Replies r;
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  while (r.statuses.empty()) {
    int left = ms_until(deadline);
    if (left <= 0) return std::nullopt;
    r.add(t.read(left));
  }
  return r.statuses.front();
}

}  // namespace

PrinterStatus decode_status(std::optional<uint8_t> printer, std::optional<uint8_t> offline, std::optional<uint8_t> paper) {
  auto valid = [](std::optional<uint8_t> b) { return b && status_byte(*b); };
  PrinterStatus s;
  if (valid(printer)) { s.known = true; s.offline = *printer & 0x08; }
  if (valid(offline)) { s.known = true; s.cover_open = *offline & 0x04; s.paper_end |= (*offline & 0x20) != 0; s.error = *offline & 0x40; }
  if (valid(paper)) { s.known = true; s.paper_near_end = *paper & 0x0C; s.paper_end |= (*paper & 0x60) != 0; }
  return s;
}

std::string PrinterStatus::problem() const {
  if (paper_end) return "out of paper";
  if (cover_open) return "cover open";
  if (error) return "printer error";
  if (offline) return "printer offline";
  return "";
}

PrinterStatus query_status(Transport& t, int timeout_ms) {
  if (!t.two_way()) return {};
  while (!t.read(0).empty()) {
  }  // answers nobody waited for
  auto printer = ask(t, 1, timeout_ms);
  if (!printer) return {};  // a mute printer: do not wait three times
  auto offline = ask(t, 2, timeout_ms);
  return decode_status(printer, offline, ask(t, 4, timeout_ms));
}

const char* delivery_name(Delivery d) {
  switch (d) {
    case Delivery::Printed: return "printed";
    case Delivery::Sent: return "sent";
    case Delivery::NotConfirmed: return "not confirmed";
    case Delivery::Failed: return "failed";
  }
  return "failed";
}

int PrintTiming::budget_ms(size_t bytes) const {
  long long ms = base_ms + static_cast<long long>(bytes) * 1000 / std::max(1, bytes_per_second);
  return static_cast<int>(std::min<long long>(ms, 10 * 60 * 1000));
}

PrintOutcome print_job(Transport& t, const std::vector<uint8_t>& job, Confirm confirm, const PrintTiming& timing) {
  const int budget = timing.budget_ms(job.size());
  PrintOutcome out;
  try {
    if (!t.two_way() || confirm == Confirm::None) {
      t.write(job, timing.stall_ms, budget);
      out.delivery = Delivery::Sent;
      return out;
    }
    PrinterStatus before = query_status(t, timing.status_ms);
    if (before.known && !before.can_print()) return {Delivery::Failed, before.problem(), before.paper_near_end, true};
    out.paper_near_end = before.paper_near_end;

    std::string id = new_process_id();
    std::vector<uint8_t> all = job;
    // The job may be a citizen's answers as pixels: its copy is zeroed however this ends, as the
    // caller zeroes the original.
    struct Zeroed {
      std::vector<uint8_t>& bytes;
      ~Zeroed() { explicit_bzero(bytes.data(), bytes.size()); }
    } zeroed{all};
    auto request = confirm == Confirm::ProcessId ? process_id_request(id) : transmit_status_request();
    all.insert(all.end(), request.begin(), request.end());
    try {
      t.write(all, timing.stall_ms, budget);
    } catch (const PrintError& e) {
      // Say why, when the printer still answers real-time requests (a printer out of paper stops reading).
      PrinterStatus now = query_status(t, timing.status_ms);
      out.delivery = Delivery::Failed;
      out.problem = now.known && !now.can_print() ? now.problem() + " during printing" : e.what();
      return out;
    }

    // Wait for the answer; meanwhile ask DLE EOT 2 (real-time, answered even while the printer is
    // stopped) so paper running out or a cover opening ends the wait with the reason.
    Replies r;
    auto deadline = Clock::now() + std::chrono::milliseconds(budget);
    auto next_poll = Clock::now() + std::chrono::milliseconds(timing.status_ms);
    size_t seen = 0;
    bool confirmed = false;
    std::optional<uint8_t> paper_byte;
    while (!confirmed && ms_until(deadline) > 0) {
      r.add(t.read(std::min(ms_until(deadline), std::max(1, ms_until(next_poll)))));
      if (confirm == Confirm::ProcessId) {
        for (auto& got : r.process_ids) confirmed |= got == id;  // an older job's answer is not ours
      } else if (!r.transmitted.empty()) {
        confirmed = true;
        paper_byte = r.transmitted.back();
      }
      for (; seen < r.statuses.size(); ++seen) {
        PrinterStatus s = decode_status(std::nullopt, r.statuses[seen], std::nullopt);
        if (!s.can_print()) {
          out.delivery = Delivery::Failed;
          out.problem = s.paper_end ? "paper ran out during printing" : s.problem() + " during printing";
          return out;
        }
      }
      if (!confirmed && Clock::now() >= next_poll) {
        try {
          t.write(status_request(2), timing.status_ms, timing.status_ms);
        } catch (const PrintError&) {
        }  // the printer is not reading: the deadline will say so
        next_poll = Clock::now() + std::chrono::milliseconds(timing.status_ms);
      }
    }
    if (!confirmed) {
      out.delivery = Delivery::NotConfirmed;
      out.problem = "the printer did not confirm the job within " + std::to_string((budget + 999) / 1000) +
                    " s (jammed, cover open, cable pulled or switched off?); it may not have printed";
      return out;
    }
    out.delivery = Delivery::Printed;
    if (paper_byte && (*paper_byte & 0x03)) out.paper_near_end = true;
    PrinterStatus after = query_status(t, timing.status_ms);
    out.paper_near_end = out.paper_near_end || after.paper_near_end;
    return out;
  } catch (const PrintError& e) {
    out.delivery = Delivery::Failed;
    out.problem = e.what();
    return out;
  }
}

}  // namespace motcua::printer
