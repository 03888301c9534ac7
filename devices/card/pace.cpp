#include "devices/card/access.h"


#include <cstring>

#include "devices/card/card_error.h"
#include "devices/card/pace_support.h"
#include "devices/card/tlv.h"

namespace motcua::card {

namespace {
// id-PACE: 0.4.0.127.0.7.2.2.4, the prefix of every PACE protocol OID.
const uint8_t pace_prefix[] = {0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x04};

Bytes general_authenticate(CardChannel& channel, uint8_t cla, uint8_t in_tag, std::span<const uint8_t> in,
                           uint8_t out_tag, const char* step) {
  Bytes inner = in.empty() && in_tag == 0 ? Bytes{} : encode_tlv(in_tag, in);
  Response r = channel.transmit(Command{cla, 0x86, 0x00, 0x00, encode_tlv(0x7C, inner), 256});
  if (r.sw == sw::auth_failed || (r.sw & 0xFFF0) == 0x63C0 || r.sw == sw::security_not_satisfied)
    throw CardError(CardErrorKind::AccessDenied, std::string("the card refused the CAN (PACE ") + step + ")");
  if (!r.ok()) throw CardError(CardErrorKind::Protocol, std::string("PACE ") + step + " answered " + sw_text(r.sw));
  Tlv outer = read_tlv(r.data);
  auto item = outer.tag == 0x7C ? find_child(outer.value, out_tag) : std::nullopt;
  if (!item) throw CardError(CardErrorKind::Protocol, std::string("PACE ") + step + " answer lacks its data");
  return bytes_of(item->value);
}
}  // namespace

std::optional<PaceOffer> pace_offer(std::span<const uint8_t> card_access) {
  try {
    Tlv set = read_tlv(card_access);
    if (set.tag != 0x31) return std::nullopt;
    for (const Tlv& info : read_all(set.value)) {
      if (info.tag != 0x30) continue;
      auto parts = read_all(info.value);
      if (parts.size() < 2 || parts[0].tag != 0x06) continue;
      auto oid = parts[0].value;
      // PACEInfo has a 10-byte OID under id-PACE (PACEDomainParameterInfo is one byte shorter).
      if (oid.size() != sizeof pace_prefix + 2 || std::memcmp(oid.data(), pace_prefix, sizeof pace_prefix) != 0)
        continue;
      PaceOffer offer{bytes_of(oid), 0};
      if (parts.size() >= 3 && parts[2].tag == 0x02 && !parts[2].value.empty()) offer.parameter_id = parts[2].value.back();
      return offer;
    }
  } catch (const CardError&) {
  }
  return std::nullopt;
}

std::unique_ptr<SecureMessaging> perform_pace_can(CardChannel& channel, std::span<const uint8_t> card_access,
                                                  std::string_view can) {
  auto offer = pace_offer(card_access);
  if (!offer) throw CardError(CardErrorKind::Unsupported, "EF.CardAccess offers no PACE");
  PaceContext pace(card_access, can);

  Bytes mse = encode_tlv(0x80, offer->protocol_oid);
  append(mse, Bytes{0x83, 0x01, 0x02});  // password reference 2: CAN
  Response set_at = channel.transmit(Command{0x00, 0x22, 0xC1, 0xA4, mse, std::nullopt});
  if (!set_at.ok()) throw CardError(CardErrorKind::Protocol, "MSE:Set AT answered " + sw_text(set_at.sw));

  Bytes enc_nonce = general_authenticate(channel, 0x10, 0, {}, 0x80, "nonce");
  pace.decrypt_nonce(enc_nonce);
  Bytes picc_map = general_authenticate(channel, 0x10, 0x81, pace.mapping_data(), 0x82, "mapping");
  pace.map_generator(picc_map);
  Bytes picc_key = general_authenticate(channel, 0x10, 0x83, pace.ephemeral_key(), 0x84, "key agreement");
  pace.agree(picc_key);
  Bytes picc_token = general_authenticate(channel, 0x00, 0x85, pace.token_for(picc_key), 0x86, "mutual authentication");
  if (!pace.verify_token(picc_token))
    throw CardError(CardErrorKind::SecureMessaging, "the card's PACE token does not verify");
  return pace.secure_messaging();
}

}  // namespace motcua::card
