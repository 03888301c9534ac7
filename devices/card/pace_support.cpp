#include "devices/card/pace_support.h"

#include <eac/eac.h>
#include <eac/pace.h>
#include <openssl/buffer.h>
#include <openssl/evp.h>
#include <openssl/objects.h>

#include <cstring>
#include <mutex>

#include "devices/card/card_error.h"
#include "devices/card/card_libraries.h"

namespace motcua::card {

namespace {
struct BufFree {
  void operator()(BUF_MEM* b) const { BUF_MEM_clear_free(b); }
};
using Buf = std::unique_ptr<BUF_MEM, BufFree>;

Buf to_buf(std::span<const uint8_t> in) {
  Buf b(BUF_MEM_new());
  BUF_MEM_grow(b.get(), in.size());
  if (!in.empty()) std::memcpy(b->data, in.data(), in.size());
  return b;
}

Bytes from_buf(BUF_MEM* b, const char* step) {
  if (!b) throw CardError(CardErrorKind::SecureMessaging, std::string("PACE ") + step + " failed");
  Buf owned(b);
  return Bytes(reinterpret_cast<uint8_t*>(b->data), reinterpret_cast<uint8_t*>(b->data) + b->length);
}

void check(int ok, const char* step) {
  if (ok != 1) throw CardError(CardErrorKind::SecureMessaging, std::string("PACE ") + step + " failed");
}
}  // namespace

PaceContext::PaceContext(std::span<const uint8_t> card_access, std::string_view can) {
  if (!eac::library_error().empty()) throw CardError(CardErrorKind::NotInstalled, "PACE: " + eac::library_error());
  static std::once_flag once;
  std::call_once(once, [] { EAC_init(); });
  ctx_ = EAC_CTX_new();
  if (!ctx_ || !EAC_CTX_init_ef_cardaccess(card_access.data(), card_access.size(), ctx_) || !ctx_->pace_ctx) {
    EAC_CTX_clear_free(ctx_);
    ctx_ = nullptr;
    throw CardError(CardErrorKind::Unsupported, "EF.CardAccess names no PACE variant this reader can run");
  }
  secret_ = PACE_SEC_new(can.data(), can.size(), PACE_CAN);
}

PaceContext::~PaceContext() {
  if (secret_) PACE_SEC_clear_free(secret_);
  if (ctx_) EAC_CTX_clear_free(ctx_);
}

Bytes PaceContext::encrypted_nonce() { return from_buf(PACE_STEP1_enc_nonce(ctx_, secret_), "nonce"); }

void PaceContext::decrypt_nonce(std::span<const uint8_t> enc) {
  check(PACE_STEP2_dec_nonce(ctx_, secret_, to_buf(enc).get()), "nonce");
}

Bytes PaceContext::mapping_data() { return from_buf(PACE_STEP3A_generate_mapping_data(ctx_), "mapping"); }

void PaceContext::map_generator(std::span<const uint8_t> other) {
  check(PACE_STEP3A_map_generator(ctx_, to_buf(other).get()), "mapping");
}

Bytes PaceContext::ephemeral_key() { return from_buf(PACE_STEP3B_generate_ephemeral_key(ctx_), "key agreement"); }

void PaceContext::agree(std::span<const uint8_t> other) {
  check(PACE_STEP3B_compute_shared_secret(ctx_, to_buf(other).get()), "key agreement");
  check(PACE_STEP3C_derive_keys(ctx_), "key derivation");
}

Bytes PaceContext::token_for(std::span<const uint8_t> other) {
  return from_buf(PACE_STEP3D_compute_authentication_token(ctx_, to_buf(other).get()), "token");
}

bool PaceContext::verify_token(std::span<const uint8_t> token) {
  return PACE_STEP3D_verify_authentication_token(ctx_, to_buf(token).get()) == 1;
}

std::unique_ptr<SecureMessaging> PaceContext::secure_messaging() {
  KA_CTX* ka = ctx_->pace_ctx->ka_ctx;
  if (!ka || !ka->k_enc || !ka->k_mac) throw CardError(CardErrorKind::SecureMessaging, "PACE made no session keys");
  Cipher cipher = Cipher::Des3;
  if (EVP_CIPHER_get_nid(ka->cipher) != NID_des_ede_cbc) {
    int bits = EVP_CIPHER_get_key_length(ka->cipher) * 8;
    cipher = bits == 128 ? Cipher::Aes128 : bits == 192 ? Cipher::Aes192 : Cipher::Aes256;
  }
  auto bytes = [](BUF_MEM* b) {
    return Bytes(reinterpret_cast<uint8_t*>(b->data), reinterpret_cast<uint8_t*>(b->data) + b->length);
  };
  return std::make_unique<SecureMessaging>(cipher, bytes(ka->k_enc), bytes(ka->k_mac), Bytes(block_size(cipher), 0));
}

}  // namespace motcua::card
