// QR codes (libqrencode) and Code128 barcodes (libzint) drawn as dots, so every printer
// prints the same symbol and tests can read it back.
#pragma once
#include <stdexcept>
#include <string>

#include "devices/printer/bitmap.h"

namespace motcua::printer {

struct CodeError : std::runtime_error { using std::runtime_error::runtime_error; };

// module: dots per QR module (6–8 scans well from 203 dpi paper); includes the 4-module quiet zone.
Bitmap qr_bitmap(const std::string& data, int module);
// module: dots per narrow bar; height in dots; includes a 10-module quiet zone each side.
Bitmap code128_bitmap(const std::string& data, int module, int height);

}  // namespace motcua::printer
