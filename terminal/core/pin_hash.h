// PINs are stored only as slow salted hashes (PBKDF2-HMAC-SHA256 via OpenSSL).
// Rules: new hashes use OWASP's current figure; older hashes within the accepted range still verify.
#pragma once
#include <string>
#include <string_view>

namespace motcua {

constexpr int kPinIterations = 600000;        // OWASP Password Storage Cheat Sheet, PBKDF2-HMAC-SHA256
constexpr int kOldestPinIterations = 200000;  // what hash-pin wrote before: accepted, then upgraded
constexpr int kMostPinIterations = 10000000;  // more would stall the kiosk for minutes at each sign-in

std::string hash_pin(std::string_view pin, int iterations = kPinIterations);
bool verify_pin(std::string_view pin, const std::string& stored);  // constant-time comparison
// A hash with kOldestPinIterations..kMostPinIterations iterations, a salt and a SHA-256 digest.
bool well_formed_pin_hash(const std::string& stored);
bool pin_hash_outdated(const std::string& stored);  // fewer iterations than kPinIterations

}  // namespace motcua
