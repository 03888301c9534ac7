// Paper documents as data: a layout is a versioned list of blocks (assets/print/*.json) whose
// texts come from the locale ("@print.receipt.title") or the document's fields ("{dossierCode}").
// Block kinds: text, label+value, qr, code128, rule, space; "when"/"unless" name a field that
// must be present (or absent) for the block to print.
#pragma once
#include <functional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "devices/printer/bitmap.h"
#include "devices/printer/profile.h"
#include "devices/printer/text_raster.h"

namespace motcua::printer {

struct LayoutError : std::runtime_error { using std::runtime_error::runtime_error; };

using Texts = std::function<std::string(const std::string& key)>;

struct NativeQr {
  std::string data;
  int module;
};
using Part = std::variant<Bitmap, NativeQr>;

// Lays the document out for the profile's paper width. QR blocks become NativeQr parts when the
// profile prints QR codes itself, raster otherwise. Throws LayoutError naming the block.
std::vector<Part> lay_out(const nlohmann::json& layout, const nlohmann::json& fields, const Texts& texts,
                          const Profile& profile, const TextRenderer& renderer);

// The whole document as one picture (native QR codes drawn as raster): the preview PNG.
Bitmap picture(const std::vector<Part>& parts, int width);
// The ESC/POS job: init, raster bands and QR commands, feed, cut when the printer has a cutter.
std::vector<uint8_t> escpos_job(const std::vector<Part>& parts, const Profile& profile);

}  // namespace motcua::printer
