// What an answer from the portal means for a queued item, and when to try again.
// Rules: 201/202, or a 200 that confirms a duplicate, is sent; 408, 409, 429, 5xx and every
// network or TLS failure are retried, with the same key, forever; 401/403 pause the queue for
// staff; any other 4xx is rejected and needs a person; no protocol header means not the portal.
#pragma once
#include <cstdint>
#include <random>
#include <string>

#include "terminal/outbox/portal_client.h"

namespace motcua::outbox {

struct Verdict {
  enum class Kind { Sent, Retry, Pause, Reject } kind = Kind::Retry;
  std::string error;  // a status and a short reason, never the answer's body
  std::string code, received_at, appointment;  // Sent: what the portal recorded
  bool network = false;      // Retry because nothing answered: the sender retries as soon as the network is back
  double retry_after_s = 0;  // the portal asked for at least this delay
};

Verdict judge(const HttpResponse& response);

// Full-jitter exponential backoff: a delay drawn uniformly from [0, min(cap, base·2^attempt)].
// Seeded, so tests can replay it.
class Backoff {
 public:
  explicit Backoff(std::uint64_t seed, double base_s = 2, double cap_s = 600);
  double delay_s(int attempt);  // attempt 1 is the first retry
  double ceiling_s(int attempt) const;

 private:
  std::mt19937_64 rng_;
  double base_, cap_;
};

}  // namespace motcua::outbox
