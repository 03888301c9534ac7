// libFuzzer target: secure-messaging unwrap, the first code to see a card's (or a relay's)
// bytes. Input: one byte choosing AES or 3DES and the mode, then a response APDU (data, SW1 SW2).
// Mode 0 unwraps the bytes as they are (the MAC must refuse them); mode 1 wraps them on the
// card side first, and the reader must get back exactly what the card sent.
#include <cstdint>
#include <cstdlib>

#include "devices/card/card_error.h"
#include "devices/card/secure_messaging.h"

using namespace motcua::card;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3) return 0;
  Cipher cipher = data[0] & 1 ? Cipher::Aes128 : Cipher::Des3;
  Bytes k_enc(key_size(cipher), 0x11), k_mac(key_size(cipher), 0x22), ssc(block_size(cipher), 0);
  SecureMessaging reader(cipher, k_enc, k_mac, ssc), card(cipher, k_enc, k_mac, ssc);
  Response r{Bytes(data + 1, data + size - 2), uint16_t(data[size - 2] << 8 | data[size - 1])};
  try {
    if (data[0] & 2) {
      (void)card.unprotect_command(reader.protect(Command{0x00, 0xB0, 0x00, 0x00, {}, 256}));
      Response plain = reader.unprotect(card.protect_response(r));
      if (plain.data != r.data || plain.sw != r.sw) std::abort();
    } else {
      (void)reader.protect(Command{0x00, 0xB0, 0x00, 0x00, {}, 256});
      (void)reader.unprotect(r);
    }
  } catch (const CardError&) {
  }
  return 0;
}
