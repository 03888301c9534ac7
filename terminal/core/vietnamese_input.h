// Typing Vietnamese on the kiosk keyboard: Telex, VNI, or explicit tone and shape keys (tap a
// vowel, then a tone: the easiest route for people who have never typed). UI-free.
// Rules: the tone lands on the right vowel whatever order the keys came in; both placements of
// "oa, oe, uy" in open syllables are supported (hoà / hòa) as a centre setting; output is NFC.
#pragma once
#include <string>

namespace motcua {

enum class ToneMark { None, Acute, Grave, Hook, Tilde, Dot };     // sắc, huyền, hỏi, ngã, nặng
enum class Shape { Circumflex, Breve, Horn, Stroke };          // â ê ô, ă, ơ ư, đ
enum class TonePlacement { Modern, Classic };                 // hoà, thuỷ / hòa, thủy

// The word as typed so far (UTF-8, NFC) after one more key. method: "telex", "vni" or "plain".
std::string type_key(const std::string& word, char key, const std::string& method, TonePlacement placement);
// Explicit keys of the kiosk layout: put a tone or a shape on the word's right vowel.
std::string apply_tone(const std::string& word, ToneMark tone, TonePlacement placement);
std::string apply_shape(const std::string& word, Shape shape, TonePlacement placement);

}  // namespace motcua
