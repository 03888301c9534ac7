// The signature pad's ink turned into the PNG the dossier carries (base64, as the schema's
// "contentEncoding": "base64" says). Strokes are "x,y x,y|x,y ...", each coordinate 0..9999
// across the pad. Rule: the PNG buffers are zeroed once encoded; a signature is personal data.
#pragma once
#include <string>
#include <string_view>

namespace motcua {

// Empty strokes give an empty string (no signature).
std::string signature_png_base64(std::string_view strokes, int width = 600, int height = 200);

}  // namespace motcua
