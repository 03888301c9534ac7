// Reads an ESC/POS byte stream back: the command list, and the paper it would print.
// Fails on any byte sequence it does not know or that is cut short, so a test notices
// when the kiosk sends something a printer might misread. Paper is modelled as a 203 dpi
// printer does it: feeds in dots (ESC J) or lines of the current spacing (ESC 3, ESC d, LF),
// native QR codes drawn as bare symbols at the current alignment, without a quiet zone.
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
  std::string data;            // payload (QR data, process ID)
};

struct Decoded {
  std::vector<Command> commands;
  printer::Bitmap paper;       // raster bands stacked; feeds add white lines
  std::vector<std::string> qr_printed;  // native QR payloads printed
  int feed_after_last_print = 0;        // white dots fed after the last printed row
};

Decoded decode_escpos(const std::vector<uint8_t>& bytes, int paper_width);

// Length of the command starting at b[i], 0 when it is not all there yet; throws DecodeError
// for a byte sequence no printer command starts with. For a printer that reads a stream.
size_t command_length(const std::vector<uint8_t>& b, size_t i);

}  // namespace motcua::test
