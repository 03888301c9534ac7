// Running CUPS's lp: the one way MotCua hands a job to CUPS (a raw receipt queue, an A4 declaration).
// Rules: no shell between (a queue's name or a title is never read as a command); every
// descriptor is close-on-exec, so no other child keeps lp's input open; lp's input is a socket,
// so an lp that has gone gives EPIPE, not a SIGPIPE that would end the kiosk; lp has 30 s.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace motcua::printer {

struct LpRun {
  int exit_status = 0;        // lp's exit status; -1 when a signal ended it
  int signal = 0;             // that signal
  std::string said;           // lp's stdout and stderr, trailing blanks cut, at most 4 KiB
  std::string write_failed;   // why the input did not all reach lp ("" when it did)
  bool ok() const { return exit_status == 0 && write_failed.empty(); }
  std::string why() const;    // for a run that is not ok: lp's words, else the write's, else its end
};

// Runs `lp ARGS...`. With input, lp reads it on stdin under stall_ms and total_ms (as a printer
// would); an lp that stops reading is killed, so a job cut short is never queued. Without input,
// stdin is /dev/null. Throws PrintError, prefixed "NAME: ", when lp cannot run or does not end in 30 s.
LpRun run_lp(const std::vector<std::string>& args, const std::string& name,
             const std::vector<uint8_t>* input = nullptr, int stall_ms = 5000, int total_ms = 60000);

}  // namespace motcua::printer
