#include "devices/card/mrz.h"

#include <stdexcept>

#include "devices/card/card_error.h"
#include "devices/card/tlv.h"

namespace motcua::card {

char mrz_check_digit(std::string_view field) {
  static const int weights[3] = {7, 3, 1};
  int sum = 0;
  for (size_t i = 0; i < field.size(); ++i) {
    char c = field[i];
    int v = 0;
    if (c >= '0' && c <= '9') v = c - '0';
    else if (c >= 'A' && c <= 'Z') v = c - 'A' + 10;
    else if (c == '<') v = 0;
    else return '?';
    sum += v * weights[i % 3];
  }
  return char('0' + sum % 10);
}

namespace {
SecretText trim_filler(std::string_view s) {
  size_t end = s.size();
  while (end > 0 && s[end - 1] == '<') --end;
  return SecretText(s.substr(0, end));
}

SecretText words(std::string_view s) {
  SecretText out;
  for (char c : trim_filler(s)) out += c == '<' ? ' ' : c;
  return out;
}

bool all_digits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return !s.empty();
}
}  // namespace

Td1 parse_td1(std::string_view m) {
  if (m.size() != 90) throw CardError(CardErrorKind::Corrupt, "DG1 is not a 3-line TD1 zone");
  for (char c : m)
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c == '<'))
      throw CardError(CardErrorKind::Corrupt, "DG1 holds a character outside the MRZ set");
  std::string_view l1 = m.substr(0, 30), l2 = m.substr(30, 30), l3 = m.substr(60, 30);
  Td1 t;
  t.document_code = trim_filler(l1.substr(0, 2));
  t.issuing_state = trim_filler(l1.substr(2, 3));
  t.document_number = trim_filler(l1.substr(5, 9));
  t.optional_data1 = trim_filler(l1.substr(15, 15));
  t.date_of_birth = SecretText(l2.substr(0, 6));
  t.sex = SecretText(l2.substr(7, 1));
  t.date_of_expiry = SecretText(l2.substr(8, 6));
  t.nationality = trim_filler(l2.substr(15, 3));
  t.optional_data2 = trim_filler(l2.substr(18, 11));
  size_t split = l3.find("<<");
  if (split == std::string_view::npos) {
    t.surname = words(l3);
  } else {
    t.surname = words(l3.substr(0, split));
    t.given_names = words(l3.substr(split + 2));
  }
  bool doc_ok = mrz_check_digit(l1.substr(5, 9)) == l1[14];
  bool dob_ok = mrz_check_digit(l2.substr(0, 6)) == l2[6];
  bool doe_ok = mrz_check_digit(l2.substr(8, 6)) == l2[14];
  std::string composite;
  composite.append(l1.substr(5, 25)).append(l2.substr(0, 7)).append(l2.substr(8, 7)).append(l2.substr(18, 11));
  bool composite_ok = mrz_check_digit(composite) == l2[29];
  t.checks_ok = doc_ok && dob_ok && doe_ok && composite_ok;
  return t;
}

Td1 parse_dg1(std::span<const uint8_t> dg1) {
  Tlv outer = read_tlv(dg1);
  if (outer.tag != 0x61) throw CardError(CardErrorKind::Corrupt, "DG1 does not start with tag 61");
  auto mrz = find_child(outer.value, 0x5F1F);
  if (!mrz) throw CardError(CardErrorKind::Corrupt, "DG1 has no MRZ (5F1F)");
  return parse_td1(std::string_view(reinterpret_cast<const char*>(mrz->value.data()), mrz->value.size()));
}

SecretText Td1::id_number() const {
  if (optional_data1.size() >= 12 && all_digits(std::string_view(optional_data1).substr(0, 12)))
    return optional_data1.substr(0, 12);
  return {};
}

SecretText MrzKey::key_text() const {
  SecretText doc = document_number;
  while (doc.size() < 9) doc += '<';
  SecretText out = doc;
  out += mrz_check_digit(doc);
  out += date_of_birth;
  out += mrz_check_digit(date_of_birth);
  out += date_of_expiry;
  out += mrz_check_digit(date_of_expiry);
  return out;
}

bool is_id_number(std::string_view s) { return s.size() == 12 && all_digits(s); }

SecretText can_from_id(std::string_view id12) {
  if (!is_id_number(id12)) throw std::invalid_argument("idNumber: expected 12 digits");
  return SecretText(id12.substr(6));
}

MrzKey mrz_key_from_id(std::string_view id12, std::string_view dob, std::string_view expiry) {
  if (!is_id_number(id12)) throw std::invalid_argument("idNumber: expected 12 digits");
  auto yymmdd = [](std::string_view iso, const char* field) {
    if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-' || !all_digits(iso.substr(0, 4)) ||
        !all_digits(iso.substr(5, 2)) || !all_digits(iso.substr(8, 2)))
      throw std::invalid_argument(std::string(field) + ": expected YYYY-MM-DD");
    SecretText out(iso.substr(2, 2));
    out += iso.substr(5, 2);
    out += iso.substr(8, 2);
    return out;
  };
  return MrzKey{SecretText(id12.substr(3)), yymmdd(dob, "dob"), yymmdd(expiry, "expiry")};
}

}  // namespace motcua::card
