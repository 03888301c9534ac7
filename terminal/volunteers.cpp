#include "terminal/volunteers.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstdio>
#include <stdexcept>

namespace motcua {

namespace {

std::string hex(const unsigned char* p, size_t n) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) { out += digits[p[i] >> 4]; out += digits[p[i] & 15]; }
  return out;
}

std::vector<unsigned char> unhex(const std::string& s) {
  std::vector<unsigned char> out;
  for (size_t i = 0; i + 1 < s.size(); i += 2) out.push_back(static_cast<unsigned char>(std::stoi(s.substr(i, 2), nullptr, 16)));
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
  if (it.empty() || it.find_first_not_of("0123456789") != std::string::npos || salt.size() < 16 || hash.size() != 64 ||
      salt.find_first_not_of("0123456789abcdef") != std::string::npos || hash.find_first_not_of("0123456789abcdef") != std::string::npos)
    return std::nullopt;
  if (it.size() > 8) return std::nullopt;  // 10^8 iterations or more would freeze sign-in (and overflow stoi)
  Parsed p;
  p.iterations = std::stoi(it);
  p.salt = unhex(salt);
  p.hash = unhex(hash);
  if (p.iterations < 10000) return std::nullopt;  // too fast to slow down guessing
  return p;
}

std::vector<unsigned char> derive(std::string_view pin, const std::vector<unsigned char>& salt, int iterations) {
  std::vector<unsigned char> out(32);
  if (PKCS5_PBKDF2_HMAC(pin.data(), static_cast<int>(pin.size()), salt.data(), static_cast<int>(salt.size()), iterations,
                        EVP_sha256(), static_cast<int>(out.size()), out.data()) != 1)
    throw std::runtime_error("PBKDF2 failed");
  return out;
}

}  // namespace

std::string hash_pin(std::string_view pin, int iterations) {
  std::vector<unsigned char> salt(16);
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) throw std::runtime_error("no random bytes for the salt");
  auto h = derive(pin, salt, iterations);
  return "pbkdf2-sha256$" + std::to_string(iterations) + "$" + hex(salt.data(), salt.size()) + "$" + hex(h.data(), h.size());
}

bool well_formed_pin_hash(const std::string& stored) { return parse(stored).has_value(); }

bool verify_pin(std::string_view pin, const std::string& stored) {
  auto p = parse(stored);
  if (!p) return false;
  auto h = derive(pin, p->salt, p->iterations);
  bool same = CRYPTO_memcmp(h.data(), p->hash.data(), h.size()) == 0;
  OPENSSL_cleanse(h.data(), h.size());
  return same;
}

VolunteerGate::Result VolunteerGate::sign_in(std::string_view pin, Clock::time_point now) {
  if (now < locked_until_)
    return {std::nullopt, static_cast<int>(std::chrono::ceil<std::chrono::seconds>(locked_until_ - now).count())};
  for (auto& v : volunteers_)
    if (verify_pin(pin, v.pin_hash)) {
      failures_ = 0;
      return {v.id, 0};
    }
  if (++failures_ >= kMaxFailures) {
    failures_ = 0;
    locked_until_ = now + kLockout;
    return {std::nullopt, static_cast<int>(kLockout.count())};
  }
  return {};
}

}  // namespace motcua
