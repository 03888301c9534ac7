// libjpeg as forwarders (devices/deferred_library.h), for the pages a scan brings and the previews
// drawn of them. page_jpeg.cpp checks library_error() before it starts, so no entry point's
// answer without the library is ever relied on.
#include "devices/scanner/jpeg_library.h"

#include <cstdio>

#include <jpeglib.h>

#include "devices/deferred_library.h"

// Return type, name, parameters, arguments, and the answer without the library.
#define MOTCUA_JPEG_FUNCTIONS(X)                                                                                   \
  X(jpeg_error_mgr*, jpeg_std_error, (jpeg_error_mgr * err), (err), err)                                            \
  X(void, jpeg_CreateCompress, (j_compress_ptr cinfo, int version, size_t size), (cinfo, version, size), )          \
  X(void, jpeg_CreateDecompress, (j_decompress_ptr cinfo, int version, size_t size), (cinfo, version, size), )      \
  X(void, jpeg_destroy_compress, (j_compress_ptr cinfo), (cinfo), )                                                 \
  X(void, jpeg_destroy_decompress, (j_decompress_ptr cinfo), (cinfo), )                                             \
  X(void, jpeg_mem_src, (j_decompress_ptr cinfo, const unsigned char* buffer, unsigned long size), (cinfo, buffer, size), ) \
  X(void, jpeg_set_defaults, (j_compress_ptr cinfo), (cinfo), )                                                     \
  X(void, jpeg_set_quality, (j_compress_ptr cinfo, int quality, boolean baseline), (cinfo, quality, baseline), )    \
  X(void, jpeg_start_compress, (j_compress_ptr cinfo, boolean all_tables), (cinfo, all_tables), )                   \
  X(JDIMENSION, jpeg_write_scanlines, (j_compress_ptr cinfo, JSAMPARRAY lines, JDIMENSION count), (cinfo, lines, count), 0) \
  X(void, jpeg_finish_compress, (j_compress_ptr cinfo), (cinfo), )                                                  \
  X(int, jpeg_read_header, (j_decompress_ptr cinfo, boolean require_image), (cinfo, require_image), JPEG_SUSPENDED) \
  X(boolean, jpeg_start_decompress, (j_decompress_ptr cinfo), (cinfo), FALSE)                                       \
  X(JDIMENSION, jpeg_read_scanlines, (j_decompress_ptr cinfo, JSAMPARRAY lines, JDIMENSION most), (cinfo, lines, most), 0) \
  X(boolean, jpeg_finish_decompress, (j_decompress_ptr cinfo), (cinfo), FALSE)

namespace motcua::jpeg {
MOTCUA_DEFERRED_TABLE(MOTCUA_JPEG_FUNCTIONS, "MOTCUA_JPEG_LIBRARY", "libjpeg.so.62", "libjpeg62-turbo")
}

extern "C" {
#define MOTCUA_JPEG_FORWARD(R, f, params, args, missing) MOTCUA_DEFERRED_FORWARD(motcua::jpeg, R, f, params, args, missing)
MOTCUA_JPEG_FUNCTIONS(MOTCUA_JPEG_FORWARD)
#undef MOTCUA_JPEG_FORWARD
}  // extern "C"
