// The font atlas: Noto Sans at the exact pixel sizes in use. When the text size changes
// the atlas is rebuilt at the new size; scaling a built atlas would blur the glyphs.
#pragma once
#include <stdexcept>
#include <string>

#include "terminal/ui/ui.h"

namespace motcua {

struct FontError : std::runtime_error { using std::runtime_error::runtime_error; };

// Fills `atlas` for body text of body_px pixels; the GL texture is the caller's. Needs no ImGui
// context, so it can run on another thread before one exists.
Fonts build_fonts(ImFontAtlas& atlas, float body_px);

}  // namespace motcua
