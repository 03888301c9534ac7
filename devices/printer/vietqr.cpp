#include "devices/printer/vietqr.h"

#include <cstdio>

namespace motcua::printer {

namespace {

const char* kNapasGuid = "A000000727";

std::string tlv(const std::string& tag, const std::string& value) {
  if (value.size() > 99) throw VietQrError("field " + tag + " is longer than 99 characters");
  char len[3];
  std::snprintf(len, sizeof len, "%02zu", value.size());
  return tag + len + value;
}

bool all_digits(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

}  // namespace

uint16_t crc16_ccitt_false(const std::string& data) {
  uint16_t crc = 0xFFFF;
  for (unsigned char c : data) {
    crc ^= static_cast<uint16_t>(c << 8);
    for (int i = 0; i < 8; ++i) crc = (crc & 0x8000) ? static_cast<uint16_t>((crc << 1) ^ 0x1021) : static_cast<uint16_t>(crc << 1);
  }
  return crc;
}

std::map<std::string, std::string> parse_tlv(const std::string& s) {
  std::map<std::string, std::string> out;
  for (size_t i = 0; i < s.size();) {
    if (i + 4 > s.size() || !all_digits(s.substr(i, 4))) throw VietQrError("broken TLV at offset " + std::to_string(i));
    std::string tag = s.substr(i, 2);
    size_t len = std::stoul(s.substr(i + 2, 2));
    if (i + 4 + len > s.size()) throw VietQrError("field " + tag + " runs past the end");
    out[tag] = s.substr(i + 4, len);
    i += 4 + len;
  }
  return out;
}

std::string build_vietqr(const VietQr& q) {
  if (q.bank_bin.size() != 6 || !all_digits(q.bank_bin)) throw VietQrError("bank BIN must be 6 digits");
  if (q.account.empty() || q.account.size() > 19 || q.account.find_first_not_of("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") != std::string::npos)
    throw VietQrError("account must be 1-19 digits or capital letters");
  for (unsigned char c : q.purpose)
    if (c < 0x20 || c > 0x7E) throw VietQrError("purpose must be plain ASCII (no diacritics)");
  if (q.amount && *q.amount <= 0) throw VietQrError("amount must be positive");
  std::string beneficiary = tlv("00", q.bank_bin) + tlv("01", q.account);
  std::string merchant = tlv("00", kNapasGuid) + tlv("01", beneficiary) + tlv("02", q.to_card ? "QRIBFTTC" : "QRIBFTTA");
  std::string s = tlv("00", "01") + tlv("01", q.amount ? "12" : "11") + tlv("38", merchant) + tlv("53", "704");
  if (q.amount) s += tlv("54", std::to_string(*q.amount));
  s += tlv("58", "VN");
  if (!q.purpose.empty()) s += tlv("62", tlv("08", q.purpose));
  s += "6304";
  char crc[5];
  std::snprintf(crc, sizeof crc, "%04X", crc16_ccitt_false(s));
  return s + crc;
}

VietQr parse_vietqr(const std::string& payload) {
  if (payload.size() < 8 || payload.substr(payload.size() - 8, 4) != "6304") throw VietQrError("no CRC field at the end");
  char crc[5];
  std::snprintf(crc, sizeof crc, "%04X", crc16_ccitt_false(payload.substr(0, payload.size() - 4)));
  if (payload.substr(payload.size() - 4) != crc) throw VietQrError("CRC mismatch");
  auto top = parse_tlv(payload);
  if (top["00"] != "01") throw VietQrError("not an EMVCo payload (tag 00)");
  auto merchant = parse_tlv(top["38"]);
  if (merchant["00"] != kNapasGuid) throw VietQrError("not a NAPAS VietQR (GUID)");
  auto beneficiary = parse_tlv(merchant["01"]);
  VietQr q;
  q.bank_bin = beneficiary["00"];
  q.account = beneficiary["01"];
  q.to_card = merchant["02"] == "QRIBFTTC";
  if (top.count("54")) q.amount = std::stoll(top["54"]);
  if (top.count("62")) q.purpose = parse_tlv(top["62"])["08"];
  if (top["53"] != "704") throw VietQrError("currency is not VND (704)");
  return q;
}

}  // namespace motcua::printer
