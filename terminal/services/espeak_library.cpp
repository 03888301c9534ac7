// espeak-ng, opened when read-aloud is first turned on (dlopen), not when the kiosk starts: through
// its audio library it brings PulseAudio, ALSA, libsndfile and five codecs, about 1 MB that most
// visits never use (issue 22). Its functions are forwarders (devices/deferred_library.h), so
// speech.cpp calls them as usual; it checks espeak::library_error() before the first.
#include "terminal/services/espeak_library.h"

#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>

#include <string>

#include "devices/deferred_library.h"

// Return type, name, parameters, arguments, and the answer without the library.
#define MOTCUA_ESPEAK_FUNCTIONS(X)                                                                              \
  X(void, espeak_ng_InitializePath, (const char* path), (path), )                                                \
  X(espeak_ng_STATUS, espeak_ng_Initialize, (espeak_ng_ERROR_CONTEXT * context), (context), ENS_NOT_SUPPORTED)   \
  X(espeak_ng_STATUS, espeak_ng_InitializeOutput, (espeak_ng_OUTPUT_MODE mode, int buffer_length, const char* device), \
    (mode, buffer_length, device), ENS_NOT_SUPPORTED)                                                            \
  X(int, espeak_ng_GetSampleRate, (void), (), EE_INTERNAL_ERROR)                                                 \
  X(void, espeak_SetSynthCallback, (t_espeak_callback * callback), (callback), )                                 \
  X(espeak_ng_STATUS, espeak_ng_SetVoiceByName, (const char* name), (name), ENS_VOICE_NOT_FOUND)                 \
  X(espeak_ERROR, espeak_Synth,                                                                                  \
    (const void* text, size_t size, unsigned int position, espeak_POSITION_TYPE position_type,                   \
     unsigned int end_position, unsigned int flags, unsigned int* unique_identifier, void* user_data),           \
    (text, size, position, position_type, end_position, flags, unique_identifier, user_data), EE_INTERNAL_ERROR)

namespace motcua::espeak {
MOTCUA_DEFERRED_TABLE(MOTCUA_ESPEAK_FUNCTIONS, "MOTCUA_ESPEAK_LIBRARY", "libespeak-ng.so.1", "libespeak-ng1")
}  // namespace motcua::espeak

extern "C" {
#define MOTCUA_ESPEAK_FORWARD(R, f, params, args, missing) MOTCUA_DEFERRED_FORWARD(motcua::espeak, R, f, params, args, missing)
MOTCUA_ESPEAK_FUNCTIONS(MOTCUA_ESPEAK_FORWARD)
#undef MOTCUA_ESPEAK_FORWARD
}  // extern "C"
