// Paper documents as data: a layout is a versioned list of blocks (assets/print/*.json) whose
// texts come from the locale ("@print.receipt.title") or the document's fields ("{dossierCode}").
// Block kinds: text, label+value, qr, code128, rule, space; "when"/"unless" name a field that
// must be present (or absent) for the block to print. A text block with "fit": "shrink" (numbers,
// codes) stays on one line in the largest size that fits. Rules: nothing is ever clipped (a
// layout that cannot fit is an error), QR codes keep a four-module quiet zone on paper, and a
// Code128 narrower than 2 dots per module is never printed (scanners miss it): the code is then
// left to the QR and the text, with a note.
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
  int module;  // the printer draws the symbol only; the job feeds the quiet zone above and below
};
using Part = std::variant<Bitmap, NativeQr>;

// Lays the document out for the profile's paper width. QR blocks become NativeQr parts when the
// profile prints QR codes itself, raster otherwise. Throws LayoutError naming the block.
// notes (optional) receives what was left out and why, for the log.
std::vector<Part> lay_out(const nlohmann::json& layout, const nlohmann::json& fields, const Texts& texts,
                          const Profile& profile, const TextRenderer& renderer,
                          std::vector<std::string>* notes = nullptr);

constexpr int kQuietModules = 4;      // QR quiet zone, every side
constexpr int kMinCode128Module = 2;  // dots (0.25 mm): narrower bars do not scan
constexpr int kMinQrModule = 3;       // dots
constexpr int kMaxPaperDots = 16000;  // 2 m of paper: a document longer than that is refused

// The whole document as one picture (native QR codes drawn as raster): the preview PNG.
Bitmap picture(const std::vector<Part>& parts, int width);
// The ESC/POS job: init, raster bands and QR commands (quiet zone fed with ESC J), then the
// profile's tail feed in dots, and the cut when the printer has a cutter.
std::vector<uint8_t> escpos_job(const std::vector<Part>& parts, const Profile& profile);

}  // namespace motcua::printer
