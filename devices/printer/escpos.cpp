#include "devices/printer/escpos.h"

#include <algorithm>

namespace motcua::printer {

EscPos& EscPos::init() { return put({0x1B, 0x40, 0x1C, 0x2E}); }

EscPos& EscPos::align(int n) { return put({0x1B, 0x61, static_cast<uint8_t>(n)}); }

EscPos& EscPos::line_spacing(int dots) { return put({0x1B, 0x33, static_cast<uint8_t>(dots)}); }

EscPos& EscPos::feed(int lines) { return put({0x1B, 0x64, static_cast<uint8_t>(lines)}); }

EscPos& EscPos::feed_dots(int dots) {
  for (; dots > 0; dots -= 255) put({0x1B, 0x4A, static_cast<uint8_t>(std::min(dots, 255))});
  return *this;
}

EscPos& EscPos::raster(const Bitmap& b, int band_rows) {
  const int bytes = (b.width + 7) / 8;
  for (int y = 0; y < b.height; y += band_rows) {
    int rows = std::min(band_rows, b.height - y);
    put({0x1D, 0x76, 0x30, 0x00, static_cast<uint8_t>(bytes & 0xFF), static_cast<uint8_t>(bytes >> 8),
         static_cast<uint8_t>(rows & 0xFF), static_cast<uint8_t>(rows >> 8)});
    auto data = b.packed_rows(y, rows);
    out_.insert(out_.end(), data.begin(), data.end());
  }
  return *this;
}

EscPos& EscPos::qr_native(const std::string& data, int module, char ecc) {
  uint8_t level = ecc == 'L' ? 0x30 : ecc == 'Q' ? 0x32 : ecc == 'H' ? 0x33 : 0x31;
  put({0x1D, 0x28, 0x6B, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00});                        // model 2
  put({0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x43, static_cast<uint8_t>(module)});       // module size
  put({0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x45, level});                              // error correction
  size_t len = data.size() + 3;                                                          // store
  put({0x1D, 0x28, 0x6B, static_cast<uint8_t>(len & 0xFF), static_cast<uint8_t>(len >> 8), 0x31, 0x50, 0x30});
  out_.insert(out_.end(), data.begin(), data.end());
  return put({0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30});                        // print
}

EscPos& EscPos::cut(bool partial) { return put({0x1D, 0x56, static_cast<uint8_t>(partial ? 66 : 65), 0x00}); }

std::vector<uint8_t> status_request(int n) { return {0x10, 0x04, static_cast<uint8_t>(n)}; }

std::vector<uint8_t> process_id_request(const std::string& id) {
  auto d = [&](size_t i) { return static_cast<uint8_t>(i < id.size() ? id[i] : '0'); };  // exactly 4 digits
  return {0x1D, 0x28, 0x48, 0x06, 0x00, 0x30, 0x30, d(0), d(1), d(2), d(3)};
}

std::vector<uint8_t> transmit_status_request() { return {0x1D, 0x72, 0x01}; }

}  // namespace motcua::printer
