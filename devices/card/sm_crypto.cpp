#include "devices/card/sm_crypto.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>
#include <stdexcept>

#include "devices/card/card_error.h"

namespace motcua::card {

namespace {
struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};

// 2-key 3DES keys are 16 bytes; OpenSSL's DES-EDE takes them as is.
const EVP_CIPHER* evp_cbc(Cipher c, size_t key_len) {
  switch (c) {
    case Cipher::Des3: return key_len == 24 ? EVP_des_ede3_cbc() : EVP_des_ede_cbc();
    case Cipher::Aes128: return EVP_aes_128_cbc();
    case Cipher::Aes192: return EVP_aes_192_cbc();
    case Cipher::Aes256: return EVP_aes_256_cbc();
  }
  return nullptr;
}

Bytes run_cbc(Cipher c, std::span<const uint8_t> key, std::span<const uint8_t> iv, std::span<const uint8_t> data,
              bool encrypt) {
  if (data.size() % block_size(c)) throw CardError(CardErrorKind::SecureMessaging, "cipher text is not whole blocks");
  std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree> ctx(EVP_CIPHER_CTX_new());
  Bytes zero_iv(block_size(c), 0);
  const uint8_t* ivp = iv.empty() ? zero_iv.data() : iv.data();
  Bytes out(data.size() + block_size(c));
  int n1 = 0, n2 = 0;
  if (!EVP_CipherInit_ex(ctx.get(), evp_cbc(c, key.size()), nullptr, key.data(), ivp, encrypt ? 1 : 0) ||
      !EVP_CIPHER_CTX_set_padding(ctx.get(), 0) ||
      !EVP_CipherUpdate(ctx.get(), out.data(), &n1, data.data(), int(data.size())) ||
      !EVP_CipherFinal_ex(ctx.get(), out.data() + n1, &n2))
    throw CardError(CardErrorKind::SecureMessaging, "cipher operation failed");
  out.resize(size_t(n1 + n2));
  return out;
}
}  // namespace

size_t block_size(Cipher c) { return c == Cipher::Des3 ? 8 : 16; }

size_t key_size(Cipher c) {
  switch (c) {
    case Cipher::Des3: return 16;
    case Cipher::Aes128: return 16;
    case Cipher::Aes192: return 24;
    case Cipher::Aes256: return 32;
  }
  return 16;
}

Bytes derive_key(std::span<const uint8_t> seed, uint32_t counter, Cipher c) {
  Bytes input = bytes_of(seed);
  append(input, Bytes{uint8_t(counter >> 24), uint8_t(counter >> 16), uint8_t(counter >> 8), uint8_t(counter)});
  bool sha1 = c == Cipher::Des3 || c == Cipher::Aes128;
  Bytes digest(sha1 ? 20 : 32);
  unsigned len = 0;
  EVP_Digest(input.data(), input.size(), digest.data(), &len, sha1 ? EVP_sha1() : EVP_sha256(), nullptr);
  digest.resize(key_size(c));
  if (c == Cipher::Des3) {  // DES keys carry odd parity in the low bit of each byte
    for (auto& b : digest) {
      uint8_t v = b & 0xFE;
      int ones = __builtin_popcount(v);
      b = uint8_t(v | (ones % 2 == 0 ? 1 : 0));
    }
  }
  return digest;
}

Bytes pad_iso9797(std::span<const uint8_t> data, size_t block) {
  Bytes out = bytes_of(data);
  out.push_back(0x80);
  while (out.size() % block) out.push_back(0);
  return out;
}

Bytes unpad_iso9797(std::span<const uint8_t> data) {
  size_t n = data.size();
  while (n > 0 && data[n - 1] == 0) --n;
  if (n == 0 || data[n - 1] != 0x80) throw CardError(CardErrorKind::SecureMessaging, "bad padding in a response");
  return bytes_of(data.first(n - 1));
}

Bytes cbc_encrypt(Cipher c, std::span<const uint8_t> key, std::span<const uint8_t> iv, std::span<const uint8_t> data) {
  return run_cbc(c, key, iv, data, true);
}

Bytes cbc_decrypt(Cipher c, std::span<const uint8_t> key, std::span<const uint8_t> iv, std::span<const uint8_t> data) {
  return run_cbc(c, key, iv, data, false);
}

Bytes sm_mac(Cipher c, std::span<const uint8_t> key, std::span<const uint8_t> padded) {
  if (c == Cipher::Des3) {
    // ISO 9797-1 MAC algorithm 3: single-DES CBC with K1 (DES-EDE with K1|K1), then the last
    // block through D(K2), E(K1), which is 2-key 3DES on that block.
    if (padded.size() % 8 || padded.empty() || key.size() != 16)
      throw CardError(CardErrorKind::SecureMessaging, "retail MAC needs padded data and a 16-byte key");
    Bytes k1k1 = concat({key.first(8), key.first(8)});
    Bytes chain(8, 0);
    if (padded.size() > 8) {
      Bytes head = cbc_encrypt(Cipher::Des3, k1k1, {}, padded.first(padded.size() - 8));
      chain.assign(head.end() - 8, head.end());
    }
    Bytes last = bytes_of(padded.last(8));
    for (int i = 0; i < 8; ++i) last[i] ^= chain[i];
    return cbc_encrypt(Cipher::Des3, key, {}, last);
  }
  const char* name = c == Cipher::Aes128 ? "AES-128-CBC" : c == Cipher::Aes192 ? "AES-192-CBC" : "AES-256-CBC";
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "CMAC", nullptr);
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER, const_cast<char*>(name), 0),
                         OSSL_PARAM_construct_end()};
  Bytes out(16);
  size_t len = 0;
  bool ok = EVP_MAC_init(ctx, key.data(), key.size(), params) && EVP_MAC_update(ctx, padded.data(), padded.size()) &&
            EVP_MAC_final(ctx, out.data(), &len, out.size());
  EVP_MAC_CTX_free(ctx);
  EVP_MAC_free(mac);
  if (!ok) throw CardError(CardErrorKind::SecureMessaging, "CMAC failed");
  out.resize(8);
  return out;
}

Bytes random_bytes(size_t n) {
  Bytes out(n);
  if (RAND_bytes(out.data(), int(n)) != 1) throw std::runtime_error("no random numbers");
  return out;
}

bool same_bytes(std::span<const uint8_t> a, std::span<const uint8_t> b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace motcua::card
