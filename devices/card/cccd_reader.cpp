#include "devices/card/cccd_reader.h"

#include "devices/card/access.h"
#include "devices/card/card_error.h"
#include "devices/card/tlv.h"

#include <algorithm>

namespace motcua::card {

namespace {
const uint8_t cccd_aid[] = {0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01};

// Counts every APDU that reaches the card.
class CountingChannel : public CardChannel {
 public:
  CountingChannel(CardChannel& inner, const std::function<void()>& after) : inner_(inner), after_(after) {}
  Response transmit(const Command& c) override {
    Response r = inner_.transmit(c);
    ++count;
    if (after_) after_();
    return r;
  }
  bool extended_length() const override { return inner_.extended_length(); }
  int count = 0;

 private:
  CardChannel& inner_;
  const std::function<void()>& after_;
};

// READ BINARY of one elementary file by short file identifier, chunk by chunk.
class FileReader {
 public:
  // `chunk` is shared by every reader of one card: a size the card refused once is not asked again.
  FileReader(CardChannel& channel, SecureMessaging* sm, size_t& chunk) : channel_(channel), sm_(sm), chunk_(chunk) {}

  Response send(const Command& c) { return sm_ ? sm_->unprotect(channel_.transmit(sm_->protect(c))) : channel_.transmit(c); }

  // nullopt when the file does not exist or may not be read.
  std::optional<Bytes> read(uint8_t sfi, const char* name, size_t& expected_total) {
    Bytes content;
    std::optional<size_t> total;
    bool first = true;
    while (!total || content.size() < *total) {
      size_t offset = content.size();
      if (offset > 0x7FFF) throw CardError(CardErrorKind::Unsupported, std::string(name) + " is larger than 32 KB");
      size_t want = total ? std::min(chunk_, *total - offset) : chunk_;
      Command c{0x00, 0xB0, first ? uint8_t(0x80 | sfi) : uint8_t(offset >> 8), first ? uint8_t(0) : uint8_t(offset),
                {}, want, want > 256};
      Response r = send(c);
      if ((r.sw == sw::wrong_length || r.sw == sw::wrong_offset) && chunk_ > fallback_chunk && want > fallback_chunk) {
        chunk_ = chunk_ > short_chunk ? short_chunk : fallback_chunk;  // extended → 0xDF → 0xA0
        continue;
      }
      if (first && (r.sw == sw::not_found || r.sw == sw::security_not_satisfied || r.sw == sw::wrong_params))
        return std::nullopt;
      if (r.sw == sw::end_of_file) {
        // 6282 is normal at a file's end; a read that brings nothing means the file ended early.
        if (r.data.empty()) throw CardError(CardErrorKind::Corrupt, std::string(name) + " is shorter than its length says");
      } else if (!r.ok()) {
        if (r.sw == sw::wrong_offset)
          throw CardError(CardErrorKind::Corrupt, std::string(name) + " is shorter than its length says");
        throw CardError(CardErrorKind::Protocol, std::string("reading ") + name + " answered " + sw_text(r.sw));
      }
      if (r.data.empty()) throw CardError(CardErrorKind::Corrupt, std::string(name) + " answered no data");
      append(content, r.data);
      if (!total) {
        total = tlv_total_size(content);
        if (!total) throw CardError(CardErrorKind::Corrupt, std::string(name) + " starts with a bad header");
        expected_total = *total;
      }
      // Some cards end a large read early with 6282 before the file's end: ask for less from then on.
      if (r.sw == sw::end_of_file && content.size() < *total && chunk_ > fallback_chunk) chunk_ = fallback_chunk;
      first = false;
    }
    content.resize(*total);
    return content;
  }

