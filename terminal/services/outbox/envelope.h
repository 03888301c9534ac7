// A dossier sealed for the portal: a fresh AES-256-GCM key per dossier, wrapped with the
// portal's RSA public key (OAEP with SHA-256). The kiosk can seal but never open, so a stolen
// kiosk disk reveals no finalized dossier. The dossier UUID is authenticated with the data,
// so an envelope cannot be replayed under another idempotency key.
#pragma once
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "terminal/core/base64.h"

namespace motcua::outbox {

struct EnvelopeError : std::runtime_error { using std::runtime_error::runtime_error; };

// {"v":1,"alg":"RSA-OAEP-256+A256GCM","kid":..,"key":..,"iv":..,"tag":..,"data":..} (base64 fields).
nlohmann::json seal(std::string_view plaintext, const std::string& public_key_pem, std::string_view dossier_uuid);
// The portal's side; throws EnvelopeError when the key, the tag or the UUID does not match.
std::string open(const nlohmann::json& envelope, const std::string& private_key_pem, std::string_view dossier_uuid);

// First 16 hex digits of SHA-256 over the public key (DER): names the key an envelope was sealed for.
std::string key_id(const std::string& public_key_pem);

std::string sha256_hex(std::string_view bytes);
using motcua::base64;
std::string unbase64(std::string_view text);  // throws EnvelopeError on bad input

}  // namespace motcua::outbox
