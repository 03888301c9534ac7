// The printer's three libraries as forwarders (devices/deferred_library.h). Unlinked, they and what
// they bring (libpng, brotli) no longer load before the kiosk's first frame. Each entry point
// answers as it does when it fails (an error code, a null handle), and the printer's code says
// so in its own words.
#include "devices/printer/print_libraries.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include <qrencode.h>
#include <zint.h>

#include "devices/deferred_library.h"

// Return type, name, parameters, arguments, and the answer without the library.
#define MOTCUA_FREETYPE_FUNCTIONS(X)                                                                         \
  X(FT_Error, FT_Init_FreeType, (FT_Library * library), (library), FT_Err_Cannot_Open_Resource)               \
  X(FT_Error, FT_Done_FreeType, (FT_Library library), (library), FT_Err_Ok)                                   \
  X(FT_Error, FT_New_Face, (FT_Library library, const char* path, FT_Long index, FT_Face* face),              \
    (library, path, index, face), FT_Err_Cannot_Open_Resource)                                                \
  X(FT_Error, FT_Done_Face, (FT_Face face), (face), FT_Err_Ok)                                                \
  X(FT_Error, FT_Set_Pixel_Sizes, (FT_Face face, FT_UInt width, FT_UInt height), (face, width, height),       \
    FT_Err_Invalid_Face_Handle)                                                                               \
  X(FT_Error, FT_Load_Char, (FT_Face face, FT_ULong code, FT_Int32 flags), (face, code, flags),               \
    FT_Err_Invalid_Face_Handle)

#define MOTCUA_QRENCODE_FUNCTIONS(X)                                                                         \
  X(QRcode*, QRcode_encodeString, (const char* text, int version, QRecLevel level, QRencodeMode hint, int case_sensitive), \
    (text, version, level, hint, case_sensitive), nullptr)                                                    \
  X(QRcode*, QRcode_encodeString8bit, (const char* text, int version, QRecLevel level), (text, version, level), nullptr) \
  X(void, QRcode_free, (QRcode * code), (code), )

#define MOTCUA_ZINT_FUNCTIONS(X)                                                                             \
  X(zint_symbol*, ZBarcode_Create, (void), (), nullptr)                                                       \
  X(void, ZBarcode_Delete, (zint_symbol * symbol), (symbol), )                                                \
  X(int, ZBarcode_Encode, (zint_symbol * symbol, const unsigned char* source, int length), (symbol, source, length), \
    ZINT_ERROR_ENCODING_PROBLEM)

namespace motcua::freetype {
MOTCUA_DEFERRED_TABLE(MOTCUA_FREETYPE_FUNCTIONS, "MOTCUA_FREETYPE_LIBRARY", "libfreetype.so.6", "libfreetype6")
}
namespace motcua::qrencode {
MOTCUA_DEFERRED_TABLE(MOTCUA_QRENCODE_FUNCTIONS, "MOTCUA_QRENCODE_LIBRARY", "libqrencode.so.4", "libqrencode4")
}
namespace motcua::zint {
MOTCUA_DEFERRED_TABLE(MOTCUA_ZINT_FUNCTIONS, "MOTCUA_ZINT_LIBRARY", "libzint.so.2.11", "libzint2.11")
}

extern "C" {
#define MOTCUA_FREETYPE_FORWARD(R, f, params, args, missing) MOTCUA_DEFERRED_FORWARD(motcua::freetype, R, f, params, args, missing)
#define MOTCUA_QRENCODE_FORWARD(R, f, params, args, missing) MOTCUA_DEFERRED_FORWARD(motcua::qrencode, R, f, params, args, missing)
#define MOTCUA_ZINT_FORWARD(R, f, params, args, missing) MOTCUA_DEFERRED_FORWARD(motcua::zint, R, f, params, args, missing)
MOTCUA_FREETYPE_FUNCTIONS(MOTCUA_FREETYPE_FORWARD)
MOTCUA_QRENCODE_FUNCTIONS(MOTCUA_QRENCODE_FORWARD)
MOTCUA_ZINT_FUNCTIONS(MOTCUA_ZINT_FORWARD)
#undef MOTCUA_FREETYPE_FORWARD
#undef MOTCUA_QRENCODE_FORWARD
#undef MOTCUA_ZINT_FORWARD
}  // extern "C"
