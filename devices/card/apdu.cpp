#include "devices/card/apdu.h"

#include <cstdio>

#include "devices/card/card_error.h"

namespace motcua::card {

const char* kind_name(CardErrorKind k) {
  switch (k) {
    case CardErrorKind::NoService: return "no-service";
    case CardErrorKind::NoReader: return "no-reader";
    case CardErrorKind::NoCard: return "no-card";
    case CardErrorKind::CardRemoved: return "card-removed";
    case CardErrorKind::Mute: return "mute-card";
    case CardErrorKind::AccessDenied: return "access-denied";
    case CardErrorKind::NeedsMrzData: return "needs-mrz-data";
    case CardErrorKind::SecureMessaging: return "secure-messaging";
    case CardErrorKind::Protocol: return "protocol";
    case CardErrorKind::Corrupt: return "corrupt-data";
    case CardErrorKind::Unsupported: return "unsupported";
    case CardErrorKind::NotInstalled: return "not-installed";
  }
  return "unknown";
}

Bytes Command::encode() const {
  Bytes out = {cla, ins, p1, p2};
  if (needs_extended()) {
    if (!data.empty()) {
      append(out, Bytes{0, uint8_t(data.size() >> 8), uint8_t(data.size())});
      append(out, data);
    }
    if (le) {
      size_t v = *le >= 65536 ? 0 : *le;
      if (data.empty()) out.push_back(0);
      append(out, Bytes{uint8_t(v >> 8), uint8_t(v)});
    }
  } else {
    if (!data.empty()) {
      out.push_back(uint8_t(data.size()));
      append(out, data);
    }
    if (le) out.push_back(uint8_t(*le >= 256 ? 0 : *le));
  }
  return out;
}

Command decode_command(std::span<const uint8_t> raw) {
  auto bad = [] { return CardError(CardErrorKind::Corrupt, "malformed command APDU"); };
  if (raw.size() < 4) throw bad();
  Command c{raw[0], raw[1], raw[2], raw[3], {}, std::nullopt, false};
  auto body = raw.subspan(4);
  if (body.empty()) return c;
  if (body.size() == 1) {  // case 2 short
    c.le = body[0] ? body[0] : 256;
    return c;
  }
  if (body[0] != 0) {  // short Lc
    size_t lc = body[0];
    if (body.size() < 1 + lc) throw bad();
    c.data = bytes_of(body.subspan(1, lc));
    auto rest = body.subspan(1 + lc);
    if (rest.size() == 1) c.le = rest[0] ? rest[0] : 256;
    else if (!rest.empty()) throw bad();
    return c;
  }
  c.extended = true;
  if (body.size() == 3) {  // case 2 extended
    size_t le = size_t(body[1]) << 8 | body[2];
    c.le = le ? le : 65536;
    return c;
  }
  size_t lc = size_t(body[1]) << 8 | body[2];
  if (lc == 0 || body.size() < 3 + lc) throw bad();
  c.data = bytes_of(body.subspan(3, lc));
  auto rest = body.subspan(3 + lc);
  if (rest.size() == 2) {
    size_t le = size_t(rest[0]) << 8 | rest[1];
    c.le = le ? le : 65536;
  } else if (!rest.empty()) {
    throw bad();
  }
  return c;
}

Bytes Response::encode() const {
  Bytes out = data;
  out.push_back(uint8_t(sw >> 8));
  out.push_back(uint8_t(sw));
  return out;
}

Response decode_response(std::span<const uint8_t> raw) {
  if (raw.size() < 2) throw CardError(CardErrorKind::Mute, "the card answered without a status word");
  Response r;
  r.data = bytes_of(raw.first(raw.size() - 2));
  r.sw = uint16_t(raw[raw.size() - 2] << 8 | raw[raw.size() - 1]);
  return r;
}

std::string sw_text(uint16_t sw) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04X", sw);
  return buf;
}

}  // namespace motcua::card