 private:
  CardChannel& channel_;
  SecureMessaging* sm_;
  size_t& chunk_;
};

void select_applet(CardChannel& channel, SecureMessaging* sm) {
  Command select{0x00, 0xA4, 0x04, 0x0C, bytes_of(std::span(cccd_aid)), std::nullopt};
  Response r = sm ? sm->unprotect(channel.transmit(sm->protect(select))) : channel.transmit(select);
  if (!r.ok()) throw CardError(CardErrorKind::Protocol, "selecting the CCCD application answered " + sw_text(r.sw));
}

}  // namespace

CardRead read_cccd(CardChannel& raw_channel, const ReadRequest& request) {
  if (!is_id_number(request.id_number)) throw std::invalid_argument("idNumber: expected 12 digits");
  bool photo = request.photo;
  // Progress: access is the first tenth, then files by their size once known.
  float done_weight = 0;
  size_t current_total = 0, current_read = 0;
  float file_share = photo ? 0.18f : 0.3f;
  std::function<void()> tick = [&] {
    if (!request.progress) return;
    float within = current_total ? float(current_read) / float(current_total) : 0.f;
    request.progress(std::min(0.99f, done_weight + file_share * within));
  };
  CountingChannel channel(raw_channel, tick);
  CardRead out;
  std::unique_ptr<SecureMessaging> sm;

  size_t chunk = short_chunk;
  FileReader plain(channel, nullptr, chunk);
  size_t ignored = 0;
  std::optional<Bytes> card_access;
  try {
    card_access = plain.read(0x1C, "EF.CardAccess", ignored);
  } catch (const CardError& e) {
    if (e.kind() != CardErrorKind::Protocol && e.kind() != CardErrorKind::Corrupt) throw;
  }
  bool has_mrz_data = !request.date_of_birth.empty() && !request.date_of_expiry.empty();
  if (card_access && pace_offer(*card_access)) {
    try {
      sm = perform_pace_can(channel, *card_access, can_from_id(request.id_number));
      out.access = "PACE";
      select_applet(channel, sm.get());
    } catch (const CardError& e) {
      // Fall back to BAC only when PACE is not possible here, or when BAC has its own key.
      if (e.kind() != CardErrorKind::Unsupported && !(e.kind() == CardErrorKind::AccessDenied && has_mrz_data)) throw;
      sm.reset();
    }
  }
  if (!sm) {
    if (!has_mrz_data)
      throw CardError(CardErrorKind::NeedsMrzData, "the card needs the date of birth and expiry (BAC)");
    select_applet(channel, nullptr);
    MrzKey key = mrz_key_from_id(request.id_number, request.date_of_birth, request.date_of_expiry);
    sm = perform_bac(channel, key);
    out.access = "BAC";
  }
  done_weight = 0.1f;
  tick();

  // Extended length only under secure messaging, where the card has answered at least once.
  if (channel.extended_length() && chunk == short_chunk) chunk = extended_chunk;
  FileReader reader(channel, sm.get(), chunk);
  auto next_file = [&](uint8_t sfi, const char* name, float share) -> std::optional<Bytes> {
    current_read = 0;
    current_total = 0;
    file_share = share;
    auto content = reader.read(sfi, name, current_total);
    done_weight += share;
    return content;
  };
  const float rest = 0.9f;
  auto com = next_file(0x1E, "EF.COM", rest * (photo ? 0.02f : 0.05f));
  auto dg1 = next_file(0x01, "DG1", rest * (photo ? 0.03f : 0.1f));
  if (!dg1) throw CardError(CardErrorKind::Corrupt, "the card has no DG1");
  auto dg13 = next_file(0x0D, "DG13", rest * (photo ? 0.1f : 0.4f));
  if (!dg13) throw CardError(CardErrorKind::Corrupt, "the card has no DG13");
  auto sod = next_file(0x1D, "EF.SOD", rest * (photo ? 0.15f : 0.45f));
  std::optional<Bytes> dg2;
  if (photo) dg2 = next_file(0x02, "DG2", rest * 0.7f);

  out.dg1 = std::move(*dg1);
  out.dg13 = std::move(*dg13);
  out.mrz = parse_dg1(out.dg1);
  out.citizen = parse_dg13(out.dg13);
  // The CAN opens any card whose last six digits match: make sure this is the citizen's card.
  SecretText card_id = !out.citizen.id_number.empty() ? out.citizen.id_number : out.mrz.id_number();
  if (card_id != request.id_number)
    throw CardError(CardErrorKind::AccessDenied, "the card on the reader carries another ID number");
  if (dg2) {
    out.dg2 = std::move(*dg2);
    out.photo = parse_dg2(out.dg2);
  }
  if (sod) {
    out.sod = std::move(*sod);
    std::map<int, std::span<const uint8_t>> groups = {{1, out.dg1}, {13, out.dg13}};
    if (!out.dg2.empty()) groups[2] = out.dg2;
    out.passive_authentication = passive_authentication(out.sod, groups, request.csca.get());
  } else {
    out.passive_authentication = {PaStatus::Invalid, "the card has no EF.SOD"};
  }
  (void)com;
  out.apdus = channel.count;
  if (request.progress) request.progress(1.0f);
  return out;
}

namespace {
// A parent's block asks only the year: "1999" of "1999-03-15", or of a card giving the year alone.
SecretText birth_year(const SecretText& date) {
  std::string_view d(date.data(), date.size());
  bool year = d.size() >= 4 && std::all_of(d.begin(), d.begin() + 4, [](char ch) { return ch >= '0' && ch <= '9'; });
  return year && (d.size() == 4 || d[4] == '-') ? SecretText(d.substr(0, 4)) : SecretText();
}
}  // namespace

std::vector<std::pair<std::string, SecretText>> card_fields_of(const CardRead& read) {
  const CitizenRecord& c = read.citizen;
  std::vector<std::pair<std::string, SecretText>> out = {
      {"idNumber", c.id_number.empty() ? read.mrz.id_number() : c.id_number},
      {"fullName", c.full_name},
      {"dateOfBirth", c.date_of_birth},
      {"birthYear", birth_year(c.date_of_birth)},
      {"sex", c.sex},
      {"nationality", c.nationality},
      {"ethnicity", c.ethnicity},
      {"religion", c.religion},
      {"placeOfOrigin", c.place_of_origin},
      {"placeOfResidence", c.place_of_residence},
      {"identifyingMarks", c.identifying_marks},
      {"dateOfIssue", c.date_of_issue},
      {"dateOfExpiry", c.date_of_expiry},
      {"fatherName", c.father_name},
      {"motherName", c.mother_name},
      {"spouseName", c.spouse_name},
      {"oldIdNumber", c.old_id_number},
  };
  return out;
}

}  // namespace motcua::card
