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

}  // namespace motcua::test
