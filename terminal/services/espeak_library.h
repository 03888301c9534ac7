// espeak-ng, opened when read-aloud first speaks (dlopen), not when the kiosk starts: through its
// audio library it brings PulseAudio, ALSA, libsndfile and five codecs, about 1 MB that most
// visits never use (issue 22). speech.cpp includes this instead of espeak-ng's headers alone;
// its calls, written as usual, go through the table below.
// Rule: a library or function that cannot be found is a std::runtime_error naming it; read-aloud
// is then unavailable and the kiosk goes on without it.
#pragma once
#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>

// Every espeak-ng function speech.cpp calls. A call to one not listed here fails to link.
#define MOTCUA_ESPEAK_FUNCTIONS(X)                                                               \
  X(espeak_ng_InitializePath) X(espeak_ng_Initialize) X(espeak_ng_InitializeOutput)              \
  X(espeak_ng_GetSampleRate) X(espeak_SetSynthCallback) X(espeak_ng_SetVoiceByName) X(espeak_Synth)

namespace motcua::espeak {

struct Functions {
#define MOTCUA_ESPEAK_POINTER(f) decltype(&::f) f = nullptr;
  MOTCUA_ESPEAK_FUNCTIONS(MOTCUA_ESPEAK_POINTER)
#undef MOTCUA_ESPEAK_POINTER
};

// Opens libespeak-ng once ($MOTCUA_ESPEAK_LIBRARY when set).
const Functions& functions();

}  // namespace motcua::espeak

// As in curl_library.h: each name inside namespace motcua is an object calling through the table.
namespace motcua {
namespace {
#define MOTCUA_ESPEAK_CALL(f)                                                                            \
  [[maybe_unused]] constexpr struct {                                                                    \
    template <class... A> decltype(auto) operator()(A... a) const { return espeak::functions().f(a...); } \
  } f{};
MOTCUA_ESPEAK_FUNCTIONS(MOTCUA_ESPEAK_CALL)
#undef MOTCUA_ESPEAK_CALL
}  // namespace
}  // namespace motcua
