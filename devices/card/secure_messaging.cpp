#include "devices/card/secure_messaging.h"

#include "devices/card/card_error.h"
#include "devices/card/tlv.h"

namespace motcua::card {

namespace {
CardError sm_error(const char* what) { return CardError(CardErrorKind::SecureMessaging, what); }

// The data objects of a protected APDU, up to and including the MAC (DO8E), and how many bytes
// before the MAC it covers.
struct Objects {
  std::optional<Tlv> data, le, status, mac;
  size_t covered = 0;
};

Objects split(const Bytes& body) {
  Objects o;
  for (const Tlv& t : read_all(body)) {
    if (t.tag == 0x87 || t.tag == 0x85) o.data = t;
    else if (t.tag == 0x97) o.le = t;
    else if (t.tag == 0x99) o.status = t;
    else if (t.tag == 0x8E) {
      o.mac = t;
      break;
    }
    o.covered = size_t(t.value.data() + t.value.size() - body.data());
  }
  if (!o.mac || o.mac->value.size() != 8) throw sm_error("a message without its MAC");
  return o;
}

Bytes le_object(size_t le, bool extended) {
  if (extended || le > 256) {
    size_t v = le >= 65536 ? 0 : le;
    return {0x97, 0x02, uint8_t(v >> 8), uint8_t(v)};
  }
  return {0x97, 0x01, uint8_t(le >= 256 ? 0 : le)};
}
}  // namespace

SecureMessaging::SecureMessaging(Cipher cipher, Bytes k_enc, Bytes k_mac, Bytes ssc)
    : cipher_(cipher), k_enc_(std::move(k_enc)), k_mac_(std::move(k_mac)), ssc_(std::move(ssc)) {
  if (ssc_.size() != block_size(cipher_)) throw sm_error("send sequence counter has the wrong size");
}

void SecureMessaging::increment_ssc() {
  for (size_t i = ssc_.size(); i-- > 0;)
    if (++ssc_[i] != 0) break;
}

Bytes SecureMessaging::iv() {
  if (cipher_ == Cipher::Des3) return Bytes(8, 0);
  // E(K_enc, SSC) is one CBC block with a zero IV.
  return cbc_encrypt(cipher_, k_enc_, {}, ssc_);
}

Bytes SecureMessaging::encrypt(std::span<const uint8_t> data) {
  return cbc_encrypt(cipher_, k_enc_, iv(), pad_iso9797(data, block_size(cipher_)));
}

Bytes SecureMessaging::decrypt(std::span<const uint8_t> data) {
  return unpad_iso9797(cbc_decrypt(cipher_, k_enc_, iv(), data));
}

Bytes SecureMessaging::mac(std::span<const uint8_t> data) {
  return sm_mac(cipher_, k_mac_, pad_iso9797(concat({ssc_, data}), block_size(cipher_)));
}

Command SecureMessaging::protect(const Command& plain) {
  increment_ssc();
  size_t block = block_size(cipher_);
  Command out{uint8_t(plain.cla | 0x0C), plain.ins, plain.p1, plain.p2, {}, std::nullopt, false};
  Bytes header = pad_iso9797(Bytes{out.cla, out.ins, out.p1, out.p2}, block);
  Bytes objects;
  if (!plain.data.empty()) {
    Bytes enc = encrypt(plain.data);
    if (plain.ins & 1) {
      append(objects, encode_tlv(0x85, enc));
    } else {
      Bytes value = {0x01};
      append(value, enc);
      append(objects, encode_tlv(0x87, value));
    }
  }
  if (plain.le) append(objects, le_object(*plain.le, plain.extended));
  Bytes m = mac(concat({header, objects}));
  append(objects, encode_tlv(0x8E, m));
  out.data = std::move(objects);
  bool extended = plain.needs_extended() || out.data.size() > 255;
  out.le = extended ? 65536 : 256;
  out.extended = extended;
  return out;
}

Response SecureMessaging::unprotect(const Response& wrapped) {
  increment_ssc();
  if (wrapped.data.empty()) {
    // A card that drops secure messaging says so in plain; nothing else may come unprotected.
    if (wrapped.sw == sw::sm_missing || wrapped.sw == sw::sm_incorrect)
      throw sm_error("the card ended secure messaging");
    if (wrapped.sw == sw::ok) throw sm_error("an answer without its MAC");
    return Response{{}, wrapped.sw};  // an error status carries no data to trust
  }
  Objects o = split(wrapped.data);
  if (!same_bytes(mac(std::span(wrapped.data).first(o.covered)), o.mac->value))
    throw sm_error("an answer's MAC does not match");
  Response out;
  out.sw = wrapped.sw;
  if (o.status) {
    if (o.status->value.size() != 2) throw sm_error("a malformed status object");
    out.sw = uint16_t(o.status->value[0] << 8 | o.status->value[1]);
  }
  if (o.data) {
    auto v = o.data->value;
    if (o.data->tag == 0x87) {
      if (v.empty() || v[0] != 0x01) throw sm_error("unknown padding indicator");
      v = v.subspan(1);
    }
    out.data = decrypt(v);
  }
  return out;
}

Command SecureMessaging::unprotect_command(const Command& wrapped) {
  increment_ssc();
  if ((wrapped.cla & 0x0C) != 0x0C) throw sm_error("a command without secure messaging");
  size_t block = block_size(cipher_);
  Bytes header = pad_iso9797(Bytes{wrapped.cla, wrapped.ins, wrapped.p1, wrapped.p2}, block);
  Objects o = split(wrapped.data);
  if (!same_bytes(mac(concat({header, std::span(wrapped.data).first(o.covered)})), o.mac->value))
    throw sm_error("a command's MAC does not match");
  Command out{uint8_t(wrapped.cla & ~0x0C), wrapped.ins, wrapped.p1, wrapped.p2, {}, std::nullopt, false};
  if (o.data) {
    auto v = o.data->value;
    // Same rule as the reader side: an empty DO87 has no indicator byte to skip.
    if (o.data->tag == 0x87) {
      if (v.empty() || v[0] != 0x01) throw sm_error("unknown padding indicator");
      v = v.subspan(1);
    }
    out.data = decrypt(v);
  }
  if (o.le) {
    size_t le = 0;
    for (uint8_t b : o.le->value) le = le << 8 | b;
    if (le == 0) le = o.le->value.size() == 1 ? 256 : 65536;
    out.le = le;
    out.extended = o.le->value.size() == 2;
  }
  return out;
}

Response SecureMessaging::protect_response(const Response& plain) {
  increment_ssc();
  Bytes objects;
  if (!plain.data.empty()) {
    Bytes value = {0x01};
    append(value, encrypt(plain.data));
    append(objects, encode_tlv(0x87, value));
  }
  append(objects, Bytes{0x99, 0x02, plain.sw1(), uint8_t(plain.sw)});
  Bytes m = mac(objects);
  append(objects, encode_tlv(0x8E, m));
  return Response{std::move(objects), plain.sw};
}

}  // namespace motcua::card
