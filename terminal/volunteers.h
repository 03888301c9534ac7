// Youth volunteers sign in with a PIN to assist a citizen. PINs are stored only as slow salted
// hashes (PBKDF2-HMAC-SHA256 via OpenSSL); repeated wrong PINs lock the sign-in for a while.
#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace motcua {

struct Volunteer {
  std::string id;        // shown on the banner and recorded with the dossier
  std::string pin_hash;  // pbkdf2-sha256$ITERATIONS$SALT_HEX$HASH_HEX
};

std::string hash_pin(std::string_view pin, int iterations = 200000);
bool verify_pin(std::string_view pin, const std::string& stored);  // constant-time comparison
bool well_formed_pin_hash(const std::string& stored);

class VolunteerGate {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr int kMaxFailures = 5;
  static constexpr std::chrono::seconds kLockout{300};

  explicit VolunteerGate(std::vector<Volunteer> volunteers) : volunteers_(std::move(volunteers)) {}

  struct Result {
    std::optional<std::string> volunteer;  // signed in as this id
    int locked_seconds = 0;                // > 0: sign-in is locked, try again later
  };
  Result sign_in(std::string_view pin, Clock::time_point now);
  bool any() const { return !volunteers_.empty(); }

 private:
  std::vector<Volunteer> volunteers_;
  int failures_ = 0;
  Clock::time_point locked_until_{};
};

}  // namespace motcua
