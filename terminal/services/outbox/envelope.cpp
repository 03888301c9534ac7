#include "terminal/services/outbox/envelope.h"

#include <memory>
#include <vector>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

namespace motcua::outbox {

namespace {

using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using KeyCtx = std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)>;
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

constexpr const char* kAlg = "RSA-OAEP-256+A256GCM";

Key read_key(const std::string& pem, bool is_private) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  EVP_PKEY* k = is_private ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr)
                           : PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
  if (!k) throw EnvelopeError(is_private ? "not a PEM private key" : "not a PEM public key");
  if (EVP_PKEY_get_base_id(k) != EVP_PKEY_RSA) {
    EVP_PKEY_free(k);
    throw EnvelopeError("the envelope key must be RSA");
  }
  return Key(k, EVP_PKEY_free);
}

void oaep_sha256(EVP_PKEY_CTX* ctx) {
  if (EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) <= 0 ||
      EVP_PKEY_CTX_set_rsa_oaep_md(ctx, EVP_sha256()) <= 0 || EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, EVP_sha256()) <= 0)
    throw EnvelopeError("RSA-OAEP unavailable");
}

std::string field(const nlohmann::json& env, const char* name) {
  if (!env.is_object() || !env.contains(name) || !env[name].is_string())
    throw EnvelopeError(std::string("envelope: missing \"") + name + "\"");
  return env[name].get<std::string>();
}

}  // namespace

std::string sha256_hex(std::string_view bytes) {
  unsigned char d[32];
  unsigned int n = 0;
  EVP_Digest(bytes.data(), bytes.size(), d, &n, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < n; ++i) {
    out.push_back(hex[d[i] >> 4]);
    out.push_back(hex[d[i] & 15]);
  }
  return out;
}

std::string unbase64(std::string_view text) {
  if (text.size() % 4 != 0) throw EnvelopeError("bad base64");
  std::string out(3 * text.size() / 4, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) throw EnvelopeError("bad base64");
  size_t pad = 0;
  if (!text.empty() && text.back() == '=') ++pad;
  if (text.size() > 1 && text[text.size() - 2] == '=') ++pad;
  out.resize(static_cast<size_t>(n) - pad);  // EVP_DecodeBlock counts padding as zero bytes
  return out;
}

std::string key_id(const std::string& public_key_pem) {
  Key key = read_key(public_key_pem, false);
  unsigned char* der = nullptr;
  int len = i2d_PUBKEY(key.get(), &der);
  if (len <= 0) throw EnvelopeError("cannot encode the public key");
  std::string id = sha256_hex({reinterpret_cast<char*>(der), static_cast<size_t>(len)}).substr(0, 16);
  OPENSSL_free(der);
  return id;
}

