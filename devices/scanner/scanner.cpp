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

ScanErrorKind kind_from_name(const std::string& name) {
  for (ScanErrorKind k : {ScanErrorKind::NoScanner, ScanErrorKind::Busy, ScanErrorKind::Jammed, ScanErrorKind::Cancelled,
                          ScanErrorKind::TooLarge, ScanErrorKind::TimedOut})
    if (name == kind_name(k)) return k;
  return ScanErrorKind::Io;
}

GrayImage::GrayImage() : pixels(zeroing_resource()) {}

}  // namespace motcua::scanner
