#include "tests/support/escpos_decoder.h"

#include "devices/printer/codes.h"

namespace motcua::test {

size_t command_length(const std::vector<uint8_t>& b, size_t i) {
  auto have = [&](size_t n) { return i + n <= b.size(); };
  if (!have(1)) return 0;
  uint8_t c = b[i];
  if (c == 0x0A) return 1;
  if (!have(2)) return 0;
  uint8_t op = b[i + 1];
  if (c == 0x1B) {
    if (op == 0x40) return 2;
    if (op == 0x61 || op == 0x33 || op == 0x64 || op == 0x45 || op == 0x21 || op == 0x4D || op == 0x4A) return have(3) ? 3 : 0;
  } else if (c == 0x1C && op == 0x2E) {
    return 2;
  } else if (c == 0x10 && op == 0x04) {
    return have(3) ? 3 : 0;
  } else if (c == 0x1D) {
    if (op == 0x76) {
      if (!have(8)) return 0;
      size_t len = 8 + static_cast<size_t>(b[i + 4] | (b[i + 5] << 8)) * static_cast<size_t>(b[i + 6] | (b[i + 7] << 8));
      return have(len) ? len : 0;
    }
    if (op == 0x28) {  // GS ( k / GS ( H: pL pH and a body
      if (!have(5)) return 0;
      size_t len = 5 + static_cast<size_t>(b[i + 3] | (b[i + 4] << 8));
      return have(len) ? len : 0;
    }
    if (op == 0x72) return have(3) ? 3 : 0;  // GS r n
    if (op == 0x56) {
      if (!have(3)) return 0;
      return b[i + 2] == 65 || b[i + 2] == 66 ? (have(4) ? 4 : 0) : 3;
    }
  }
  throw DecodeError("unknown command at byte " + std::to_string(i));
}

Decoded decode_escpos(const std::vector<uint8_t>& b, int paper_width) {
  Decoded d;
  d.paper = printer::Bitmap(paper_width, 0);
  std::string stored_qr;
  int qr_module = 3, align = 0, spacing = 30;  // ESC @ defaults; 30 dots is about 1/6 inch
  size_t i = 0;
  auto need = [&](size_t n, const char* what) {
    if (i + n > b.size()) throw DecodeError(std::string(what) + " cut short at byte " + std::to_string(i));
  };
  auto add_white = [&](int rows) {
    d.paper.grow(d.paper.height + rows);
    d.feed_after_last_print += rows;
  };
  while (i < b.size()) {
    uint8_t c = b[i];
    if (c == 0x0A) { d.commands.push_back({"LF"}); add_white(spacing); ++i; continue; }
    if (c == 0x1B) {
      need(2, "ESC");
      uint8_t op = b[i + 1];
      if (op == 0x40) { d.commands.push_back({"ESC @"}); align = 0; spacing = 30; i += 2; continue; }
      if (op == 0x61 || op == 0x33 || op == 0x64 || op == 0x45 || op == 0x21 || op == 0x4D || op == 0x4A) {
        need(3, "ESC command");
        const char* name = op == 0x61 ? "ESC a" : op == 0x33 ? "ESC 3" : op == 0x64 ? "ESC d" : op == 0x45 ? "ESC E"
                         : op == 0x21 ? "ESC !" : op == 0x4A ? "ESC J" : "ESC M";
        d.commands.push_back({name, {b[i + 2]}});
        if (op == 0x64) add_white(spacing * b[i + 2]);  // lines of the current spacing: 0 after ESC 3 0
        if (op == 0x4A) add_white(b[i + 2]);
        if (op == 0x33) spacing = b[i + 2];
        if (op == 0x61) align = b[i + 2] % 48;
        i += 3;
        continue;
      }
      throw DecodeError("unknown ESC command 0x" + std::to_string(op) + " at byte " + std::to_string(i));
    }
    if (c == 0x1C) {
      need(2, "FS");
      if (b[i + 1] == 0x2E) { d.commands.push_back({"FS ."}); i += 2; continue; }
      throw DecodeError("unknown FS command at byte " + std::to_string(i));
    }
    if (c == 0x10) {
      need(3, "DLE EOT");
      if (b[i + 1] != 0x04 || b[i + 2] < 1 || b[i + 2] > 4) throw DecodeError("bad DLE command at byte " + std::to_string(i));
      d.commands.push_back({"DLE EOT", {b[i + 2]}});
      i += 3;
      continue;
    }
    if (c == 0x1D) {
      need(2, "GS");
      uint8_t op = b[i + 1];
      if (op == 0x76) {  // GS v 0 m xL xH yL yH data
        need(8, "GS v 0 header");
        if (b[i + 2] != 0x30) throw DecodeError("GS v with unknown function at byte " + std::to_string(i));
        int m = b[i + 3], x = b[i + 4] | (b[i + 5] << 8), y = b[i + 6] | (b[i + 7] << 8);
        if (m != 0) throw DecodeError("GS v 0 scaled modes are not used by the kiosk");
        size_t len = static_cast<size_t>(x) * y;
        i += 8;
        need(len, "GS v 0 image data");
        if (x * 8 > paper_width + 7) throw DecodeError("raster wider than the paper: " + std::to_string(x * 8) + " dots");
        int top = d.paper.height, last_black = -1;
        d.paper.grow(top + y);
        for (int r = 0; r < y; ++r)
          for (int col = 0; col < x * 8; ++col)
            if (b[i + static_cast<size_t>(r) * x + col / 8] & (0x80 >> (col % 8))) {
              d.paper.set(col, top + r);
              last_black = r;
            }
        d.feed_after_last_print = last_black < 0 ? d.feed_after_last_print + y : y - last_black - 1;
        d.commands.push_back({"GS v 0", {m, x, y}});
        i += len;
        continue;
      }
      if (op == 0x28) {  // GS ( k pL pH cn fn ...
        need(7, "GS ( k");
        if (b[i + 2] == 0x48) {  // GS ( H fn 48 m 48: process ID response request
          need(5, "GS ( H");
          size_t len = b[i + 3] | (b[i + 4] << 8);
          need(5 + len, "GS ( H body");
          if (len != 6 || b[i + 5] != 0x30 || b[i + 6] != 0x30) throw DecodeError("GS ( H other than a process ID request");
          d.commands.push_back({"GS ( H", {}, std::string(b.begin() + static_cast<long>(i) + 7, b.begin() + static_cast<long>(i) + 11)});
          i += 5 + len;
          continue;
        }
        if (b[i + 2] != 0x6B) throw DecodeError("unknown GS ( function at byte " + std::to_string(i));
        size_t len = b[i + 3] | (b[i + 4] << 8);
        need(5 + len, "GS ( k body");
        if (b[i + 5] != 0x31) throw DecodeError("GS ( k for a symbol other than QR");
        uint8_t fn = b[i + 6];
        std::string body(b.begin() + static_cast<long>(i) + 7, b.begin() + static_cast<long>(i + 5 + len));
        if (fn == 0x41) d.commands.push_back({"GS ( k model", {static_cast<uint8_t>(body[0])}});
        else if (fn == 0x43) { qr_module = static_cast<uint8_t>(body[0]); d.commands.push_back({"GS ( k size", {qr_module}}); }
        else if (fn == 0x45) d.commands.push_back({"GS ( k ecc", {static_cast<uint8_t>(body[0])}});
        else if (fn == 0x50) { stored_qr = body.substr(1); d.commands.push_back({"GS ( k store", {}, stored_qr}); }
        else if (fn == 0x51) {
          // The printer draws the bare symbol (no quiet zone) at the current alignment.
          d.qr_printed.push_back(stored_qr);
          d.commands.push_back({"GS ( k print"});
          printer::Bitmap full = printer::qr_bitmap(stored_qr, qr_module);
          int quiet = 4 * qr_module, side = full.width - 2 * quiet;
          if (side > paper_width) throw DecodeError("native QR wider than the paper");
          int x0 = align == 1 ? (paper_width - side) / 2 : align == 2 ? paper_width - side : 0, top = d.paper.height;
          d.paper.grow(top + side);
          for (int yy = 0; yy < side; ++yy)
            for (int xx = 0; xx < side; ++xx)
              if (full.at(quiet + xx, quiet + yy)) d.paper.set(x0 + xx, top + yy);
          d.feed_after_last_print = 0;
        }
        else throw DecodeError("unknown QR function " + std::to_string(fn));
        i += 5 + len;
        continue;
      }
      if (op == 0x72) {  // GS r n
        need(3, "GS r");
        d.commands.push_back({"GS r", {b[i + 2]}});
        i += 3;
        continue;
      }
      if (op == 0x56) {  // GS V m [n]
        need(3, "GS V");
        int m = b[i + 2];
        if (m == 65 || m == 66) { need(4, "GS V"); d.commands.push_back({"GS V", {m, b[i + 3]}}); i += 4; continue; }
        if (m == 0 || m == 1 || m == 48 || m == 49) { d.commands.push_back({"GS V", {m}}); i += 3; continue; }
        throw DecodeError("bad GS V mode at byte " + std::to_string(i));
      }
      throw DecodeError("unknown GS command at byte " + std::to_string(i));
    }
    throw DecodeError("unexpected byte 0x" + std::to_string(c) + " at " + std::to_string(i) + " (text is never sent raw)");
  }
  return d;
}

}  // namespace motcua::test
