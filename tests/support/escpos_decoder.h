// Reads an ESC/POS byte stream back: the command list, and the paper it would print.
// Fails on any byte sequence it does not know or that is cut short, so a test notices
// when the kiosk sends something a printer might misread.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "devices/printer/bitmap.h"

namespace motcua::test {

struct DecodeError : std::runtime_error { using std::runtime_error::runtime_error; };

struct Command {
  std::string name;            // "ESC @", "GS v 0", "GS ( k store"...
  std::vector<int> args;       // numeric parameters
  std::string data;            // payload (QR data)
};

struct Decoded {
  std::vector<Command> commands;
  printer::Bitmap paper;       // raster bands stacked; feeds add white lines
  std::vector<std::string> qr_printed;  // native QR payloads printed
};

Decoded decode_escpos(const std::vector<uint8_t>& bytes, int paper_width);

}  // namespace motcua::test
