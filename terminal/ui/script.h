// Scenarios that drive the real kiosk: tap widgets by stable id, type, advance the clock,
// check state and write screenshots read back from the framebuffer.
// Format (docs/scenarios.md): {"steps": [{"tap": "attract.start"}, {"shot": "catalog"}, ...]}
#pragma once
#include <iosfwd>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace motcua {

class Kiosk;

struct ScriptError : std::runtime_error { using std::runtime_error::runtime_error; };

struct ScriptAction {
  std::string kind;      // tap, tap_at, type, key, advance, idle, shot, expect, pause
  nlohmann::json value;  // the action's argument
  std::string where;     // "FILE: /steps/N" for messages
};

// Parses and checks every step before anything runs; throws ScriptError naming the step.
std::vector<ScriptAction> load_script(const std::string& path);
std::vector<ScriptAction> parse_script(const nlohmann::json& doc, const std::string& origin);

// Runs the steps; returns 0 when all ran and every expectation held, 1 otherwise
// (the reason goes to err). Measurements from "idle" steps go to out as JSON lines.
// Text a `type` step typed is a citizen's stand-in: it is zeroed in `steps` once typed.
// A `pause` step prints {"paused": NAME, "pid": PID} to out and waits for a line (or the end) on `in`.
int run_script(Kiosk& kiosk, std::vector<ScriptAction> steps, const std::string& shots_dir,
               std::ostream& out, std::ostream& err, std::istream* in = nullptr);

// Proportional set size of this process in KiB (0 when unknown).
long pss_kib();

}  // namespace motcua
