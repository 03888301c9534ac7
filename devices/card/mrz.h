// The TD1 machine-readable zone of the CCCD (DG1) and the BAC key made from it.
// On the CCCD the document number is the last 9 digits of the 12-digit ID, with a normal check
// digit, and the optional data carries the whole ID (research/chip.md §1.3).
#pragma once
#include <string>

#include "devices/card/bytes.h"

namespace motcua::card {

char mrz_check_digit(std::string_view field);  // ICAO 7-3-1 over digits, letters and '<'

struct Td1 {
  SecretText document_code, issuing_state, document_number, optional_data1;
  SecretText date_of_birth, sex, date_of_expiry, nationality, optional_data2;
  SecretText surname, given_names;  // ASCII without diacritics, '<' turned into spaces
  bool checks_ok = false;           // every check digit, the composite included
  SecretText id_number() const;     // the 12-digit ID from the optional data ("" when absent)
};

// Parses DG1 (tag 61 { 5F1F mrz }); throws CardError(Corrupt) when it is not a 90-character TD1.
Td1 parse_dg1(std::span<const uint8_t> dg1);
Td1 parse_td1(std::string_view mrz90);

// BAC's key input: document number, date of birth and date of expiry, each with its check digit.
struct MrzKey {
  SecretText document_number;  // 9 characters
  SecretText date_of_birth;    // YYMMDD
  SecretText date_of_expiry;   // YYMMDD
  SecretText key_text() const;
};
// From the citizen's typed input: 12-digit ID and ISO dates (YYYY-MM-DD). Throws
// std::invalid_argument naming the bad field.
MrzKey mrz_key_from_id(std::string_view id12, std::string_view dob_iso, std::string_view expiry_iso);

// The CAN of a CCCD: the last 6 digits of the ID number.
SecretText can_from_id(std::string_view id12);
bool is_id_number(std::string_view s);  // exactly 12 ASCII digits

}  // namespace motcua::card
