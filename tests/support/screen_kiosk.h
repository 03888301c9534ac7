// The screen tests' kiosk: a real window under Xvfb (portrait 1080x1920 unless told), the
// repository's locales and bundled forms; and a scenario played on it, its failure in the output.
#pragma once
#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "terminal/ui/kiosk.h"
#include "terminal/ui/script.h"
#include "tests/support/xvfb.h"

namespace motcua::test {

// A card port stands for a reader (the kiosk then offers the card); without one, none is found.
inline std::unique_ptr<Kiosk> open_screen_kiosk(const KioskConfig& config, bool check_steps = true, int width = 1080,
                                                int height = 1920, std::optional<CardPort> card_port = {}) {
  const std::string root = MOTCUA_SOURCE_ROOT;
  ensure_xvfb();
  KioskOptions o;
  o.window.fullscreen = false;
  o.window.hide_cursor = false;
  o.window.width = width;
  o.window.height = height;
  o.data_root = root;
  o.check_steps = check_steps;
  // Never the machine's own pcscd (a demo run's, a developer's reader): a reader only when given.
  o.card_port = card_port ? *card_port : CardPort{};
  auto k = std::make_unique<Kiosk>(config, Strings::load(root + "/locales", config.locales),
                                   Catalog::load(root + "/assets/forms"), o);
  std::string error;
  REQUIRE_MESSAGE(k->open(error), error);
  return k;
}

// 0 when every step ran and every check held; else 1, the reason given as a test message.
inline int play_scenario(Kiosk& k, const nlohmann::json& steps, const std::string& shots_dir) {
  std::ostringstream out, err;
  int rc = run_script(k, parse_script(nlohmann::json{{"steps", steps}}, "test"), shots_dir, out, err);
  if (rc != 0) MESSAGE(err.str());
  return rc;
}

}  // namespace motcua::test
