// What an answer from the portal means for a queued item, and when to try again.
// Rules: 201/202, or a 200 that confirms a duplicate, is sent — but only when the answer names
// this very item (a dossier's kioskReference, an evaluation's dossierCode) and every field the
// kiosk keeps has the documented type; anything else is a protocol error: the item stays
// waiting, the connection is dropped (it may hold a stale answer), staff are told which field.
// 408, 409, 429, 5xx and every network or TLS failure are retried, with the same key, forever;
// 401/403 pause the queue for staff; any other 4xx is rejected and needs a person; no protocol
// header means not the portal. Every body is parsed bounded (size by the client, depth here).
#pragma once
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "terminal/services/outbox/portal_client.h"

namespace motcua::outbox {

constexpr int kMaxAnswerDepth = 16;  // the documented answers are two levels deep

// A portal answer as JSON, or a discarded value when it is not JSON or nests deeper than
// max_depth (refused inside the parser, so depth never costs stack or memory).
nlohmann::json parse_answer(std::string_view body, int max_depth = kMaxAnswerDepth);

// A string member: nullopt when absent; throws AnswerError naming the field when it is present
// with another type. A portal answer's strings are capped at 200 bytes.
struct AnswerError : std::runtime_error { using std::runtime_error::runtime_error; };
std::optional<std::string> string_field(const nlohmann::json& object, const char* name);

// Retry-After as delta-seconds (RFC 9110); nullopt for anything else (an HTTP date, a float,
// 1e20, 400 digits), which the caller ignores. Values above a day are clamped to a day.
std::optional<std::int64_t> retry_after_seconds(std::string_view header);

// What the answer must name to count for the item sent.
struct Expected {
  std::string kind = "dossier";  // or "evaluation"
  std::string reference;         // dossier: its kioskReference; evaluation: the evaluated dossier code
};

struct Verdict {
  enum class Kind { Sent, Retry, Pause, Reject } kind = Kind::Retry;
  std::string error;  // a status and a short reason, never the answer's body
  std::string code, received_at, appointment;  // Sent: what the portal recorded
  bool network = false;      // Retry because nothing answered: the sender retries as soon as the network is back
  bool protocol = false;     // Retry because the answer cannot be trusted (malformed, another item's): drop the connection
  double retry_after_s = 0;  // the portal asked for at least this delay (already parsed and bounded)
};

Verdict judge(const HttpResponse& response, const Expected& expected);

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

// now + seconds as a whole second, with seconds clamped to [floor_s, cap_s] first (NaN and
// infinities included): never overflows, never earlier than the floor.
std::int64_t next_attempt(std::int64_t now, double seconds, double floor_s, double cap_s);

}  // namespace motcua::outbox
