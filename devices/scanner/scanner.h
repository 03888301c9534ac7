// A document scanner, as the kiosk's capture screen needs one: one page per call, greyscale at a
// fixed resolution over a bounded area. SANE behind it (sane_scanner.h); no UI, no disk.
// Rule (error translation at the device edge): whatever the backend says becomes one of a few
// plain kinds the citizen's sentence is chosen by; the backend's own words go to staff only.
// Rule (personal data): a page's pixels live in memory that is zeroed when freed, never on disk.
#pragma once
#include <cstddef>
#include <memory_resource>
#include <stdexcept>
#include <string>
#include <vector>

namespace motcua::scanner {

enum class ScanErrorKind {
  NoScanner,  // none configured, none found, or it went away
  Busy,       // another program holds it, or it is warming up
  Jammed,     // paper jam, cover open, no paper in the feeder
  Cancelled,  // someone cancelled the scan
  TooLarge,   // the page would be larger than the settings allow
  TimedOut,   // the device stalled past the deadline
  Io,         // anything else the device or its driver reports
};

const char* kind_name(ScanErrorKind kind);  // "no-scanner", "busy", "jammed", ...
ScanErrorKind kind_from_name(const std::string& name);  // Io for a name it does not know

struct ScanError : std::runtime_error {
  ScanError(ScanErrorKind k, const std::string& what) : std::runtime_error(what), kind(k) {}
  ScanErrorKind kind;
};

// What a page is scanned at. The defaults are the kiosk's documented ones (docs/documents.md):
// 200 dpi greyscale over A4, at most 64 MiB of raw pixels, at most 60 s per page.
struct ScanSettings {
  int dpi = 200;
  double width_mm = 210, height_mm = 297;  // clamped to what the device offers
  size_t max_bytes = 64u * 1024 * 1024;     // raw pixels as the device sends them
  int timeout_ms = 60000;                   // from the start of the scan to its last byte
};

// One greyscale page, 8 bits a pixel, rows top to bottom; its buffer zeroes itself when freed.
struct GrayImage {
  int width = 0, height = 0, dpi = 0;
  std::pmr::vector<unsigned char> pixels;
  GrayImage();
};

class Scanner {
 public:
  virtual ~Scanner() = default;
  // Scans one page; throws ScanError. Blocking: the kiosk calls it off its UI thread.
  virtual GrayImage scan_page() = 0;
  // Asks a scan in progress (on another thread) to stop; it then throws ScanError(Cancelled).
  virtual void cancel() = 0;
  // For staff: what the device says it is ("test:0 (Noname frontend-tester)").
  virtual std::string describe() const = 0;
};

}  // namespace motcua::scanner
