// A kiosk that shows one form package, for authors (`motcua form render|preview`): no printer,
// no speech, its state in a scratch folder removed afterwards, steps not checked (an empty form
// must still show every step), already on the form's first step.
#pragma once
#include <memory>
#include <string>

#include "terminal/ui/kiosk.h"

namespace motcua {

// A folder under the temporary directory, removed with its contents when this goes away.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& prefix);  // throws InputError when it cannot be made
  ~ScratchDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// nullptr with `error` set when the window cannot open or the form's first step is not reached.
std::unique_ptr<Kiosk> open_form_kiosk(const forms::FormPackage& form, const std::string& data_root, const ScratchDir& scratch,
                                       const std::string& lang, const WindowOptions& window, const std::string& banner,
                                       std::string& error);

}  // namespace motcua