nlohmann::json seal(std::string_view plaintext, const std::string& public_key_pem, std::string_view dossier_uuid) {
  Key key = read_key(public_key_pem, false);
  unsigned char aes[32], iv[12], tag[16];
  if (RAND_bytes(aes, sizeof aes) != 1 || RAND_bytes(iv, sizeof iv) != 1) throw EnvelopeError("no randomness");

  CipherCtx c(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  std::string data(plaintext.size(), '\0');
  int len = 0, fin = 0;
  bool ok = EVP_EncryptInit_ex(c.get(), EVP_aes_256_gcm(), nullptr, aes, iv) == 1 &&
            EVP_EncryptUpdate(c.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(dossier_uuid.data()),
                              static_cast<int>(dossier_uuid.size())) == 1 &&
            EVP_EncryptUpdate(c.get(), reinterpret_cast<unsigned char*>(data.data()), &len,
                              reinterpret_cast<const unsigned char*>(plaintext.data()), static_cast<int>(plaintext.size())) == 1 &&
            EVP_EncryptFinal_ex(c.get(), reinterpret_cast<unsigned char*>(data.data()) + len, &fin) == 1 &&
            EVP_CIPHER_CTX_ctrl(c.get(), EVP_CTRL_GCM_GET_TAG, sizeof tag, tag) == 1;
  if (!ok) {
    OPENSSL_cleanse(aes, sizeof aes);
    throw EnvelopeError("AES-256-GCM failed");
  }

  KeyCtx kc(EVP_PKEY_CTX_new(key.get(), nullptr), EVP_PKEY_CTX_free);
  size_t wrapped_len = 0;
  if (EVP_PKEY_encrypt_init(kc.get()) <= 0) throw EnvelopeError("RSA unavailable");
  oaep_sha256(kc.get());
  EVP_PKEY_encrypt(kc.get(), nullptr, &wrapped_len, aes, sizeof aes);
  std::string wrapped(wrapped_len, '\0');
  int r = EVP_PKEY_encrypt(kc.get(), reinterpret_cast<unsigned char*>(wrapped.data()), &wrapped_len, aes, sizeof aes);
  OPENSSL_cleanse(aes, sizeof aes);  // the only copy of the dossier key leaves memory here
  if (r <= 0) throw EnvelopeError("RSA-OAEP wrap failed");
  wrapped.resize(wrapped_len);

  return {{"v", 1},
          {"alg", kAlg},
          {"kid", key_id(public_key_pem)},
          {"key", base64(wrapped)},
          {"iv", base64({reinterpret_cast<char*>(iv), sizeof iv})},
          {"tag", base64({reinterpret_cast<char*>(tag), sizeof tag})},
          {"data", base64(data)}};
}

std::string open(const nlohmann::json& envelope, const std::string& private_key_pem, std::string_view dossier_uuid) {
  if (field(envelope, "alg") != kAlg) throw EnvelopeError("envelope: unknown \"alg\"");
  std::string wrapped = unbase64(field(envelope, "key")), iv = unbase64(field(envelope, "iv")),
              tag = unbase64(field(envelope, "tag")), data = unbase64(field(envelope, "data"));
  if (iv.size() != 12 || tag.size() != 16) throw EnvelopeError("envelope: bad iv or tag length");
  Key key = read_key(private_key_pem, true);

  KeyCtx kc(EVP_PKEY_CTX_new(key.get(), nullptr), EVP_PKEY_CTX_free);
  if (EVP_PKEY_decrypt_init(kc.get()) <= 0) throw EnvelopeError("RSA unavailable");
  oaep_sha256(kc.get());
  unsigned char aes[512];
  size_t aes_len = sizeof aes;
  if (EVP_PKEY_decrypt(kc.get(), aes, &aes_len, reinterpret_cast<const unsigned char*>(wrapped.data()), wrapped.size()) <= 0 ||
      aes_len != 32) {
    OPENSSL_cleanse(aes, sizeof aes);
    throw EnvelopeError("envelope: the key was not wrapped for this server");
  }

  CipherCtx c(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  std::string plain(data.size(), '\0');
  int len = 0, fin = 0;
  bool ok = EVP_DecryptInit_ex(c.get(), EVP_aes_256_gcm(), nullptr, aes, reinterpret_cast<const unsigned char*>(iv.data())) == 1 &&
            EVP_DecryptUpdate(c.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(dossier_uuid.data()),
                              static_cast<int>(dossier_uuid.size())) == 1 &&
            EVP_DecryptUpdate(c.get(), reinterpret_cast<unsigned char*>(plain.data()), &len,
                              reinterpret_cast<const unsigned char*>(data.data()), static_cast<int>(data.size())) == 1 &&
            EVP_CIPHER_CTX_ctrl(c.get(), EVP_CTRL_GCM_SET_TAG, 16, tag.data()) == 1 &&
            EVP_DecryptFinal_ex(c.get(), reinterpret_cast<unsigned char*>(plain.data()) + len, &fin) == 1;
  OPENSSL_cleanse(aes, sizeof aes);
  if (!ok) {
    OPENSSL_cleanse(plain.data(), plain.size());
    throw EnvelopeError("envelope: authentication failed (tampered, or sealed for another dossier)");
  }
  return plain;
}

}  // namespace motcua::outbox
