// What a receipt printer model can do: paper width in dots, cutter, native QR.
#pragma once
#include <string>
#include <vector>

namespace motcua::printer {

struct Profile {
  std::string name;
  int width_dots;   // 203 dpi: 58 mm paper 384, 80 mm 576 (512 on the TM-T88 family)
  bool cutter;
  bool native_qr;   // GS ( k; otherwise QR codes are sent as raster
};

const std::vector<Profile>& profiles();
const Profile* find_profile(const std::string& name);  // nullptr when unknown

}  // namespace motcua::printer
