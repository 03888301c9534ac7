#include "devices/scanner/sane_session.h"

#include <sane/sane.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "terminal/core/personal_data.h"

namespace motcua::scanner {

namespace {

// sane_init once; never sane_cancel, sane_close or sane_exit: the process ends after one answer,
// and SANE's teardown is where its backends hang (a reader thread cancelled asynchronously inside
// malloc keeps the heap locked; dlclose waits on the loader's lock).
bool sane_started = false;

void sane_acquire() {
  if (sane_started) return;
  SANE_Int version = 0;
  if (SANE_Status s = sane_init(&version, nullptr); s != SANE_STATUS_GOOD)
    throw ScanError(ScanErrorKind::NoScanner, std::string("SANE cannot start: ") + sane_strstatus(s));
  sane_started = true;
}

// The translation at the edge: SANE's statuses into the kinds the citizen's sentence is chosen by.
ScanErrorKind kind_of(SANE_Status s) {
  switch (s) {
    case SANE_STATUS_DEVICE_BUSY: return ScanErrorKind::Busy;
    case SANE_STATUS_JAMMED:
    case SANE_STATUS_NO_DOCS:
    case SANE_STATUS_COVER_OPEN: return ScanErrorKind::Jammed;
    case SANE_STATUS_CANCELLED: return ScanErrorKind::Cancelled;
    case SANE_STATUS_NO_MEM: return ScanErrorKind::TooLarge;
    default: return ScanErrorKind::Io;
  }
}

ScanError sane_error(SANE_Status s, const std::string& during) {
  return ScanError(kind_of(s), during + ": " + sane_strstatus(s));
}

std::string mib(double bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MiB", bytes / (1024.0 * 1024.0));
  return buf;
}

}  // namespace

SaneSession::SaneSession(const std::string& device, ScanSettings settings, const std::map<std::string, std::string>& options)
    : settings_(settings) {
  sane_acquire();
  try {
    std::string name = device;
    const SANE_Device** list = nullptr;
    if (name.empty()) {
      if (SANE_Status s = sane_get_devices(&list, SANE_TRUE); s != SANE_STATUS_GOOD)
        throw ScanError(ScanErrorKind::NoScanner, std::string("no scanner: ") + sane_strstatus(s));
      if (!list || !list[0]) throw ScanError(ScanErrorKind::NoScanner, "no scanner: SANE finds none");
      name = list[0]->name;
      description_ = name + " (" + list[0]->vendor + " " + list[0]->model + ")";
    } else {
      description_ = name;
    }
    SANE_Handle h = nullptr;
    SANE_Status s = sane_open(name.c_str(), &h);
    if (s != SANE_STATUS_GOOD) {
      ScanErrorKind k = s == SANE_STATUS_DEVICE_BUSY ? ScanErrorKind::Busy : ScanErrorKind::NoScanner;
      throw ScanError(k, "scanner \"" + name + "\": " + sane_strstatus(s));
    }
    handle_ = h;
    // Mode first: a backend's ranges (resolution, area) may depend on it.
    set_option("mode", "Gray", false);
    set_option("resolution", std::to_string(settings_.dpi), false);
    set_option("tl-x", "0", false);
    set_option("tl-y", "0", false);
    set_option("br-x", std::to_string(settings_.width_mm), false);
    set_option("br-y", std::to_string(settings_.height_mm), false);
    // Twice: a backend enables some options only once another is set ("read-delay" before its
    // duration), and the configuration's order is not kept.
    std::vector<std::pair<std::string, std::string>> later;
    for (auto& [k, v] : options)
      if (!set_option(k, v, false)) later.emplace_back(k, v);
    for (auto& [k, v] : later) set_option(k, v, true);
  } catch (...) {
    handle_ = nullptr;  // not closed: the process ends with this error
    throw;
  }
}

// Sets an option by name from text. Numbers are clamped to the device's range (or its nearest
// listed value); "mode" takes the device's word for greyscale. An option the device lacks is
// skipped unless required (named in the configuration), which is a clear error for staff.
bool SaneSession::set_option(const std::string& name, const std::string& value, bool required) {
  SANE_Handle h = static_cast<SANE_Handle>(handle_);
  SANE_Int count = 0;
  if (sane_control_option(h, 0, SANE_ACTION_GET_VALUE, &count, nullptr) != SANE_STATUS_GOOD) count = 0;
  for (SANE_Int i = 1; i < count; ++i) {
    const SANE_Option_Descriptor* d = sane_get_option_descriptor(h, i);
    if (!d || !d->name || name != d->name) continue;
    if (!SANE_OPTION_IS_ACTIVE(d->cap) || !SANE_OPTION_IS_SETTABLE(d->cap)) {
      if (required) throw ScanError(ScanErrorKind::Io, "scanner option \"" + name + "\" cannot be set on this device");
      return false;
    }
    SANE_Status s = SANE_STATUS_INVAL;
    if (d->type == SANE_TYPE_STRING) {
      std::string v = value;
      if (name == "mode" && d->constraint_type == SANE_CONSTRAINT_STRING_LIST) {
        v.clear();  // "Gray", "Grayscale", "GRAY": whatever this backend calls it
        for (const SANE_String_Const* m = d->constraint.string_list; *m; ++m)
          if (strncasecmp(*m, "gray", 4) == 0) {
            v = *m;
            break;
          }
        if (v.empty()) return true;  // a colour-only device: its pages are turned grey as they are read
      }
      std::vector<char> buf(static_cast<size_t>(std::max<SANE_Int>(d->size, 1)), '\0');
      std::memcpy(buf.data(), v.data(), std::min(v.size(), buf.size() - 1));
      s = sane_control_option(h, i, SANE_ACTION_SET_VALUE, buf.data(), nullptr);
    } else if (d->type == SANE_TYPE_BOOL) {
      SANE_Bool b = (value == "true" || value == "yes" || value == "1") ? SANE_TRUE : SANE_FALSE;
      s = sane_control_option(h, i, SANE_ACTION_SET_VALUE, &b, nullptr);
    } else if (d->type == SANE_TYPE_INT || d->type == SANE_TYPE_FIXED) {
      double x = 0;
      try {
        x = std::stod(value);
      } catch (...) {
        throw ScanError(ScanErrorKind::Io, "scanner option \"" + name + "\": not a number: " + value);
      }
      bool fixed = d->type == SANE_TYPE_FIXED;
      if (d->unit == SANE_UNIT_PIXEL && (name == "br-x" || name == "br-y")) x = x / 25.4 * settings_.dpi;
      auto to_word = [fixed](double v) { return fixed ? SANE_FIX(v) : static_cast<SANE_Word>(std::lround(v)); };
      auto from_word = [fixed](SANE_Word w) { return fixed ? SANE_UNFIX(w) : static_cast<double>(w); };
      if (d->constraint_type == SANE_CONSTRAINT_RANGE) {
        x = std::clamp(x, from_word(d->constraint.range->min), from_word(d->constraint.range->max));
      } else if (d->constraint_type == SANE_CONSTRAINT_WORD_LIST && d->constraint.word_list[0] > 0) {
        double best = from_word(d->constraint.word_list[1]);
        for (SANE_Int k = 1; k <= d->constraint.word_list[0]; ++k) {
          double c = from_word(d->constraint.word_list[k]);
          if (std::fabs(c - x) < std::fabs(best - x)) best = c;
        }
        x = best;
      }
      SANE_Word w = to_word(x);
      s = sane_control_option(h, i, SANE_ACTION_SET_VALUE, &w, nullptr);
    } else {
      if (required) throw ScanError(ScanErrorKind::Io, "scanner option \"" + name + "\" takes no value");
      return true;
    }
    if (s != SANE_STATUS_GOOD) {
      if (required || s == SANE_STATUS_DEVICE_BUSY) throw sane_error(s, "scanner option \"" + name + "\"");
      return false;
    }
    return true;
  }
  if (required) throw ScanError(ScanErrorKind::Io, "scanner option \"" + name + "\": this device has no such option");
  return false;
}

GrayImage SaneSession::scan_page() {
  SANE_Handle h = static_cast<SANE_Handle>(handle_);
  // The resolution the device really uses: the page's size in the PDF comes from it.
  int dpi = settings_.dpi;
  {
    SANE_Int count = 0;
    sane_control_option(h, 0, SANE_ACTION_GET_VALUE, &count, nullptr);
    for (SANE_Int i = 1; i < count; ++i) {
      const SANE_Option_Descriptor* d = sane_get_option_descriptor(h, i);
      if (!d || !d->name || std::strcmp(d->name, "resolution") != 0 || d->size != sizeof(SANE_Word)) continue;
      SANE_Word w = 0;
      if (sane_control_option(h, i, SANE_ACTION_GET_VALUE, &w, nullptr) == SANE_STATUS_GOOD)
        dpi = d->type == SANE_TYPE_FIXED ? static_cast<int>(std::lround(SANE_UNFIX(w))) : w;
    }
  }
  auto fail = [](SANE_Status s, const std::string& during) { return sane_error(s, during); };
  if (SANE_Status s = sane_start(h); s != SANE_STATUS_GOOD) throw fail(s, "scan start");
  SANE_Parameters p{};
  if (SANE_Status s = sane_get_parameters(h, &p); s != SANE_STATUS_GOOD) throw fail(s, "scan parameters");
  if (p.bytes_per_line <= 0 || p.pixels_per_line <= 0 || (p.depth != 1 && p.depth != 8 && p.depth != 16) ||
      (p.format != SANE_FRAME_GRAY && p.format != SANE_FRAME_RGB)) {
    throw ScanError(ScanErrorKind::Io, "the scanner sends a format the kiosk does not read (frame " + std::to_string(p.format) +
                                           ", depth " + std::to_string(p.depth) + ")");
  }
  // Refused before a byte is read when the device announces its size; counted as read otherwise.
  double announced = p.lines > 0 ? static_cast<double>(p.bytes_per_line) * p.lines : 0;
  if (announced > static_cast<double>(settings_.max_bytes)) {
    throw ScanError(ScanErrorKind::TooLarge, "the page would be " + mib(announced) + " of pixels; the limit is " +
                                                 mib(static_cast<double>(settings_.max_bytes)));
  }
  std::pmr::vector<unsigned char> raw(zeroing_resource());
  raw.reserve(static_cast<size_t>(announced));
  std::vector<unsigned char> chunk(64 * 1024);
  for (;;) {
    SANE_Int got = 0;
    SANE_Status s = sane_read(h, chunk.data(), static_cast<SANE_Int>(chunk.size()), &got);
    if (s == SANE_STATUS_EOF) break;
    if (s != SANE_STATUS_GOOD) {
      secure_zero(chunk.data(), chunk.size());
      throw fail(s, "scan");
    }
    if (raw.size() + static_cast<size_t>(got) > settings_.max_bytes) {
      secure_zero(chunk.data(), chunk.size());
      throw ScanError(ScanErrorKind::TooLarge, "the page is over " + mib(static_cast<double>(settings_.max_bytes)) +
                                                   " of pixels, the limit");
    }
    raw.insert(raw.end(), chunk.begin(), chunk.begin() + got);
  }
  secure_zero(chunk.data(), chunk.size());
  // A page cut short is never a page.
  if (announced > 0 && static_cast<double>(raw.size()) < announced)
    throw fail(SANE_STATUS_IO_ERROR, "scan cut short after " + std::to_string(raw.size()) + " bytes");

  GrayImage img;
  img.dpi = dpi;
  img.width = p.pixels_per_line;
  img.height = static_cast<int>(raw.size() / static_cast<size_t>(p.bytes_per_line));
  if (img.height == 0) throw ScanError(ScanErrorKind::Io, "the scanner sent an empty page");
  img.pixels.resize(static_cast<size_t>(img.width) * img.height);
  int channels = p.format == SANE_FRAME_RGB ? 3 : 1;
  for (int y = 0; y < img.height; ++y) {
    const unsigned char* row = raw.data() + static_cast<size_t>(y) * p.bytes_per_line;
    unsigned char* out = img.pixels.data() + static_cast<size_t>(y) * img.width;
    for (int x = 0; x < img.width; ++x) {
      if (p.depth == 1) {  // line art: a set bit is black
        out[x] = (row[x / 8] & (0x80 >> (x % 8))) ? 0 : 255;
        continue;
      }
      int sum = 0;
      for (int c = 0; c < channels; ++c) {
        size_t at = static_cast<size_t>(x * channels + c);
        // 16-bit samples come in the host's byte order; the high byte is enough for a document.
        int v = p.depth == 8 ? row[at] : reinterpret_cast<const uint16_t*>(row)[at] >> 8;
        sum += c == 0 ? v * (channels == 3 ? 77 : 256) : v * (c == 1 ? 150 : 29);
      }
      out[x] = static_cast<unsigned char>(sum >> 8);
    }
  }
  return img;
}

}  // namespace motcua::scanner
