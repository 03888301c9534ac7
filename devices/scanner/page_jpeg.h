// A scanned page as JPEG (libjpeg-turbo): greyscale, baseline, the resolution in its JFIF header.
// Rule: quality 80 (kPageJpegQuality): at 200 dpi a typed A4 page stays legible down to 6 pt
// print and weighs 150-500 KiB; the bytes land in memory that zeroes itself when freed.
#pragma once
#include <memory_resource>
#include <vector>

#include "devices/scanner/scanner.h"

namespace motcua::scanner {

constexpr int kPageJpegQuality = 80;

std::pmr::vector<unsigned char> encode_jpeg(const GrayImage& page, int quality = kPageJpegQuality);

// A small picture of a page for the screen: the JPEG decoded grey at libjpeg's own reduced scale
// (1/2 to 1/8, no full-size pixels made) so its longer side is at most about `max_side`; its
// pixels zero themselves when freed. Empty when the bytes are not a JPEG libjpeg reads.
GrayImage decode_jpeg_preview(const unsigned char* data, size_t size, int max_side);

// A camera's frame (MJPG) in grey, only when libjpeg's own reading of its header is `width` x
// `height` and baseline: a header that lies (a second SOF, a progressive frame that would need a
// whole-image buffer) is never decoded. Reduced as decode_jpeg_preview when `max_side` > 0.
// Empty when it is not such a frame.
GrayImage decode_jpeg_frame(const unsigned char* data, size_t size, int width, int height, int max_side);

// The size a JPEG says it has (its SOF header); {0, 0} when it is not a JPEG this kiosk wrote.
struct JpegSize { int width = 0, height = 0, components = 0; };
JpegSize jpeg_size(const unsigned char* data, size_t size);

}  // namespace motcua::scanner
