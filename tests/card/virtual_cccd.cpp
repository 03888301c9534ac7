#include "tests/card/virtual_cccd.h"

#include "devices/card/access.h"
#include "devices/card/card_error.h"
#include "devices/card/tlv.h"

namespace motcua::card::testing {

namespace {
const uint8_t aid[] = {0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01};
const uint16_t fid_card_access = 0x011C, fid_com = 0x011E, fid_sod = 0x011D;

uint16_t fid_of_sfi(uint8_t sfi) { return uint16_t(0x0100 | sfi); }  // the LDS keeps FID = 01xx, SFI = xx

Response status(uint16_t sw) { return Response{{}, sw}; }
}  // namespace

VirtualCccd::VirtualCccd(const Citizen& citizen, const CardFiles& files, Faults faults)
    : faults_(faults), card_access_(files.card_access), can_(can_from_id(citizen.id_number)) {
  std::string expiry = citizen.date_of_expiry.size() == 10 ? citizen.date_of_expiry : "0000-00-00";
  mrz_key_ = mrz_key_from_id(citizen.id_number, citizen.date_of_birth, expiry);
  if (!card_access_.empty()) files_[fid_card_access] = card_access_;
  files_[fid_com] = files.com;
  files_[fid_sod] = files.sod;
  for (const auto& [n, bytes] : files.groups) files_[uint16_t(0x0100 | n)] = bytes;
  if (faults_.tamper_dg13) {
    Bytes& dg13 = files_[0x010D];
    dg13[dg13.size() - 3] ^= 0x01;  // inside the last field's text
  }
  if (faults_.truncate_dg) {
    Bytes& f = files_[uint16_t(0x0100 | faults_.truncate_dg)];
    f.resize(std::min(f.size(), faults_.truncate_to));
  }
}

Bytes VirtualCccd::atr() const {
  // T=1; historical bytes: category 80, card capabilities 73 xx xx xx (third byte bit 7: extended Lc/Le).
  Bytes atr = {0x3B, 0x85, 0x80, 0x01, 0x80, 0x73, 0x00, 0x21, uint8_t(faults_.extended_length ? 0x40 : 0x00)};
  uint8_t tck = 0;
  for (size_t i = 1; i < atr.size(); ++i) tck ^= atr[i];
  atr.push_back(tck);
  return atr;
}

void VirtualCccd::reset() {
  applet_ = false;
  current_.reset();
  sm_.reset();
  pace_.reset();
  pace_step_ = 0;
}

Bytes VirtualCccd::process(std::span<const uint8_t> raw) {
  ++apdus_;
  Command c;
  try {
    c = decode_command(raw);
  } catch (const CardError&) {
    return status(sw::wrong_length).encode();
  }
  bool protected_command = (c.cla & 0x0C) == 0x0C;
  if (protected_command) {
    if (!sm_) return status(sw::sm_missing).encode();
    try {
      c = sm_->unprotect_command(c);
    } catch (const CardError&) {
      sm_.reset();  // a broken MAC ends the session, as on a real chip
      return status(sw::sm_incorrect).encode();
    }
  } else if (sm_) {
    sm_.reset();  // a plain command ends secure messaging
  }
  Response r = dispatch(c, protected_command);
  if (protected_command && sm_) {
    Response wrapped = sm_->protect_response(r);
    if (faults_.bad_response_mac) wrapped.data[wrapped.data.size() - 1] ^= 0xFF;
    return wrapped.encode();
  }
  return r.encode();
}

Response VirtualCccd::dispatch(const Command& c, bool protected_command) {
  switch (c.ins) {
    case 0xA4: return select(c, protected_command);
    case 0xB0: return read_binary(c, protected_command);
    case 0x84:
      if (!applet_) return status(sw::conditions);
      challenge_ = random_bytes(8);
      return Response{challenge_, sw::ok};
    case 0x82: return external_authenticate(c);
    case 0x22: return set_at(c);
    case 0x86: return general_authenticate(c);
    default: return status(sw::ins_not_supported);
  }
}

Response VirtualCccd::select(const Command& c, bool protected_command) {
  if (c.p1 == 0x04) {
    if (!same_bytes(c.data, std::span(aid))) return status(sw::not_found);
    applet_ = true;
    current_.reset();
    if (!protected_command) {  // a plain SELECT starts over; after PACE it comes protected
      sm_.reset();
      pace_.reset();
    }
    return status(sw::ok);
  }
  if ((c.data.size() == 2 && c.data[0] == 0x3F && c.data[1] == 0x00) || (c.p1 == 0x00 && c.data.empty())) {
    ++mf_selects_;
    return status(sw::ins_not_supported);  // the CCCD quirk
  }
  if (c.p1 == 0x02 && c.data.size() == 2) {
    uint16_t fid = uint16_t(c.data[0] << 8 | c.data[1]);
    if (!files_.count(fid)) return status(sw::not_found);
    current_ = fid;
    return status(sw::ok);
  }
  return status(sw::wrong_params);
}

Response VirtualCccd::read_binary(const Command& c, bool protected_command) {
  size_t offset = 0;
  if (c.p1 & 0x80) {
    uint16_t fid = fid_of_sfi(c.p1 & 0x1F);
    if (!files_.count(fid)) return status(sw::not_found);
    current_ = fid;
    offset = c.p2;
  } else {
    if (!current_) return status(0x6986);
    offset = size_t(c.p1 << 8 | c.p2);
  }
  if (*current_ != fid_card_access && !(protected_command && sm_)) return status(sw::security_not_satisfied);
  size_t le = c.le.value_or(256);
  if (faults_.max_le && le > faults_.max_le) return status(sw::wrong_length);
  const Bytes& file = files_[*current_];
  if (offset > file.size()) return status(sw::wrong_offset);
  size_t n = std::min(le, file.size() - offset);
  Response r{Bytes(file.begin() + long(offset), file.begin() + long(offset + n)), sw::ok};
  if (n < le) r.sw = sw::end_of_file;
  return r;
}

Response VirtualCccd::external_authenticate(const Command& c) {
  if (!applet_ || challenge_.empty() || c.data.size() != 40) return status(sw::conditions);
  Bytes seed = bac_key_seed(mrz_key_);
  Bytes k_enc = derive_key(seed, 1, Cipher::Des3), k_mac = derive_key(seed, 2, Cipher::Des3);
  auto e_ifd = std::span(c.data).first(32), m_ifd = std::span(c.data).subspan(32);
  Bytes rnd_ic = challenge_;
  challenge_.clear();  // one answer per challenge
  if (!same_bytes(sm_mac(Cipher::Des3, k_mac, pad_iso9797(e_ifd, 8)), m_ifd)) return status(sw::auth_failed);
  Bytes s = cbc_decrypt(Cipher::Des3, k_enc, {}, e_ifd);
  if (!same_bytes(std::span(s).subspan(8, 8), rnd_ic)) return status(sw::auth_failed);
  Bytes rnd_ifd = bytes_of(std::span(s).first(8)), k_ifd = bytes_of(std::span(s).subspan(16, 16));
  Bytes k_ic = random_bytes(16);
  Bytes e_ic = cbc_encrypt(Cipher::Des3, k_enc, {}, concat({rnd_ic, rnd_ifd, k_ic}));
  Bytes m_ic = sm_mac(Cipher::Des3, k_mac, pad_iso9797(e_ic, 8));
  Bytes k_seed(16);
  for (int i = 0; i < 16; ++i) k_seed[i] = k_ifd[i] ^ k_ic[i];
  sm_ = std::make_unique<SecureMessaging>(Cipher::Des3, derive_key(k_seed, 1, Cipher::Des3),
                                          derive_key(k_seed, 2, Cipher::Des3),
                                          concat({std::span(rnd_ic).subspan(4, 4), std::span(rnd_ifd).subspan(4, 4)}));
  return Response{concat({e_ic, m_ic}), sw::ok};
}

Response VirtualCccd::set_at(const Command& c) {
  if (card_access_.empty()) return status(sw::ins_not_supported);
  if (c.p1 != 0xC1 || c.p2 != 0xA4) return status(sw::wrong_params);
  auto oid = find_child(c.data, 0x80);
  auto ref = find_child(c.data, 0x83);
  auto offer = pace_offer(card_access_);
  if (!oid || !ref || !offer || !same_bytes(oid->value, offer->protocol_oid)) return status(sw::wrong_data);
  if (ref->value.size() != 1 || ref->value[0] != 0x02) return status(0x6A88);  // only the CAN is set up
  sm_.reset();
  pace_ = std::make_unique<PaceContext>(card_access_, can_);
  pace_step_ = 0;
  return status(sw::ok);
}

Response VirtualCccd::general_authenticate(const Command& c) {
  if (!pace_) return status(sw::conditions);
  std::optional<Tlv> inner;
  try {
    Tlv outer = read_tlv(c.data);
    if (outer.tag != 0x7C) return status(sw::wrong_data);
    auto items = read_all(outer.value);
    if (!items.empty()) inner = items[0];
  } catch (const CardError&) {
    return status(sw::wrong_data);
  }
  auto answer = [](uint8_t tag, std::span<const uint8_t> v) { return Response{encode_tlv(0x7C, encode_tlv(tag, v)), sw::ok}; };
  try {
    switch (pace_step_++) {
      case 0: return answer(0x80, pace_->encrypted_nonce());
      case 1: {
        if (!inner || inner->tag != 0x81) break;
        Bytes mine = pace_->mapping_data();
        pace_->map_generator(inner->value);
        return answer(0x82, mine);
      }
      case 2: {
        if (!inner || inner->tag != 0x83) break;
        Bytes mine = pace_->ephemeral_key();
        pcd_key_ = bytes_of(inner->value);
        pace_->agree(pcd_key_);
        return answer(0x84, mine);
      }
      case 3: {
        if (!inner || inner->tag != 0x85 || !pace_->verify_token(inner->value)) {
          pace_.reset();
          return status(sw::auth_failed);
        }
        Bytes token = pace_->token_for(pcd_key_);
        sm_ = pace_->secure_messaging();
        pace_.reset();
        return answer(0x86, token);
      }
    }
  } catch (const CardError&) {
  }
  pace_.reset();
  return status(sw::auth_failed);
}

Response VirtualChannel::transmit(const Command& c) {
  ++sent_;
  if (card_.faults().remove_after >= 0 && sent_ > card_.faults().remove_after)
    throw CardError(CardErrorKind::CardRemoved, "talking to the card: the card was taken off the reader");
  if (card_.faults().mute_after >= 0 && sent_ > card_.faults().mute_after)
    throw CardError(CardErrorKind::Mute, "talking to the card: the card does not answer");
  Bytes raw = c.encode();
  return decode_response(card_.process(raw));
}

}  // namespace motcua::card::testing
