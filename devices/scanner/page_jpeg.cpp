#include "devices/scanner/page_jpeg.h"

#include <algorithm>
#include <csetjmp>
#include <cstdio>
#include <stdexcept>
#include <string>

#include <jpeglib.h>

#include "devices/scanner/jpeg_library.h"
#include "terminal/core/personal_data.h"

namespace motcua::scanner {

namespace {

// libjpeg's destination straight into the zeroing vector: no malloc'd buffer of its own to leak pixels.
struct VectorDest {
  jpeg_destination_mgr mgr;
  std::pmr::vector<unsigned char>* out;
};

constexpr size_t kStep = 64 * 1024;

void init_dest(j_compress_ptr c) {
  auto* d = reinterpret_cast<VectorDest*>(c->dest);
  d->out->resize(kStep);
  d->mgr.next_output_byte = d->out->data();
  d->mgr.free_in_buffer = d->out->size();
}

boolean empty_buffer(j_compress_ptr c) {
  auto* d = reinterpret_cast<VectorDest*>(c->dest);
  size_t used = d->out->size();
  d->out->resize(used + kStep);  // the old block is zeroed as the resource frees it
  d->mgr.next_output_byte = d->out->data() + used;
  d->mgr.free_in_buffer = kStep;
  return TRUE;
}

void term_dest(j_compress_ptr c) {
  auto* d = reinterpret_cast<VectorDest*>(c->dest);
  d->out->resize(d->out->size() - d->mgr.free_in_buffer);
}

struct Failure {
  jpeg_error_mgr mgr;
  std::jmp_buf jump;
};

void on_error(j_common_ptr c) {
  std::longjmp(reinterpret_cast<Failure*>(c->err)->jump, 1);
}

}  // namespace

std::pmr::vector<unsigned char> encode_jpeg(const GrayImage& page, int quality) {
  if (page.width <= 0 || page.height <= 0 || page.pixels.size() < static_cast<size_t>(page.width) * page.height)
    throw std::invalid_argument("encode_jpeg: no page");
  if (!jpeg::library_error().empty()) throw std::runtime_error("encode_jpeg: " + jpeg::library_error());
  std::pmr::vector<unsigned char> out(zeroing_resource());
  jpeg_compress_struct c{};
  Failure err{};
  c.err = jpeg_std_error(&err.mgr);
  err.mgr.error_exit = on_error;
  VectorDest dest{};
  if (setjmp(err.jump)) {
    jpeg_destroy_compress(&c);
    throw std::runtime_error("encode_jpeg: libjpeg failed");
  }
  jpeg_create_compress(&c);
  dest.mgr.init_destination = init_dest;
  dest.mgr.empty_output_buffer = empty_buffer;
  dest.mgr.term_destination = term_dest;
  dest.out = &out;
  c.dest = &dest.mgr;
  c.image_width = static_cast<JDIMENSION>(page.width);
  c.image_height = static_cast<JDIMENSION>(page.height);
  c.input_components = 1;
  c.in_color_space = JCS_GRAYSCALE;
  jpeg_set_defaults(&c);
  jpeg_set_quality(&c, quality, TRUE);
  c.density_unit = 1;  // dots per inch
  c.X_density = c.Y_density = static_cast<UINT16>(page.dpi > 0 ? page.dpi : 200);
  jpeg_start_compress(&c, TRUE);
  while (c.next_scanline < c.image_height) {
    JSAMPROW row = const_cast<JSAMPROW>(page.pixels.data() + static_cast<size_t>(c.next_scanline) * page.width);
    jpeg_write_scanlines(&c, &row, 1);
  }
  jpeg_finish_compress(&c);
  jpeg_destroy_compress(&c);
  return out;
}

namespace {

// Decodes in grey at libjpeg's reduced scale so the longer side is at most about `max_side`;
// when `width` > 0 the frame must be that size and baseline, or nothing is decoded.
GrayImage decode_grey(const unsigned char* data, size_t size, int max_side, int width, int height) {
  GrayImage img;
  if (!data || size < 4 || max_side <= 0 || !jpeg::library_error().empty()) return img;
  jpeg_decompress_struct d{};
  Failure err{};
  d.err = jpeg_std_error(&err.mgr);
  err.mgr.error_exit = on_error;
  if (setjmp(err.jump)) {
    jpeg_destroy_decompress(&d);
    img.width = img.height = 0;
    img.pixels.clear();
    return img;
  }
  jpeg_create_decompress(&d);
  jpeg_mem_src(&d, data, static_cast<unsigned long>(size));
  jpeg_read_header(&d, TRUE);
  if (width > 0 && (d.image_width != static_cast<JDIMENSION>(width) || d.image_height != static_cast<JDIMENSION>(height) ||
                    d.progressive_mode)) {
    jpeg_destroy_decompress(&d);
    return img;
  }
  unsigned longer = std::max(d.image_width, d.image_height);
  d.scale_num = 1;
  d.scale_denom = 1;
  while (d.scale_denom < 8 && longer / d.scale_denom > static_cast<unsigned>(max_side)) d.scale_denom *= 2;
  d.out_color_space = JCS_GRAYSCALE;
  jpeg_start_decompress(&d);
  img.width = static_cast<int>(d.output_width);
  img.height = static_cast<int>(d.output_height);
  img.dpi = d.X_density / static_cast<int>(d.scale_denom);
  img.pixels.resize(static_cast<size_t>(img.width) * img.height);
  while (d.output_scanline < d.output_height) {
    JSAMPROW row = img.pixels.data() + static_cast<size_t>(d.output_scanline) * img.width;
    jpeg_read_scanlines(&d, &row, 1);
  }
  jpeg_finish_decompress(&d);
  jpeg_destroy_decompress(&d);
  return img;
}

}  // namespace

GrayImage decode_jpeg_preview(const unsigned char* data, size_t size, int max_side) {
  return decode_grey(data, size, max_side, 0, 0);
}

GrayImage decode_jpeg_frame(const unsigned char* data, size_t size, int width, int height, int max_side) {
  if (width <= 0 || height <= 0) return GrayImage{};
  return decode_grey(data, size, max_side > 0 ? max_side : std::max(width, height), width, height);
}

JpegSize jpeg_size(const unsigned char* p, size_t n) {
  if (n < 4 || p[0] != 0xFF || p[1] != 0xD8) return {};
  size_t i = 2;
  while (i + 4 <= n) {
    if (p[i] != 0xFF) return {};
    unsigned char marker = p[i + 1];
    size_t len = static_cast<size_t>(p[i + 2]) << 8 | p[i + 3];
    if (len < 2) return {};
    if (marker == 0xC0 || marker == 0xC1 || marker == 0xC2) {  // SOF: precision, height, width, components
      if (i + 2 + len > n || len < 8) return {};
      return {p[i + 7] << 8 | p[i + 8], p[i + 5] << 8 | p[i + 6], p[i + 9]};
    }
    i += 2 + len;
  }
  return {};
}

}  // namespace motcua::scanner
