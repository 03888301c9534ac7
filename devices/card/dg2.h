// DG2: the face image in ISO/IEC 19794-5 inside the biometric template (75 { 7F61 { 7F60 { 5F2E } } }).
#pragma once
#include "devices/card/bytes.h"

namespace motcua::card {

enum class ImageFormat { Jpeg, Jpeg2000 };

struct FaceImage {
  ImageFormat format = ImageFormat::Jpeg;
  Bytes encoded;  // the image file as stored on the chip
};

// Throws CardError(Corrupt) when no face image can be found.
FaceImage parse_dg2(std::span<const uint8_t> dg2);

struct Pixels {
  int width = 0, height = 0;
  Bytes rgba;  // width * height * 4
};
// Decodes JPEG (stb_image) and JPEG 2000 (OpenJPEG) in memory only; throws CardError(Corrupt).
Pixels decode_face(const FaceImage& face);

}  // namespace motcua::card
