// The running kiosk: platform window, ImGui, the session and the event-driven loop.
// Rule: draw only when something changed; otherwise sleep until input or the session's
// next deadline (never a fixed tick).
#pragma once
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "devices/card/card_service.h"
#include "terminal/core/catalog.h"
#include "terminal/services/catalog_watcher.h"
#include "terminal/core/config.h"
#include "terminal/services/help_signal.h"
#include "terminal/services/volunteers.h"
#include "terminal/services/data_folder.h"
#include "terminal/core/answers.h"
#include "terminal/services/demo_sink.h"
#include "terminal/services/history.h"
#include "terminal/services/lookup_worker.h"
#include "terminal/services/submission.h"
#include "terminal/core/survey.h"
#include "terminal/core/working_days.h"
#include "terminal/core/locale.h"
#include "terminal/ui/platform.h"
#include "terminal/ui/waker.h"
#include "terminal/services/declaration_job.h"
#include "terminal/services/paper_printer.h"
#include "terminal/services/scan_service.h"
#include "terminal/ui/camera_view.h"
#include "terminal/services/metrics.h"
#include "terminal/services/service_notify.h"
#include "terminal/core/session.h"
#include "terminal/services/speech.h"
#include "terminal/ui/ui.h"

namespace motcua {

struct KioskOptions {
  std::string backend = "glfw";  // or "sdl2"
  WindowOptions window;
  std::string data_root;         // holds locales/ and assets/
  double redraw_every = 0;       // >0: benchmark baseline, redraw on a fixed tick as well
  bool check_steps = true;       // false: Next never stops on errors (author previews of empty forms)
  std::string banner;            // shown in red under the top bar (the author preview's lint errors)
  // A card reader to use instead of cardReader's (the visit bench's in-process virtual card).
  std::optional<CardPort> card_port;
};

struct LoopStats {
  long frames = 0;
  long wakeups = 0;
  // What earned each frame: a touch or key, the window system (an expose, a resize) or another
  // thread's news, a deadline come due (session timers, the card animation), or settling after
  // a change (ImGui's hover, press and auto-sized layout).
  long input_frames = 0, redraw_frames = 0, deadline_frames = 0, settle_frames = 0;
};

// One per process: it owns the ImGui context and the platform's global state.
class Kiosk {
 public:
  // Throws InputError (holidays file, envelope key, a data folder that is read-only, full or
  // taken by another kiosk) or outbox::StoreError before any window opens.
  Kiosk(KioskConfig config, Strings strings, Catalog catalog, KioskOptions options);
  ~Kiosk();

  // Opens the window and starts ImGui on it, all on this thread; false with a reason.
  bool open(std::string& error);
  // The same in parts, for main.cpp to build the kiosk and its fonts on another thread while the
  // window opens: prepare_fonts() (throws FontError) before any ImGui context exists, given the
  // panel's density as the platform measured it (0: unknown), then open() with the window.
  void prepare_fonts(double measured_px_per_mm);
  bool open(std::unique_ptr<Platform> window, std::string& error);
  // Runs until the window closes, or for `seconds` of real time when given.
  LoopStats run(std::optional<double> seconds = std::nullopt);

  // One frame. Returns true when what is shown changed (so more frames may be needed).
  bool frame();
  void settle();  // frames until the screen stops changing (layout and press/release need a few)
  // Frames rasterised and shown, and frames that found the picture on screen already right
  // (built, compared, not drawn again).
  long frames_presented() const { return frames_presented_; }
  long frames_unchanged() const { return frames_unchanged_; }
  void expose() { exposed_ = true; }  // the next frame rasterises, as after a window-system expose
  std::uint64_t shown_picture() const { return shown_picture_; }  // fingerprint of what is on screen

  // Scripted input for the next frame, applied over what the platform reported.
  struct Injected {
    std::optional<ImVec2> mouse;
    bool mouse_down = false;
    std::string text;
    int key = -1;  // ImGuiKey_ to press for one frame
    float wheel = 0;  // mouse wheel notches for one frame (negative: down the page)
  };
  void inject(Injected in) { injected_ = std::move(in); }
  void advance_clock(double seconds);
  Submission* submission() { return submission_.get(); }
  const Catalog& catalog() const { return catalog_; }
  History& history() { return history_; }
  TimePoint now() const;
  void capture_next_frame(std::string png_path) { capture_path_ = std::move(png_path); }
  const std::string& capture_error() const { return capture_error_; }

  const std::map<std::string, WidgetRect>& widgets() const { return widgets_; }
  Session& session() { return session_; }
  const PaperPrinter& paper_printer() const { return paper_printer_; }
  const DeclarationJob* declaration_job() const { return declaration_job_.get(); }  // null: no declarationPrinter
  const Speaker* speaker() const { return speaker_.get(); }
  int width() const { return fb_w_; }
  int height() const { return fb_h_; }
  float pixels_per_mm() const { return px_per_mm_; }
  std::optional<TimePoint> first_frame_at() const { return first_frame_at_; }  // real clock

