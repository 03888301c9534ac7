// Youth volunteers and staff sign in with a PIN. PINs are stored only as slow salted hashes
// (PBKDF2-HMAC-SHA256 via OpenSSL); repeated wrong PINs lock the sign-in for a while.
// Rules: new hashes use OWASP's current figure (600,000 iterations); a hash made by an earlier
// `motcua staff hash-pin` (200,000) still signs in and is replaced by a new one at that moment;
// the failure count and the lockout survive a restart (a file in the data folder).
#pragma once
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "terminal/core/config.h"
#include "terminal/core/pin_hash.h"

namespace motcua {

class VolunteerGate {
 public:
  using Clock = std::chrono::system_clock;  // wall time: a lockout must outlast a reboot
  static constexpr int kMaxFailures = 5;
  static constexpr std::chrono::seconds kLockout{300};

  // state_path: where failures, the lockout and upgraded hashes are kept (0600, replaced
  // atomically); empty: in memory only. An unreadable state file counts as a lockout, so
  // deleting or damaging it never buys more guesses.
  explicit VolunteerGate(std::vector<Volunteer> volunteers, std::string state_path = {});

  struct Result {
    std::optional<std::string> volunteer;  // signed in as this id
    int locked_seconds = 0;                // > 0: sign-in is locked, try again later
  };
  Result sign_in(std::string_view pin, Clock::time_point now);
  bool any() const { return !volunteers_.empty(); }
  // The hash in use for an id (the configured one, or its upgrade); for tests and tools.
  const std::string* pin_hash(const std::string& id) const;

 private:
  void load(Clock::time_point now);
  void save() const;

  std::vector<Volunteer> volunteers_;
  std::string state_path_;
  // id -> (configured hash it replaces, new hash): the configuration changing a PIN wins.
  std::map<std::string, std::pair<std::string, std::string>> upgraded_;
  int failures_ = 0;
  Clock::time_point locked_until_{};
};

}  // namespace motcua
