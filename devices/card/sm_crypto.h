// The symmetric primitives of ICAO 9303-11 secure messaging: key derivation, ISO 9797-1 padding,
// CBC encryption and the two MACs (3DES retail MAC, AES-CMAC), all through OpenSSL 3.
#pragma once
#include "devices/card/bytes.h"

namespace motcua::card {

enum class Cipher { Des3, Aes128, Aes192, Aes256 };

size_t block_size(Cipher c);
size_t key_size(Cipher c);

// KDF(K, c) = H(K || c) cut to the key size: SHA-1 for 3DES and AES-128, SHA-256 otherwise.
// Counters: 1 encryption key, 2 MAC key, 3 PACE password key.
Bytes derive_key(std::span<const uint8_t> seed, uint32_t counter, Cipher c);

Bytes pad_iso9797(std::span<const uint8_t> data, size_t block);
Bytes unpad_iso9797(std::span<const uint8_t> data);  // throws CardError(SecureMessaging) on bad padding

// Unpadded CBC over whole blocks.
Bytes cbc_encrypt(Cipher c, std::span<const uint8_t> key, std::span<const uint8_t> iv, std::span<const uint8_t> data);
Bytes cbc_decrypt(Cipher c, std::span<const uint8_t> key, std::span<const uint8_t> iv, std::span<const uint8_t> data);

// 8-byte MAC over data that is already padded to the block size.
Bytes sm_mac(Cipher c, std::span<const uint8_t> key, std::span<const uint8_t> padded);

Bytes random_bytes(size_t n);

// Constant-time comparison for MACs and tokens.
bool same_bytes(std::span<const uint8_t> a, std::span<const uint8_t> b);

}  // namespace motcua::card
