// libFuzzer target: the chip's files as parsed after secure messaging: BER-TLV, DG1 (MRZ),
// DG13 (personal data) and EF.SOD (with passive authentication against no CSCA store), each
// over the same bytes. Refusals are CardError; anything else is a finding.
#include <cstdint>
#include <map>

#include "devices/card/card_error.h"
#include "devices/card/dg13.h"
#include "devices/card/mrz.h"
#include "devices/card/passive_auth.h"
#include "devices/card/tlv.h"

using namespace motcua::card;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> in(data, size);
  try {
    for (const Tlv& t : read_all(in))
      if (t.constructed()) (void)read_all(t.value);
  } catch (const CardError&) {
  }
  try {
    (void)tlv_total_size(in);
  } catch (const CardError&) {
  }
  try {
    (void)parse_dg1(in);
  } catch (const CardError&) {
  }
  try {
    (void)parse_dg13(in);
  } catch (const CardError&) {
  }
  try {
    (void)parse_sod(in);
  } catch (const CardError&) {
  }
  std::map<int, std::span<const uint8_t>> groups = {{1, in}, {13, in}};
  (void)passive_authentication(in, groups, nullptr);
  return 0;
}
