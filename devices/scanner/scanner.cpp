#include "devices/scanner/scanner.h"

#include "terminal/core/personal_data.h"

namespace motcua::scanner {

const char* kind_name(ScanErrorKind kind) {
  switch (kind) {
    case ScanErrorKind::NoScanner: return "no-scanner";
    case ScanErrorKind::Busy: return "busy";
    case ScanErrorKind::Jammed: return "jammed";
    case ScanErrorKind::Cancelled: return "cancelled";
    case ScanErrorKind::TooLarge: return "too-large";
    case ScanErrorKind::TimedOut: return "timed-out";
    case ScanErrorKind::Io: return "io";
  }
  return "io";
}

GrayImage::GrayImage() : pixels(zeroing_resource()) {}

}  // namespace motcua::scanner
