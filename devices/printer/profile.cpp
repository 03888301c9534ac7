#include "devices/printer/profile.h"

namespace motcua::printer {

const std::vector<Profile>& profiles() {
  // Cutter profiles end with GS V 66, which itself feeds the last line to the blade; tail_dots is
  // only the white margin under the text. The 58 mm tear bar sits about 12 mm above the head's
  // line: feed 16 mm so the last line clears it with room to tear.
  static const std::vector<Profile> all = {
      {"80mm", 576, true, true, Confirm::ProcessId, 32},              // common 80 mm kiosk printers
      {"80mm-raster", 576, true, false, Confirm::TransmitStatus, 32},  // clones without GS ( k
      {"80mm-512", 512, true, true, Confirm::ProcessId, 32},          // Epson TM-T88 family
      {"58mm", 384, false, false, Confirm::TransmitStatus, 128},       // small printers: tear-off, raster only
  };
  return all;
}

const Profile* find_profile(const std::string& name) {
  for (auto& p : profiles())
    if (p.name == name) return &p;
  return nullptr;
}

}  // namespace motcua::printer
