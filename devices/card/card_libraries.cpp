// The card's two libraries as forwarders (devices/deferred_library.h): PACE (libeac) for cards
// read with their CAN, OpenJPEG for a JPEG 2000 face photo. Each entry point answers as it does
// when it fails (a null context, an error); the card's code checks library_error() first and says
// which package is missing.
#include "devices/card/card_libraries.h"

#include <eac/eac.h>
#include <eac/pace.h>
#include <openjpeg.h>

#include "devices/deferred_library.h"

// Return type, name, parameters, arguments, and the answer without the library.
#define MOTCUA_EAC_FUNCTIONS(X)                                                                                       \
  X(void, EAC_init, (void), (), )                                                                                      \
  X(EAC_CTX*, EAC_CTX_new, (void), (), nullptr)                                                                        \
  X(void, EAC_CTX_clear_free, (EAC_CTX * ctx), (ctx), )                                                                \
  X(int, EAC_CTX_init_ef_cardaccess, (unsigned const char* in, size_t in_len, EAC_CTX* ctx), (in, in_len, ctx), 0)      \
  X(PACE_SEC*, PACE_SEC_new, (const char* sec, size_t sec_len, enum s_type type), (sec, sec_len, type), nullptr)       \
  X(void, PACE_SEC_clear_free, (PACE_SEC * s), (s), )                                                                  \
  X(BUF_MEM*, PACE_STEP1_enc_nonce, (const EAC_CTX* ctx, const PACE_SEC* pi), (ctx, pi), nullptr)                      \
  X(int, PACE_STEP2_dec_nonce, (const EAC_CTX* ctx, const PACE_SEC* pi, const BUF_MEM* enc_nonce), (ctx, pi, enc_nonce), 0) \
  X(BUF_MEM*, PACE_STEP3A_generate_mapping_data, (const EAC_CTX* ctx), (ctx), nullptr)                                 \
  X(int, PACE_STEP3A_map_generator, (const EAC_CTX* ctx, const BUF_MEM* in), (ctx, in), 0)                             \
  X(BUF_MEM*, PACE_STEP3B_generate_ephemeral_key, (EAC_CTX * ctx), (ctx), nullptr)                                     \
  X(int, PACE_STEP3B_compute_shared_secret, (const EAC_CTX* ctx, const BUF_MEM* in), (ctx, in), 0)                     \
  X(int, PACE_STEP3C_derive_keys, (const EAC_CTX* ctx), (ctx), 0)                                                      \
  X(BUF_MEM*, PACE_STEP3D_compute_authentication_token, (const EAC_CTX* ctx, const BUF_MEM* pub), (ctx, pub), nullptr) \
  X(int, PACE_STEP3D_verify_authentication_token, (const EAC_CTX* ctx, const BUF_MEM* token), (ctx, token), 0)    \
  X(void, BUF_MEM_clear_free, (BUF_MEM * b), (b), )

#define MOTCUA_OPENJPEG_FUNCTIONS(X)                                                                                  \
  X(opj_codec_t*, opj_create_decompress, (OPJ_CODEC_FORMAT format), (format), nullptr)                                 \
  X(void, opj_set_default_decoder_parameters, (opj_dparameters_t * parameters), (parameters), )                         \
  X(OPJ_BOOL, opj_setup_decoder, (opj_codec_t * codec, opj_dparameters_t* parameters), (codec, parameters), OPJ_FALSE)  \
  X(opj_stream_t*, opj_stream_create, (OPJ_SIZE_T buffer_size, OPJ_BOOL is_input), (buffer_size, is_input), nullptr)   \
  X(void, opj_stream_set_user_data, (opj_stream_t * stream, void* data, opj_stream_free_user_data_fn free_data),        \
    (stream, data, free_data), )                                                                                       \
  X(void, opj_stream_set_user_data_length, (opj_stream_t * stream, OPJ_UINT64 length), (stream, length), )              \
  X(void, opj_stream_set_read_function, (opj_stream_t * stream, opj_stream_read_fn f), (stream, f), )                   \
  X(void, opj_stream_set_skip_function, (opj_stream_t * stream, opj_stream_skip_fn f), (stream, f), )                   \
  X(void, opj_stream_set_seek_function, (opj_stream_t * stream, opj_stream_seek_fn f), (stream, f), )                   \
  X(OPJ_BOOL, opj_read_header, (opj_stream_t * stream, opj_codec_t* codec, opj_image_t** image), (stream, codec, image), \
    OPJ_FALSE)                                                                                                         \
  X(OPJ_BOOL, opj_decode, (opj_codec_t * codec, opj_stream_t* stream, opj_image_t* image), (codec, stream, image),      \
    OPJ_FALSE)                                                                                                         \
  X(OPJ_BOOL, opj_end_decompress, (opj_codec_t * codec, opj_stream_t* stream), (codec, stream), OPJ_FALSE)              \
  X(void, opj_stream_destroy, (opj_stream_t * stream), (stream), )                                                      \
  X(void, opj_destroy_codec, (opj_codec_t * codec), (codec), )                                                          \
  X(void, opj_image_destroy, (opj_image_t * image), (image), )

namespace motcua::eac {
MOTCUA_DEFERRED_TABLE(MOTCUA_EAC_FUNCTIONS, "MOTCUA_EAC_LIBRARY", "libeac.so.3", "libeac3")
}
namespace motcua::openjpeg {
MOTCUA_DEFERRED_TABLE(MOTCUA_OPENJPEG_FUNCTIONS, "MOTCUA_OPENJPEG_LIBRARY", "libopenjp2.so.7", "libopenjp2-7")
}

extern "C" {
#define MOTCUA_EAC_FORWARD(R, f, params, args, missing) MOTCUA_DEFERRED_FORWARD(motcua::eac, R, f, params, args, missing)
#define MOTCUA_OPENJPEG_FORWARD(R, f, params, args, missing) \
  MOTCUA_DEFERRED_FORWARD(motcua::openjpeg, R, f, params, args, missing)
MOTCUA_EAC_FUNCTIONS(MOTCUA_EAC_FORWARD)
MOTCUA_OPENJPEG_FUNCTIONS(MOTCUA_OPENJPEG_FORWARD)
#undef MOTCUA_EAC_FORWARD
#undef MOTCUA_OPENJPEG_FORWARD
}  // extern "C"
