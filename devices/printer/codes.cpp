#include "devices/printer/codes.h"

#include <qrencode.h>
#include <zint.h>

#include <memory>

#include "devices/printer/print_libraries.h"

namespace motcua::printer {

Bitmap qr_bitmap(const std::string& data, int module) {
  std::unique_ptr<QRcode, decltype(&QRcode_free)> qr(QRcode_encodeString8bit(data.c_str(), 0, QR_ECLEVEL_M), &QRcode_free);
  if (!qr && !qrencode::library_error().empty()) throw CodeError(qrencode::library_error());
  if (!qr) throw CodeError("cannot encode a QR code for " + std::to_string(data.size()) + " bytes");
  const int quiet = 4, n = qr->width;
  Bitmap b((n + 2 * quiet) * module, (n + 2 * quiet) * module);
  for (int y = 0; y < n; ++y)
    for (int x = 0; x < n; ++x)
      if (qr->data[y * n + x] & 1) b.fill((x + quiet) * module, (y + quiet) * module, module, module);
  return b;
}

Bitmap code128_bitmap(const std::string& data, int module, int height) {
  std::unique_ptr<zint_symbol, decltype(&ZBarcode_Delete)> sym(ZBarcode_Create(), &ZBarcode_Delete);
  if (!sym) throw CodeError(zint::library_error().empty() ? "cannot encode Code128: out of memory" : zint::library_error());
  sym->symbology = BARCODE_CODE128;
  if (ZBarcode_Encode(sym.get(), reinterpret_cast<const unsigned char*>(data.data()), static_cast<int>(data.size())) >= ZINT_ERROR)
    throw CodeError(std::string("cannot encode Code128: ") + sym->errtxt);
  const int quiet = 10;
  Bitmap b((sym->width + 2 * quiet) * module, height);
  for (int x = 0; x < sym->width; ++x)
    if ((sym->encoded_data[0][x >> 3] >> (x & 7)) & 1) b.fill((x + quiet) * module, 0, module, height);
  return b;
}

}  // namespace motcua::printer
