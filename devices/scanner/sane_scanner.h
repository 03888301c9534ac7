// A Scanner through SANE (libsane): any scanner a centre has, by its SANE device name, or the
// first one found. The configuration may set further backend options by name (a feeder's
// "source", or in tests the `test` backend's "read-return-value").
#pragma once
#include <atomic>
#include <map>
#include <memory>
#include <string>

#include "devices/scanner/scanner.h"

namespace motcua::scanner {

class SaneScanner : public Scanner {
 public:
  // Opens the device (empty: the first SANE finds) and sets resolution, greyscale mode and area.
  // Throws ScanError: NoScanner when none is there, Busy when another program holds it.
  SaneScanner(const std::string& device, ScanSettings settings, std::map<std::string, std::string> options = {});
  ~SaneScanner() override;
  SaneScanner(const SaneScanner&) = delete;
  SaneScanner& operator=(const SaneScanner&) = delete;

  GrayImage scan_page() override;
  void cancel() override;
  std::string describe() const override { return description_; }

 private:
  // false when the option is not there or not settable yet; throws when `required`.
  bool set_option(const std::string& name, const std::string& value, bool required);
  void* handle_ = nullptr;  // SANE_Handle
  ScanSettings settings_;
  std::string description_;
  std::atomic<bool> cancelled_{false};
};

}  // namespace motcua::scanner
