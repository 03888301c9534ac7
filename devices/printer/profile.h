// What a receipt printer model can do: paper width in dots, cutter, native QR, how it confirms a job.
#pragma once
#include <string>
#include <vector>

namespace motcua::printer {

// How the printer tells us it has processed every byte of a job (not just received it).
enum class Confirm {
  None,            // no way to know: a job handed over is only "sent"
  ProcessId,       // GS ( H fn 48: answers 37 22 d1..d4 00 once all earlier data is processed (Epson)
  TransmitStatus,  // GS r 1: the paper sensor byte, sent when the command is reached in the buffer (clones)
};

struct Profile {
  std::string name;
  int width_dots;   // 203 dpi: 58 mm paper 384, 80 mm 576 (512 on the TM-T88 family)
  bool cutter;
  bool native_qr;   // GS ( k; otherwise QR codes are sent as raster
  Confirm confirm;
  int tail_dots;    // fed after the last line (ESC J, in dots): past the tear bar, or the margin above the cut
};

const std::vector<Profile>& profiles();
const Profile* find_profile(const std::string& name);  // nullptr when unknown

}  // namespace motcua::printer
