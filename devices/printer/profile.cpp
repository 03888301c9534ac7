#include "devices/printer/profile.h"

namespace motcua::printer {

const std::vector<Profile>& profiles() {
  static const std::vector<Profile> all = {
      {"80mm", 576, true, true},          // common 80 mm kiosk printers
      {"80mm-raster", 576, true, false},  // clones without GS ( k
      {"80mm-512", 512, true, true},      // Epson TM-T88 family
      {"58mm", 384, false, false},        // small printers: tear-off, raster only
  };
  return all;
}

const Profile* find_profile(const std::string& name) {
  for (auto& p : profiles())
    if (p.name == name) return &p;
  return nullptr;
}

}  // namespace motcua::printer
