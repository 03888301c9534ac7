#include "devices/card/access.h"

#include <openssl/evp.h>

#include "devices/card/card_error.h"

namespace motcua::card {

Bytes bac_key_seed(const MrzKey& key) {
  SecretText text = key.key_text();
  Bytes digest(20);
  unsigned len = 0;
  EVP_Digest(text.data(), text.size(), digest.data(), &len, EVP_sha1(), nullptr);
  digest.resize(16);
  return digest;
}

std::unique_ptr<SecureMessaging> perform_bac(CardChannel& channel, const MrzKey& key) {
  Bytes seed = bac_key_seed(key);
  Bytes k_enc = derive_key(seed, 1, Cipher::Des3), k_mac = derive_key(seed, 2, Cipher::Des3);

  Response challenge = channel.transmit(Command{0x00, 0x84, 0x00, 0x00, {}, 8});
  if (!challenge.ok() || challenge.data.size() != 8)
    throw CardError(CardErrorKind::Protocol, "GET CHALLENGE answered " + sw_text(challenge.sw));
  Bytes rnd_ic = std::move(challenge.data), rnd_ifd = random_bytes(8), k_ifd = random_bytes(16);

  Bytes s = concat({rnd_ifd, rnd_ic, k_ifd});
  Bytes e_ifd = cbc_encrypt(Cipher::Des3, k_enc, {}, s);
  Bytes m_ifd = sm_mac(Cipher::Des3, k_mac, pad_iso9797(e_ifd, 8));
  Response answer = channel.transmit(Command{0x00, 0x82, 0x00, 0x00, concat({e_ifd, m_ifd}), 40});
  // 6300 on real cards, 6982/6988 on others: all mean the MRZ key is wrong.
  if (answer.sw == sw::auth_failed || answer.sw == sw::security_not_satisfied || answer.sw == sw::sm_incorrect ||
      (answer.sw & 0xFFF0) == 0x63C0)
    throw CardError(CardErrorKind::AccessDenied, "the card refused the MRZ key (BAC, " + sw_text(answer.sw) + ")");
  if (!answer.ok() || answer.data.size() != 40)
    throw CardError(CardErrorKind::Protocol, "EXTERNAL AUTHENTICATE answered " + sw_text(answer.sw));

  auto e_ic = std::span(answer.data).first(32), m_ic = std::span(answer.data).subspan(32);
  if (!same_bytes(sm_mac(Cipher::Des3, k_mac, pad_iso9797(e_ic, 8)), m_ic))
    throw CardError(CardErrorKind::SecureMessaging, "the card's BAC answer has a wrong MAC");
  Bytes r = cbc_decrypt(Cipher::Des3, k_enc, {}, e_ic);
  if (!same_bytes(std::span(r).subspan(0, 8), rnd_ic) || !same_bytes(std::span(r).subspan(8, 8), rnd_ifd))
    throw CardError(CardErrorKind::SecureMessaging, "the card's BAC answer does not match the challenge");
  Bytes k_seed(16);
  for (int i = 0; i < 16; ++i) k_seed[i] = k_ifd[i] ^ r[16 + i];
  Bytes ssc = concat({std::span(rnd_ic).subspan(4, 4), std::span(rnd_ifd).subspan(4, 4)});
  return std::make_unique<SecureMessaging>(Cipher::Des3, derive_key(k_seed, 1, Cipher::Des3),
                                           derive_key(k_seed, 2, Cipher::Des3), std::move(ssc));
}

}  // namespace motcua::card
