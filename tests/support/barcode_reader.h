// Reads QR codes and barcodes off a printed bitmap with zbar, as a phone camera would.
#pragma once
#include <string>
#include <vector>

#include "devices/printer/bitmap.h"

namespace motcua::test {

struct Symbol {
  std::string type;  // "QR-Code", "CODE-128"
  std::string data;
};

std::vector<Symbol> read_symbols(const printer::Bitmap& paper);
// The data of every symbol of one type ("QR-Code", "CODE-128"), sorted.
std::vector<std::string> symbols_of(const printer::Bitmap& paper, const std::string& type);
// A screenshot (PNG) thresholded to black and white, as a camera would see the screen.
printer::Bitmap screen_as_paper(const std::string& png_path);

}  // namespace motcua::test
