#include "terminal/volunteers.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "terminal/private_files.h"

namespace motcua {

namespace {

std::string hex(const unsigned char* p, size_t n) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) { out += digits[p[i] >> 4]; out += digits[p[i] & 15]; }
  return out;
}

// Only called on strings of lower-case hex digits of even length.
std::vector<unsigned char> unhex(const std::string& s) {
  auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
  std::vector<unsigned char> out;
  for (size_t i = 0; i + 1 < s.size(); i += 2) out.push_back(static_cast<unsigned char>(nibble(s[i]) * 16 + nibble(s[i + 1])));
  return out;
}

struct Parsed {
  int iterations = 0;
  std::vector<unsigned char> salt, hash;
};

std::optional<Parsed> parse(const std::string& stored) {
  const std::string prefix = "pbkdf2-sha256$";
  if (stored.rfind(prefix, 0) != 0) return std::nullopt;
  size_t a = stored.find('$', prefix.size()), b = a == std::string::npos ? a : stored.find('$', a + 1);
  if (b == std::string::npos) return std::nullopt;
  std::string it = stored.substr(prefix.size(), a - prefix.size()), salt = stored.substr(a + 1, b - a - 1), hash = stored.substr(b + 1);
  if (salt.size() < 16 || salt.size() % 2 || hash.size() != 64 || salt.find_first_not_of("0123456789abcdef") != std::string::npos ||
      hash.find_first_not_of("0123456789abcdef") != std::string::npos)
    return std::nullopt;
  if (it.size() > 8) return std::nullopt;  // 10^8 iterations or more would freeze sign-in (and overflow stoi)
  Parsed p;
  auto [end, ec] = std::from_chars(it.data(), it.data() + it.size(), p.iterations);
  if (it.empty() || ec != std::errc() || end != it.data() + it.size()) return std::nullopt;  // also too big for int
  // Fewer is too fast to slow down guessing; more would stall the kiosk at every sign-in.
  if (p.iterations < kOldestPinIterations || p.iterations > kMostPinIterations) return std::nullopt;
  p.salt = unhex(salt);
  p.hash = unhex(hash);
  return p;
}

std::vector<unsigned char> derive(std::string_view pin, const std::vector<unsigned char>& salt, int iterations) {
  std::vector<unsigned char> out(32);
  if (PKCS5_PBKDF2_HMAC(pin.data(), static_cast<int>(pin.size()), salt.data(), static_cast<int>(salt.size()), iterations,
                        EVP_sha256(), static_cast<int>(out.size()), out.data()) != 1)
    throw std::runtime_error("PBKDF2 failed");
  return out;
}

long long unix_seconds(VolunteerGate::Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

std::string hash_pin(std::string_view pin, int iterations) {
  std::vector<unsigned char> salt(16);
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) throw std::runtime_error("no random bytes for the salt");
  auto h = derive(pin, salt, iterations);
  std::string out = "pbkdf2-sha256$" + std::to_string(iterations) + "$" + hex(salt.data(), salt.size()) + "$" + hex(h.data(), h.size());
  OPENSSL_cleanse(h.data(), h.size());
  return out;
}

bool well_formed_pin_hash(const std::string& stored) { return parse(stored).has_value(); }

bool pin_hash_outdated(const std::string& stored) {
  auto p = parse(stored);
  return p && p->iterations < kPinIterations;
}

bool verify_pin(std::string_view pin, const std::string& stored) {
  auto p = parse(stored);
  if (!p) return false;
  auto h = derive(pin, p->salt, p->iterations);
  bool same = CRYPTO_memcmp(h.data(), p->hash.data(), h.size()) == 0;
  OPENSSL_cleanse(h.data(), h.size());
  return same;
}

VolunteerGate::VolunteerGate(std::vector<Volunteer> volunteers, std::string state_path)
    : volunteers_(std::move(volunteers)), state_path_(std::move(state_path)) {
  if (!state_path_.empty()) load(Clock::now());
}

const std::string* VolunteerGate::pin_hash(const std::string& id) const {
  for (auto& v : volunteers_)
    if (v.id == id) {
      auto u = upgraded_.find(id);
      return u != upgraded_.end() && u->second.first == v.pin_hash ? &u->second.second : &v.pin_hash;
    }
  return nullptr;
}

void VolunteerGate::load(Clock::time_point now) {
  std::error_code ec;
  if (!std::filesystem::exists(state_path_, ec)) return;
  std::ifstream in(state_path_);
  auto state = nlohmann::json::parse(in, nullptr, false);
  try {
    if (!state.is_object()) throw std::runtime_error("not a JSON object");
    failures_ = std::clamp(state.value("failures", 0), 0, kMaxFailures);
    long long until = state.value("lockedUntil", 0LL);
    if (until > unix_seconds(now))
      locked_until_ = std::min(Clock::time_point(std::chrono::seconds(until)), now + kLockout);  // a clock set back never locks longer
    nlohmann::json upgraded = state.value("upgraded", nlohmann::json::object());
    for (auto& [id, u] : upgraded.items()) {
      std::string replaces = u.at("replaces").get<std::string>(), hash = u.at("pin").get<std::string>();
      if (well_formed_pin_hash(hash)) upgraded_[id] = {replaces, hash};
    }
  } catch (const std::exception& e) {
    // Damaged (it is only ever replaced whole): fail closed, once, and say so.
    std::fprintf(stderr, "motcua: staff alert: %s is damaged (%s); sign-in is locked for %lld s\n", state_path_.c_str(),
                 e.what(), static_cast<long long>(kLockout.count()));
    failures_ = 0;
    upgraded_.clear();
    locked_until_ = now + kLockout;
  }
}

void VolunteerGate::save() const {
  if (state_path_.empty()) return;
  nlohmann::json upgraded = nlohmann::json::object();
  for (auto& [id, u] : upgraded_) upgraded[id] = {{"replaces", u.first}, {"pin", u.second}};
  nlohmann::json state = {{"failures", failures_}, {"lockedUntil", unix_seconds(locked_until_)}, {"upgraded", upgraded}};
  try {
    write_private_file(state_path_, state.dump(1));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "motcua: staff alert: sign-in state not saved: %s\n", e.what());
  }
}

VolunteerGate::Result VolunteerGate::sign_in(std::string_view pin, Clock::time_point now) {
  if (now < locked_until_) {
    if (locked_until_ - now > kLockout) locked_until_ = now + kLockout;  // the clock was set back
    return {std::nullopt, static_cast<int>(std::chrono::ceil<std::chrono::seconds>(locked_until_ - now).count())};
  }
  for (auto& v : volunteers_) {
    const std::string& hash = *pin_hash(v.id);
    if (!verify_pin(pin, hash)) continue;
    bool changed = failures_ != 0;
    failures_ = 0;
    if (pin_hash_outdated(hash)) {  // the PIN is known right now: the one moment a hash can be renewed
      upgraded_[v.id] = {v.pin_hash, hash_pin(pin)};
      changed = true;
    }
    if (changed) save();
    return {v.id, 0};
  }
  if (++failures_ >= kMaxFailures) {
    failures_ = 0;
    locked_until_ = now + kLockout;
    save();
    return {std::nullopt, static_cast<int>(kLockout.count())};
  }
  save();  // a restart between failures must not reset the count
  return {};
}

}  // namespace motcua
