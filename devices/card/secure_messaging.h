// ICAO 9303-11 §9.8 secure messaging after BAC or PACE.
// Rules: the send sequence counter goes up once per command and once per response, on both sides;
// a response's MAC is checked before any byte of it is decrypted or used; keys and the counter
// live in wiping buffers and die with this object.
#pragma once
#include "devices/card/apdu.h"
#include "devices/card/sm_crypto.h"

namespace motcua::card {

class SecureMessaging {
 public:
  SecureMessaging(Cipher cipher, Bytes k_enc, Bytes k_mac, Bytes ssc);

  // Reader side.
  Command protect(const Command& plain);
  Response unprotect(const Response& wrapped);  // throws CardError(SecureMessaging) on a bad or missing MAC

  // Card side (the virtual card; also what the tests use to prove both directions agree).
  Command unprotect_command(const Command& wrapped);  // throws CardError(SecureMessaging)
  Response protect_response(const Response& plain);

  Cipher cipher() const { return cipher_; }
  const Bytes& ssc() const { return ssc_; }

 private:
  void increment_ssc();
  Bytes iv();  // zero for 3DES, E(K_enc, SSC) for AES
  Bytes encrypt(std::span<const uint8_t> data);
  Bytes decrypt(std::span<const uint8_t> data);
  Bytes mac(std::span<const uint8_t> data);  // over pad(SSC || data)

  Cipher cipher_;
  Bytes k_enc_, k_mac_, ssc_;
};

}  // namespace motcua::card
