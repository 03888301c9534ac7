#include "devices/card/dg13.h"

#include <vector>

#include "devices/card/card_error.h"
#include "devices/card/tlv.h"
#include "forms/text.h"

namespace motcua::card {

namespace {
bool is_string_tag(uint32_t tag) {
  return tag == 0x0C || tag == 0x13 || tag == 0x16 || tag == 0x14 || tag == 0x1E;
}

SecretText decode_string(const Tlv& t) {
  if (t.tag == 0x1E) {  // BMPString: UTF-16BE; a pair of surrogates is joined, a lone one becomes U+FFFD
    std::u32string cps;
    for (size_t i = 0; i + 1 < t.value.size(); i += 2) {
      char32_t u = char32_t(t.value[i] << 8 | t.value[i + 1]);
      if (u >= 0xD800 && u <= 0xDBFF && i + 3 < t.value.size()) {
        char32_t low = char32_t(t.value[i + 2] << 8 | t.value[i + 3]);
        if (low >= 0xDC00 && low <= 0xDFFF) {
          cps += 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
          i += 2;
          continue;
        }
      }
      cps += (u >= 0xD800 && u <= 0xDFFF) ? char32_t(0xFFFD) : u;
    }
    std::string utf8 = text::to_utf8(cps);
    SecretText out(utf8);
    wipe_memory(utf8.data(), utf8.size());
    return out;
  }
  std::string raw(reinterpret_cast<const char*>(t.value.data()), t.value.size());
  std::string normal = text::nfc(raw);
  SecretText out(normal);
  wipe_memory(raw.data(), raw.size());
  wipe_memory(normal.data(), normal.size());
  return out;
}

// A field record nests its strings two or three levels down; deeper is refused, not recursed into
// (a 64 KiB file of constructed tags would otherwise be 30,000 levels of recursion).
constexpr int kMaxFieldDepth = 8;

// String leaves under `in`, depth first, in order.
void collect_strings(std::span<const uint8_t> in, std::vector<SecretText>& out, int depth = 0) {
  if (depth > kMaxFieldDepth) throw CardError(CardErrorKind::Corrupt, "DG13: a field nests deeper than 8 levels");
  for (const Tlv& t : read_all(in)) {
    if (is_string_tag(t.tag)) out.push_back(decode_string(t));
    else if (t.constructed()) collect_strings(t.value, out, depth + 1);
  }
}

// The SET of field records: the first SET found depth first under DG13.
std::optional<Tlv> find_field_set(std::span<const uint8_t> in, int depth) {
  if (depth > 4) return std::nullopt;
  for (const Tlv& t : read_all(in)) {
    if (t.tag == 0x31) return t;
    if (t.constructed())
      if (auto found = find_field_set(t.value, depth + 1)) return found;
  }
  return std::nullopt;
}

std::string lower_ascii_folded(std::string_view s) { return text::search_key(s); }
}  // namespace

SecretText iso_date(std::string_view d) {
  if (d.size() == 10 && d[2] == '/' && d[5] == '/') {
    SecretText out(d.substr(6, 4));
    out += '-';
    out += d.substr(3, 2);
    out += '-';
    out += d.substr(0, 2);
    return out;
  }
  return SecretText(d);
}

CitizenRecord parse_dg13(std::span<const uint8_t> dg13) {
  Tlv outer = read_tlv(dg13);
  if (outer.tag != 0x6D) throw CardError(CardErrorKind::Corrupt, "DG13 does not start with tag 6D");
  auto set = find_field_set(outer.value, 0);
  if (!set) throw CardError(CardErrorKind::Corrupt, "DG13 has no set of fields");
  CitizenRecord r;
  for (const Tlv& record : read_all(set->value)) {
    if (record.tag != 0x30) continue;
    auto parts = read_all(record.value);
    if (parts.empty() || parts[0].tag != 0x02 || parts[0].value.empty() || parts[0].value.size() > 2) continue;
    int field = 0;
    for (uint8_t b : parts[0].value) field = field << 8 | b;
    std::vector<SecretText> values;
    collect_strings(record.value.subspan(parts[0].size()), values);
    auto first = [&]() { return values.empty() ? SecretText() : values[0]; };
    switch (field) {
      case 1: r.id_number = first(); break;
      case 2: r.full_name = first(); break;
      case 3: r.date_of_birth = iso_date(first()); break;
      case 4: r.sex = first(); break;
      case 5: r.nationality = first(); break;
      case 6: r.ethnicity = first(); break;
      case 7: r.religion = first(); break;
      case 8: r.place_of_origin = first(); break;
      case 9: r.place_of_residence = first(); break;
      case 10: r.identifying_marks = first(); break;
      case 11: r.date_of_issue = iso_date(first()); break;
      case 12: {
        SecretText v = first();
        std::string folded = lower_ascii_folded(v);
        r.expiry_is_indefinite = folded.find("khong thoi han") != std::string::npos;
        r.date_of_expiry = r.expiry_is_indefinite ? v : iso_date(v);
        break;
      }
      case 13:
        if (values.size() > 0) r.father_name = values[0];
        if (values.size() > 1) r.mother_name = values[1];
        break;
      case 14: r.spouse_name = first(); break;
      case 15: r.old_id_number = first(); break;
      default: break;  // 16 and later: meaning disputed (chip.md §1.5), not used
    }
  }
  return r;
}

}  // namespace motcua::card
