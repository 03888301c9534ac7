#include "devices/card/dg2.h"

#include <openjpeg.h>
#include <stb_image.h>

#include <algorithm>
#include <cstring>

#include "devices/card/card_error.h"
#include "devices/card/card_libraries.h"
#include "devices/card/tlv.h"

namespace motcua::card {

namespace {
// A chip's face photo is about 480 × 640; a larger side is refused before any buffer is sized by it.
constexpr unsigned kMaxFaceSide = 4096;
// A hostile header must not make OpenJPEG allocate gigabytes: size, components and tiles are bounded.
constexpr unsigned long long kMaxFacePixels = 2048ull * 2048;
constexpr unsigned kMaxComponents = 4;
constexpr uint64_t kMaxTiles = 1024;

CardError corrupt(const std::string& what) { return CardError(CardErrorKind::Corrupt, "DG2: " + what); }

uint32_t be(std::span<const uint8_t> b, size_t at, size_t n) {
  if (at + n > b.size()) throw corrupt("face record shorter than its header");
  uint32_t v = 0;
  for (size_t i = 0; i < n; ++i) v = v << 8 | b[at + i];
  return v;
}

std::optional<Tlv> find_deep(std::span<const uint8_t> in, uint32_t tag, int depth) {
  if (depth > 5) return std::nullopt;
  for (const Tlv& t : read_all(in)) {
    if (t.tag == tag) return t;
    if (t.constructed())
      if (auto found = find_deep(t.value, tag, depth + 1)) return found;
  }
  return std::nullopt;
}

// OpenJPEG reads from memory through these three callbacks.
struct MemoryStream {
  std::span<const uint8_t> data;
  size_t at = 0;
};
OPJ_SIZE_T stream_read(void* buf, OPJ_SIZE_T n, void* user) {
  auto* s = static_cast<MemoryStream*>(user);
  if (s->at >= s->data.size()) return OPJ_SIZE_T(-1);
  n = std::min<OPJ_SIZE_T>(n, s->data.size() - s->at);
  std::memcpy(buf, s->data.data() + s->at, n);
  s->at += n;
  return n;
}
OPJ_OFF_T stream_skip(OPJ_OFF_T n, void* user) {
  auto* s = static_cast<MemoryStream*>(user);
  s->at = size_t(std::clamp<OPJ_OFF_T>(OPJ_OFF_T(s->at) + n, 0, OPJ_OFF_T(s->data.size())));
  return n;
}
OPJ_BOOL stream_seek(OPJ_OFF_T n, void* user) {
  auto* s = static_cast<MemoryStream*>(user);
  if (n < 0 || size_t(n) > s->data.size()) return OPJ_FALSE;
  s->at = size_t(n);
  return OPJ_TRUE;
}

// The codestream inside a JP2 file: the content of its top-level 'jp2c' box.
std::optional<size_t> codestream_start(std::span<const uint8_t> d) {
  if (d.size() > 2 && d[0] == 0xFF && d[1] == 0x4F) return 0;
  size_t at = 0;
  while (at + 8 <= d.size()) {
    uint64_t length = be(d, at, 4), header = 8;
    if (length == 1) {
      if (at + 16 > d.size()) return std::nullopt;
      length = uint64_t(be(d, at + 8, 4)) << 32 | be(d, at + 12, 4);
      header = 16;
    } else if (length == 0) {
      length = d.size() - at;
    }
    if (length < header || length > d.size() - at) return std::nullopt;
    if (std::memcmp(d.data() + at + 4, "jp2c", 4) == 0) return at + header;
    at += length;
  }
  return std::nullopt;
}

// OpenJPEG sizes its buffers from the SIZ marker while it reads the header (per tile and per
// component) before anything can be checked through its API, so the SIZ is read here first.
bool siz_is_small(std::span<const uint8_t> d) {
  auto at = codestream_start(d);
  if (!at || *at + 40 > d.size() || d[*at] != 0xFF || d[*at + 1] != 0x4F || d[*at + 2] != 0xFF || d[*at + 3] != 0x51)
    return false;
  size_t siz = *at + 4;  // Lsiz, Rsiz, then eight 32-bit sizes and offsets, then Csiz
  uint64_t x = be(d, siz + 4, 4), y = be(d, siz + 8, 4), x0 = be(d, siz + 12, 4), y0 = be(d, siz + 16, 4);
  uint64_t tw = be(d, siz + 20, 4), th = be(d, siz + 24, 4), tx0 = be(d, siz + 28, 4), ty0 = be(d, siz + 32, 4);
  uint64_t components = be(d, siz + 36, 2);
  if (x <= x0 || y <= y0 || tw == 0 || th == 0 || tx0 > x0 || ty0 > y0) return false;
  if (x - x0 > kMaxFaceSide || y - y0 > kMaxFaceSide || (x - x0) * (y - y0) > kMaxFacePixels) return false;
  uint64_t tiles = ((x - tx0 + tw - 1) / tw) * ((y - ty0 + th - 1) / th);
  return components >= 1 && components <= kMaxComponents && tiles <= kMaxTiles;
}

Pixels decode_jpeg2000(std::span<const uint8_t> data) {
  if (!openjpeg::library_error().empty())
    throw CardError(CardErrorKind::NotInstalled, "JPEG 2000 photo: " + openjpeg::library_error());
  if (!siz_is_small(data)) throw corrupt("the JPEG 2000 header asks for more than a face photo (size, components or tiles)");
  bool codestream = data.size() > 2 && data[0] == 0xFF && data[1] == 0x4F;
  opj_codec_t* codec = opj_create_decompress(codestream ? OPJ_CODEC_J2K : OPJ_CODEC_JP2);
  opj_dparameters_t params;
  opj_set_default_decoder_parameters(&params);
  MemoryStream mem{data, 0};
  opj_stream_t* stream = opj_stream_create(64 * 1024, OPJ_TRUE);
  opj_stream_set_user_data(stream, &mem, nullptr);
  opj_stream_set_user_data_length(stream, data.size());
  opj_stream_set_read_function(stream, stream_read);
  opj_stream_set_skip_function(stream, stream_skip);
  opj_stream_set_seek_function(stream, stream_seek);
  opj_image_t* image = nullptr;
  bool ok = opj_setup_decoder(codec, &params) && opj_read_header(stream, codec, &image) &&
            opj_decode(codec, stream, image) && opj_end_decompress(codec, stream);
  opj_stream_destroy(stream);
  opj_destroy_codec(codec);
  if (!ok || !image || image->numcomps == 0) {
    if (image) opj_image_destroy(image);
    throw corrupt("the JPEG 2000 image does not decode");
  }
  // Components may differ in size (subsampled chroma, or a hostile file): each is sampled at
  // its own scale, never indexed with the first one's dimensions.
  const int used = image->numcomps >= 3 ? 3 : 1;
  bool usable = image->comps[0].w > 0 && image->comps[0].h > 0 && image->comps[0].w <= kMaxFaceSide &&
                image->comps[0].h <= kMaxFaceSide;
  for (int c = 0; c < used; ++c)
    usable = usable && image->comps[c].data && image->comps[c].w > 0 && image->comps[c].h > 0 && image->comps[c].prec <= 32;
  if (!usable) {
    opj_image_destroy(image);
    throw corrupt("the JPEG 2000 image has unusable components");
  }
  Pixels px;
  px.width = int(image->comps[0].w);
  px.height = int(image->comps[0].h);
  px.rgba.assign(size_t(px.width) * px.height * 4, 255);
  for (int y = 0; y < px.height; ++y)
    for (int x = 0; x < px.width; ++x)
      for (int c = 0; c < 3; ++c) {
        const opj_image_comp_t& comp = image->comps[used == 3 ? c : 0];
        size_t cx = size_t(x) * comp.w / size_t(px.width), cy = size_t(y) * comp.h / size_t(px.height);
        long long v = comp.data[cy * comp.w + cx];
        if (comp.prec > 8) v >>= (comp.prec - 8);
        px.rgba[(size_t(y) * px.width + x) * 4 + c] = uint8_t(std::clamp<long long>(v, 0, 255));
      }
  for (OPJ_UINT32 c = 0; c < image->numcomps; ++c)
    wipe_memory(image->comps[c].data, size_t(image->comps[c].w) * image->comps[c].h * sizeof(OPJ_INT32));
  opj_image_destroy(image);
  return px;
}
}  // namespace

FaceImage parse_dg2(std::span<const uint8_t> dg2) {
  Tlv outer = read_tlv(dg2);
  if (outer.tag != 0x75) throw corrupt("does not start with tag 75");
  auto block = find_deep(outer.value, 0x5F2E, 0);
  if (!block) block = find_deep(outer.value, 0x7F2E, 0);
  if (!block) throw corrupt("no biometric data block");
  auto b = block->value;
  if (b.size() < 14 || std::memcmp(b.data(), "FAC\0", 4) != 0) throw corrupt("no ISO 19794-5 face record");
  // General header 14 bytes; facial information 20 bytes; 8 per feature point; image information 12 bytes.
  size_t face = 14;
  size_t feature_points = be(b, face + 4, 2);
  size_t image_info = face + 20 + 8 * feature_points;
  size_t image_at = image_info + 12;
  uint32_t face_block_length = be(b, face, 4);
  // The block length must cover the headers it claims to hold: a smaller one would make the image length negative.
  if (image_at > b.size() || face + face_block_length > b.size() || face + face_block_length < image_at)
    throw corrupt("face record shorter than its header");
  auto image = b.subspan(image_at, face + face_block_length - image_at);
  FaceImage out;
  if (image.size() > 3 && image[0] == 0xFF && image[1] == 0xD8) out.format = ImageFormat::Jpeg;
  else if ((image.size() > 8 && image[4] == 'j' && image[5] == 'P') || (image.size() > 2 && image[0] == 0xFF && image[1] == 0x4F))
    out.format = ImageFormat::Jpeg2000;
  else throw corrupt("the face image is neither JPEG nor JPEG 2000");
  out.encoded = bytes_of(image);
  return out;
}

Pixels decode_face(const FaceImage& face) {
  if (face.format == ImageFormat::Jpeg2000) return decode_jpeg2000(face.encoded);
  int w = 0, h = 0, n = 0;
  if (!stbi_info_from_memory(face.encoded.data(), int(face.encoded.size()), &w, &h, &n) || w <= 0 || h <= 0 ||
      unsigned(w) > kMaxFaceSide || unsigned(h) > kMaxFaceSide)
    throw corrupt("the JPEG image does not decode");
  unsigned char* p = stbi_load_from_memory(face.encoded.data(), int(face.encoded.size()), &w, &h, &n, 4);
  if (!p) throw corrupt("the JPEG image does not decode");
  Pixels px{w, h, Bytes(p, p + size_t(w) * h * 4)};
  wipe_memory(p, size_t(w) * h * 4);
  stbi_image_free(p);
  return px;
}

}  // namespace motcua::card
