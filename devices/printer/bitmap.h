// A 1-bit picture of paper: what a thermal head prints, one byte per dot for simple drawing.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace motcua::printer {

struct Bitmap {
  int width = 0, height = 0;
  std::vector<uint8_t> dots;  // row-major, 1 = black

  Bitmap() = default;
  Bitmap(int w, int h) : width(w), height(h), dots(static_cast<size_t>(w) * h, 0) {}

  bool at(int x, int y) const { return x >= 0 && y >= 0 && x < width && y < height && dots[static_cast<size_t>(y) * width + x]; }
  void set(int x, int y, bool black = true) {
    if (x >= 0 && y >= 0 && x < width && y < height) dots[static_cast<size_t>(y) * width + x] = black;
  }
  void fill(int x, int y, int w, int h, bool black = true);
  void blit(const Bitmap& src, int x, int y);  // black dots of src onto this
  void grow(int new_height);                   // keeps content, adds white rows
  size_t black_dots() const;

  // ESC/POS row bytes: MSB is the leftmost dot, 1 = black; width padded to whole bytes.
  std::vector<uint8_t> packed_rows(int first_row, int rows) const;
};

// Writes the bitmap as a black-on-white PNG (scale > 1 enlarges each dot for viewing).
bool write_png(const Bitmap& b, const std::string& path, int scale = 1);

}  // namespace motcua::printer
