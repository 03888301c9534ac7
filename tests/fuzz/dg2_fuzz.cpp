// libFuzzer target: DG2, the face: the ISO 19794-5 record inside its BER wrapping, then the
// JPEG (stb_image) or JPEG 2000 (OpenJPEG) decode. Refusals are CardError.
#include <cstdint>

#include "devices/card/card_error.h"
#include "devices/card/dg2.h"

using namespace motcua::card;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    FaceImage face = parse_dg2(std::span<const uint8_t>(data, size));
    (void)decode_face(face);
  } catch (const CardError&) {
  }
  return 0;
}