 private:
  LookupPort lookup_port();  // the session's status lookup through lookup_worker_; empty without a portal
  void build_atlas();
  void rebuild_fonts();
  void print_receipt();
  int printing_key() const;
  void print_apology();
  void print_answers();
  void print_checklist();
  void print_declaration();
  void refresh_staff_figures();
  void export_stats();
  void read_aloud(Ui& ui);
  void between_frames();
  bool camera_wanted() const;
  std::uint64_t picture_hash() const;
  void start_what_steps_start();
  void build_ui(Ui& ui, TimePoint t);
  void present(ImDrawData* data, std::uint64_t picture);
  std::string issue_ticket(const Category& c, bool priority, const std::string& lang);
  std::string view_key() const;
  int declaration_state() const { return declaration_job_ ? static_cast<int>(declaration_job_->state()) : 0; }
  // Writes the fleet-health file when metricsDir is set and the last one is older than 15 s
  // (or `now` is forced): called from frames and from the idle loop without drawing.
  void publish_metrics(bool force = false);

  KioskConfig config_;
  Strings strings_;
  Catalog catalog_;
  KioskOptions options_;
  // Before every service that wakes the loop from its thread: built first, destroyed last.
  Waker waker_;
  std::unique_ptr<CatalogWatcher> catalog_watcher_;  // a portal with signed catalogs is configured
  std::atomic<bool> outbox_dirty_{true};  // before submission_: its sender thread may set it at once
  WorkingCalendar calendar_;
  forms::AdminUnits places_;
  Survey survey_;
  outbox::FolderLock folder_lock_;  // this process alone uses config_.data_dir (before any file in it)
  bool data_dir_private_;  // before anything opens a file in it: 0700, older files tightened to 0600
  History history_;
  DemoSink demo_sink_;
  std::unique_ptr<Submission> submission_;  // a portal is configured: dossiers go through the outbox
  std::unique_ptr<LookupWorker> lookup_worker_;  // with submission_: the status lookup, off the screen's thread
  outbox::Summary outbox_summary_;
  SteadyClock::time_point outbox_read_at_{};
  VolunteerGate volunteer_gate_;
  VolunteerGate staff_gate_;
  StaffFigures staff_figures_;
  unsigned export_requests_seen_ = 0;
  std::shared_ptr<const card::CscaStore> csca_;       // cscaFile, loaded at start (shared with reads in flight)
  std::unique_ptr<card::CardService> card_service_;   // cardReader is not "none"
  std::unique_ptr<ScanService> scan_service_;         // scanner is not "none": the papers step
  std::unique_ptr<CameraView> camera_view_;           // the scanner is a document camera: its live picture
  PagePreviews previews_;                             // pictures of the scanned pages, dropped with the session
  Session session_;
  PaperPrinter paper_printer_;
  std::unique_ptr<DeclarationJob> declaration_job_;  // declarationPrinter is set: the receipt's "In tờ khai"
  std::unique_ptr<Speaker> speaker_;  // started the first time someone turns read-aloud on
  std::string announced_screen_;             // the screen and its news, as last read aloud
  std::string announced_view_;               // the screen and its answers to taps: a new one is read from the top
  std::vector<size_t> announced_lines_;      // hashes of the lines read (never the words: they may hold answers)
  unsigned read_requests_seen_ = 0;
  unsigned apology_requests_seen_ = 0;
  unsigned answers_print_requests_seen_ = 0;
  unsigned checklist_print_requests_seen_ = 0;
  unsigned declaration_print_requests_seen_ = 0;
  unsigned receipt_job_ = 0, ticket_job_ = 0;  // this visit's receipt and queue ticket, each shown by its own state
  unsigned checklist_job_ = 0;  // the checklist's job, which the procedure page's printer state shows
  bool help_call_due() const;
  unsigned staff_calls_seen_ = 0;  // the session's presses of "Cần giúp đỡ" already acted on
  HelpSignal help_signal_{config_.help_command, config_.help_url, [this] { waker_.wake(); }};
  StartCount starts_;
  int help_calls_today_ = 0;
  std::string help_day_;
  std::string printer_health_ = "unknown";
  std::optional<TimePoint> metrics_written_at_;  // real clock
  std::string metrics_error_;
  unsigned untrusted_cards_seen_ = 0;
  Step last_step_ = Step::Attract;
  std::unique_ptr<Platform> platform_;
  ServiceNotifier service_;
  std::unique_ptr<ImFontAtlas> atlas_;  // built before the ImGui context, which shares it
  Fonts fonts_;
  int fonts_percent_ = 0;
  bool themed_contrast_ = false;
  float px_per_mm_ = 4.0f;
  int fb_w_ = 0, fb_h_ = 0;
  unsigned seen_generation_ = 0;
  std::map<std::string, WidgetRect> widgets_;
  std::optional<Injected> injected_;
  int release_key_ = -1;
  SteadyClock::duration clock_offset_{};
  std::string capture_path_, capture_error_;
  std::optional<TimePoint> first_frame_at_;
  bool touched_ = false;  // the frames settling now follow input (run())
  bool exposed_ = false;  // the window system asked for a redraw: the picture must be drawn again
  std::uint64_t shown_picture_ = 0;  // fingerprint of the frame on screen
  long frames_presented_ = 0, frames_unchanged_ = 0;
  bool imgui_ready_ = false;
};

// Zeroes ImGui's private copies of text being edited (undo buffer included).
void wipe_imgui_text_state();

}  // namespace motcua
