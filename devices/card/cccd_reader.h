// Reads a CCCD: access (PACE with the CAN, else BAC), then EF.COM, DG1, DG13, EF.SOD and, only
// when asked, DG2, under secure messaging; parses them and runs passive authentication.
// Rules: never SELECT the MF (real cards answer 6D00); one access attempt per key; every
// failure is a CardError of the project's kinds; the result wipes itself when destroyed.
#pragma once
#include <functional>
#include <memory>
#include <optional>

#include "devices/card/apdu.h"
#include "devices/card/dg13.h"
#include "devices/card/dg2.h"
#include "devices/card/mrz.h"
#include "devices/card/passive_auth.h"

namespace motcua::card {

struct ReadRequest {
  SecretText id_number;                   // 12 digits: the CAN is its last 6
  SecretText date_of_birth, date_of_expiry;  // YYYY-MM-DD, only needed when the card offers BAC alone
  bool photo = false;                     // read DG2 too
  // Shared: a read left running past its deadline (a card gone silent) still holds the store
  // after its caller has given up and gone.
  std::shared_ptr<const CscaStore> csca;
  std::function<void(float)> progress;    // 0..1, called after each APDU
};

struct CardRead {
  CitizenRecord citizen;
  Td1 mrz;
  std::string access;  // "PACE" or "BAC"
  PaResult passive_authentication;
  std::optional<FaceImage> photo;
  Bytes dg1, dg13, sod, dg2;  // as read, for passive authentication and for the portal
  int apdus = 0;
};

CardRead read_cccd(CardChannel& channel, const ReadRequest& request);

// Read sizes under secure messaging (research/chip.md §3.1).
constexpr size_t short_chunk = 0xDF, fallback_chunk = 0xA0, extended_chunk = 0x7F00;

// The card's field values by the form format's card field names ("fullName", ...).
std::vector<std::pair<std::string, SecretText>> card_fields_of(const CardRead& read);

}  // namespace motcua::card
