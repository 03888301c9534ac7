// DG13, the Vietnamese personal-data group of the CCCD (research/chip.md §1.5):
// 6D { 30 { INTEGER version, OID, SET { SEQUENCE { INTEGER field, value... }... } } }.
// Rule: parse as BER and key on the field number; any field may be absent, strings may be
// UTF8String or PrintableString, parents and spouse may be nested one level deeper.
#pragma once
#include "devices/card/bytes.h"

namespace motcua::card {

struct CitizenRecord {
  SecretText id_number, full_name, date_of_birth, sex, nationality, ethnicity, religion, place_of_origin,
      place_of_residence, identifying_marks, date_of_issue, date_of_expiry, father_name, mother_name, spouse_name,
      old_id_number;
  bool expiry_is_indefinite = false;  // "không thời hạn": the card never expires
};

// Dates come out as YYYY-MM-DD; texts NFC-normalised. Throws CardError(Corrupt) on bad BER.
CitizenRecord parse_dg13(std::span<const uint8_t> dg13);

// "dd/mm/yyyy" → "yyyy-mm-dd"; anything else is returned unchanged.
SecretText iso_date(std::string_view card_date);

}  // namespace motcua::card
