// libFuzzer target: a dossier's printed documents. Input: one byte choosing receipt, ticket or
// apology and the language, then the document's JSON, laid out on the 80 mm and 58 mm
// profiles into raster and ESC/POS. Refusals are DocumentError and LayoutError.
#include <cstdint>
#include <string>

#include "devices/printer/documents.h"
#include "devices/printer/layout.h"
#include "devices/printer/profile.h"
#include "devices/printer/text_raster.h"
#include "forms/json_input.h"

using nlohmann::json;
using namespace motcua;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static printer::TextRenderer renderer;
  static const json layouts[3] = {forms::read_json(MOTCUA_SOURCE_ROOT "/assets/print/receipt.json"),
                                  forms::read_json(MOTCUA_SOURCE_ROOT "/assets/print/ticket.json"),
                                  forms::read_json(MOTCUA_SOURCE_ROOT "/assets/print/apology.json")};
  if (size < 1) return 0;
  int kind = data[0] % 3;
  std::string lang = data[0] & 4 ? "en" : "vi";
  const printer::Profile* profile = printer::find_profile(data[0] & 8 ? "58mm" : "80mm");
  json input;
  try {
    input = forms::parse_json(std::string(reinterpret_cast<const char*>(data + 1), size - 1));
  } catch (const forms::JsonInputError&) {
    return 0;
  }
  try {
    json fields = kind == 0 ? printer::receipt_fields(input, lang)
                : kind == 1 ? printer::ticket_fields(input, lang)
                            : printer::apology_fields(input, lang);
    auto parts = printer::lay_out(layouts[kind], fields, [](const std::string& key) { return key; }, *profile, renderer);
    (void)printer::escpos_job(parts, *profile);
  } catch (const printer::DocumentError&) {
  } catch (const printer::LayoutError&) {
  }
  return 0;
}
