#include "terminal/core/pin_hash.h"

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
}  // namespace motcua
