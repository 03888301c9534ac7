// A thin RAII face over OpenPACE's PACE steps, used by the reader (perform_pace_can) and by the
// virtual card; both roles run the same library calls in their own order.
#pragma once
#include <memory>

#include "devices/card/secure_messaging.h"

struct eac_ctx;
struct pace_sec;

namespace motcua::card {

class PaceContext {
 public:
  PaceContext(std::span<const uint8_t> card_access, std::string_view can);  // throws CardError(Unsupported)
  ~PaceContext();
  PaceContext(const PaceContext&) = delete;
  PaceContext& operator=(const PaceContext&) = delete;

  Bytes encrypted_nonce();                          // card: step 1
  void decrypt_nonce(std::span<const uint8_t> enc);  // reader: step 1
  Bytes mapping_data();
  void map_generator(std::span<const uint8_t> other_mapping);
  Bytes ephemeral_key();
  void agree(std::span<const uint8_t> other_key);  // shared secret and session keys
  Bytes token_for(std::span<const uint8_t> other_key);
  bool verify_token(std::span<const uint8_t> token);
  std::unique_ptr<SecureMessaging> secure_messaging();  // SSC starts at zero

 private:
  eac_ctx* ctx_ = nullptr;
  pace_sec* secret_ = nullptr;
};

}  // namespace motcua::card
