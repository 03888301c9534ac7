// ESC/POS byte streams: the commands every receipt uses, nothing a printer might misread.
// Rule: every job starts with ESC @ and FS . (clones boot in double-byte mode), images go as
// GS v 0 in bands (clones overflow on large images), and the paper is fed before the cut in
// dots (ESC J), never in lines: after ESC 3 0 a line is zero dots high.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "devices/printer/bitmap.h"

namespace motcua::printer {

class EscPos {
 public:
  EscPos& init();                       // ESC @, FS .
  EscPos& align(int n);                 // ESC a n: 0 left, 1 centre, 2 right
  EscPos& line_spacing(int dots);       // ESC 3 n
  EscPos& feed(int lines);              // ESC d n (n lines of the current spacing)
  EscPos& feed_dots(int dots);          // ESC J n, repeated for more than 255 dots
  EscPos& raster(const Bitmap& b, int band_rows = 128);  // GS v 0, one command per band
  EscPos& qr_native(const std::string& data, int module, char ecc = 'M');  // GS ( k, model 2
  EscPos& cut(bool partial = true);     // GS V 66 0: feed the print position to the blade, then cut
  const std::vector<uint8_t>& bytes() const { return out_; }

 private:
  EscPos& put(std::initializer_list<uint8_t> b) { out_.insert(out_.end(), b); return *this; }
  std::vector<uint8_t> out_;
};

// DLE EOT n: ask the printer for real-time status byte n (1 printer, 2 offline cause, 4 paper).
std::vector<uint8_t> status_request(int n);
// GS ( H fn 48: "answer 37 22 id 00 once everything before this is processed". id: 4 digits.
std::vector<uint8_t> process_id_request(const std::string& id);
// GS r 1: the paper sensor status, answered when the printer reaches it in its buffer.
std::vector<uint8_t> transmit_status_request();

}  // namespace motcua::printer
