// Opening a secure channel to the chip: BAC with the MRZ key, PACE with the CAN.
// Rule: one attempt per key. A refused key is reported (AccessDenied), never retried, because
// a loop of failures can slow down or block a real chip.
#pragma once
#include <memory>

#include "devices/card/apdu.h"
#include "devices/card/mrz.h"
#include "devices/card/secure_messaging.h"

namespace motcua::card {

// Kseed = the first 16 bytes of SHA-1 over the MRZ key text.
Bytes bac_key_seed(const MrzKey& key);

// GET CHALLENGE + EXTERNAL AUTHENTICATE; the applet must already be selected.
std::unique_ptr<SecureMessaging> perform_bac(CardChannel& channel, const MrzKey& key);

// What EF.CardAccess offers for PACE (the first PACEInfo OpenPACE can run), or nullopt.
struct PaceOffer {
  Bytes protocol_oid;  // DER content bytes of the protocol OID, sent in MSE:Set AT
  int parameter_id = 0;
};
std::optional<PaceOffer> pace_offer(std::span<const uint8_t> card_access);

// MSE:Set AT + four GENERAL AUTHENTICATE steps with the CAN (OpenPACE), then a fresh SSC.
std::unique_ptr<SecureMessaging> perform_pace_can(CardChannel& channel, std::span<const uint8_t> card_access,
                                                  std::string_view can);

}  // namespace motcua::card
