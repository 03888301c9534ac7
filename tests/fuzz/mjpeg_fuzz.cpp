// libFuzzer target: a camera's MJPG frame as the scan process decodes it (decode_jpeg_frame).
// The first five bytes are the size agreed with the driver (width and height, 16-bit little
// endian, each at most 4096) and the preview's longer side in units of 8 pixels (0: the full
// page); the rest is the frame. A frame is decoded only when libjpeg reads it as that size and
// baseline, so no header makes it allocate more than the agreed picture. Seeds:
// tests/fuzz/seed_files/mjpeg (small grey, colour and progressive frames made with cjpeg).
#include <cstdint>

#include "devices/scanner/page_jpeg.h"

using namespace motcua::scanner;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 5) return 0;
  int width = (data[0] | data[1] << 8) % 4097, height = (data[2] | data[3] << 8) % 4097;
  int max_side = data[4] * 8;
  GrayImage img = decode_jpeg_frame(data + 5, size - 5, width, height, max_side);
  if (!img.pixels.empty()) {
    if (img.pixels.size() != static_cast<size_t>(img.width) * static_cast<size_t>(img.height)) __builtin_trap();
    if (max_side == 0 && (img.width != width || img.height != height)) __builtin_trap();
  }
  (void)jpeg_size(data + 5, size - 5);
  return 0;
}
