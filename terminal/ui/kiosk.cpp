#include "terminal/ui/kiosk.h"

#include "devices/printer/documents.h"
#include "terminal/core/procedure_facts.h"

#include "terminal/services/card_port.h"

#include <GL/gl.h>
#include <malloc.h>
#include <imgui_internal.h>
#include <backends/imgui_impl_opengl3.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <thread>

#include "forms/model.h"
#include "terminal/core/answer_lines.h"
#include "terminal/core/answers.h"
#include "terminal/ui/fonts.h"
#include "terminal/core/input.h"
#include "terminal/services/private_files.h"
#include "terminal/services/queue_numbers.h"
#include "terminal/services/receipt_request.h"
#include "terminal/ui/screens/screens.h"
#include "terminal/ui/screenshot.h"

namespace motcua {

namespace {
// Frames drawn after input changes anything: ImGui settles hover, press and auto-sized layout
// over two frames; the third confirms nothing moves any more.
constexpr int kSettleFrames = 3;
// After a change nobody's finger made (a countdown's second, another thread's news) there is no
// hover or press to settle: one frame lets auto-sized layout catch up.
constexpr int kSettleFramesUntouched = 1;
constexpr double kDefaultPixelsPerMm = 96.0 / 25.4;

// Once the GPU has the atlas, its pixels and the TTF files it was built from (1.5 MB) go; a text
// size change builds a new atlas from the files. malloc_trim hands the freed pages back now, not
// whenever the top of the heap happens to shrink.
void drop_font_sources(ImFontAtlas& atlas) {
  atlas.ClearTexData();
  atlas.ClearInputData();
  malloc_trim(0);
}

// The atlas goes to the GPU as one byte a pixel, read as white with that coverage as alpha
// (texture swizzle: GL 3.3, or ARB_texture_swizzle that Mesa has on 3.0), not as ImGui's four
// bytes: the driver keeps 0.5 MB instead of 2. Where swizzling is refused, ImGui's own texture.
void upload_font_atlas(ImFontAtlas& atlas) {
  unsigned char* pixels = nullptr;
  int width = 0, height = 0;
  atlas.GetTexDataAsAlpha8(&pixels, &width, &height);
  GLint last = 0;
  glGetIntegerv(GL_TEXTURE_BINDING_2D, &last);
  GLuint texture = 0;
  glGenTextures(1, &texture);
  glBindTexture(GL_TEXTURE_2D, texture);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  while (glGetError() != GL_NO_ERROR) {
  }
  const GLint white_with_alpha[] = {GL_ONE, GL_ONE, GL_ONE, GL_RED};
  glTexParameteriv(GL_TEXTURE_2D, GL_TEXTURE_SWIZZLE_RGBA, white_with_alpha);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, width, height, 0, GL_RED, GL_UNSIGNED_BYTE, pixels);
  const bool taken = glGetError() == GL_NO_ERROR;
  glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(last));
  if (!taken) {
    glDeleteTextures(1, &texture);
    ImGui_ImplOpenGL3_CreateFontsTexture();
    return;
  }
  atlas.SetTexID(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(texture)));
}

// ImGui's backend makes its shaders and, with them, a font texture of four bytes a pixel from
// the whole atlas (a 2 MB conversion and upload that the kiosk's own one-byte texture replaces at
// once). It is shown a one-pixel atlas instead, whose texture is deleted straight away.
bool create_renderer_without_font_texture(ImGuiIO& io) {
  ImFontAtlas* fonts = io.Fonts;
  ImFontAtlas one_pixel;
  one_pixel.TexWidth = one_pixel.TexHeight = 1;
  one_pixel.TexPixelsRGBA32 = static_cast<unsigned int*>(IM_ALLOC(4));
  *one_pixel.TexPixelsRGBA32 = 0xFFFFFFFFu;
  io.Fonts = &one_pixel;
  bool made = ImGui_ImplOpenGL3_CreateDeviceObjects();
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  io.Fonts = fonts;
  return made;
}

// Either texture: ImGui's (its backend forgets it and clears TexID) or ours.
void delete_font_texture(ImFontAtlas& atlas) {
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  if (auto texture = static_cast<GLuint>(reinterpret_cast<intptr_t>(atlas.TexID))) {
    glDeleteTextures(1, &texture);
    atlas.SetTexID(nullptr);
  }
}
// Passes over a screen that a tap just opened, at most: a layout settles in two or three.
constexpr int kLayoutPasses = 4;

// A fingerprint of everything a frame would rasterise: two frames with the same one draw the
// same pixels. Eight bytes a step, so a full screen's vertices cost a fraction of a millisecond.
std::uint64_t mix(std::uint64_t h, const void* data, size_t size) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (; size >= 8; p += 8, size -= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * 0x9E3779B97F4A7C15ull;
    h ^= h >> 29;
  }
  for (; size > 0; ++p, --size) h = (h ^ *p) * 0x100000001B3ull;
  return h;
}

std::uint64_t draw_data_hash(const ImDrawData* data, bool contrast) {
  std::uint64_t h = mix(0xCBF29CE484222325ull, &contrast, sizeof contrast);
  h = mix(h, &data->DisplaySize, sizeof data->DisplaySize);
  for (int i = 0; i < data->CmdListsCount; ++i) {
    const ImDrawList* list = data->CmdLists[i];
    h = mix(h, list->VtxBuffer.Data, static_cast<size_t>(list->VtxBuffer.Size) * sizeof(ImDrawVert));
    h = mix(h, list->IdxBuffer.Data, static_cast<size_t>(list->IdxBuffer.Size) * sizeof(ImDrawIdx));
    for (const ImDrawCmd& cmd : list->CmdBuffer) {
      std::uint64_t fields[] = {reinterpret_cast<std::uintptr_t>(cmd.TextureId), cmd.VtxOffset, cmd.IdxOffset, cmd.ElemCount,
                                reinterpret_cast<std::uintptr_t>(cmd.UserCallback)};
      h = mix(h, fields, sizeof fields);
      h = mix(h, &cmd.ClipRect, sizeof cmd.ClipRect);
    }
  }
  return h;
}

forms::AdminUnits load_places(const std::string& path) {
  try {
    return forms::AdminUnits::load(path);
  } catch (const forms::AdminUnitsError& e) {
    throw InputError(e.what());  // an unusable data file stops the kiosk with exit 2, naming the line
  }
}
}  // namespace

void wipe_imgui_text_state() {
  ImGuiContext* g = ImGui::GetCurrentContext();
  if (!g) return;
  ImGui::ClearActiveID();
  ImGuiInputTextState& st = g->InputTextState;
  auto zero = [](auto& v) {
    if (v.Data) secure_zero(v.Data, static_cast<size_t>(v.Capacity) * sizeof(v.Data[0]));
    v.clear();
  };
  zero(st.TextW);
  zero(st.TextA);
  zero(st.InitialTextA);
  secure_zero(&st.Stb, sizeof st.Stb);  // holds the undo characters
  st.ID = 0;
  st.CurLenA = st.CurLenW = 0;
  st.TextAIsValid = false;
  // Typed characters wait here (UTF-16) and stay after ImGui empties the queue without freeing it.
  ImVector<ImWchar>& queue = ImGui::GetIO().InputQueueCharacters;
  if (queue.Data) secure_zero(queue.Data, static_cast<size_t>(queue.Capacity) * sizeof(ImWchar));
  queue.resize(0);
  secure_zero(g->TempBuffer, sizeof g->TempBuffer);  // the last text formatted for drawing
}

Kiosk::Kiosk(KioskConfig config, Strings strings, Catalog catalog, KioskOptions options)
    : config_(std::move(config)),
      strings_(std::move(strings)),
      catalog_(std::move(catalog)),
      options_(std::move(options)),
      calendar_(WorkingCalendar::load(resolve(config_.holidays_file, options_.data_root))),
      places_(load_places(resolve(config_.places_file, options_.data_root))),
      survey_(Survey::load(resolve(config_.survey_file, options_.data_root), config_.locales)),
      folder_lock_(take_data_folder(config_.data_dir)),
      data_dir_private_((make_data_dir_private(config_.data_dir), true)),
      history_(config_.data_dir + "/history.sqlite"),
      demo_sink_(config_.kiosk_id, calendar_, config_.data_dir + "/demo-references.json"),
      submission_(config_.endpoint == "demo" ? nullptr
                                             : std::make_unique<Submission>(config_, options_.data_root, calendar_, [this] {
                                                 outbox_dirty_ = true;
                                                 waker_.wake();
                                               })),
      lookup_worker_(config_.endpoint == "demo"
                         ? nullptr
                         : std::make_unique<LookupWorker>(
                               [this](const std::string& code) {
                                 DossierStatus st = submission_->lookup(code);
                                 history_.record_status(st, std::time(nullptr));  // on time or late: every answer the portal gave
                                 return st;
                               },
                               [this] { waker_.wake(); })),
      volunteer_gate_(config_.volunteers, config_.data_dir + "/volunteer-sign-in.json"),
      staff_gate_(config_.staff, config_.data_dir + "/staff-sign-in.json"),
      csca_(config_.csca_file.empty()
                ? nullptr
                : std::make_shared<const card::CscaStore>(card::CscaStore::load(resolve(config_.csca_file, options_.data_root)))),
      card_service_(config_.card_reader == "none"
                        ? nullptr
                        : std::make_unique<card::CardService>(config_.card_reader == "auto" ? "" : config_.card_reader,
                                                              [this] { waker_.wake(); })),
      scan_service_(config_.scanner == "none" ? nullptr
                                              : std::make_unique<ScanService>(config_, [this] { waker_.wake(); })),
      session_(config_, catalog_,
               SessionServices{
                   [this](const forms::FormPackage& f, const std::string& uuid, const PersonalData& d, bool assisted) {
                     return submission_ ? submission_->submit(f, uuid, d, assisted) : demo_sink_(f, uuid, d, assisted);
                   },
                   [this](const Category& c, bool priority, const std::string& lang) { return issue_ticket(c, priority, lang); },
                   config_.volunteers.empty() ? VolunteerCheck{} : VolunteerCheck{[this](std::string_view pin) {
                     auto r = volunteer_gate_.sign_in(pin, VolunteerGate::Clock::now());
                     return PinCheck{r.volunteer, r.locked_seconds};
                   }},
                   options_.check_steps ? StepValidator(validate_step) : StepValidator{},
                   [this](const Evaluation& e, std::string_view comment) {
                     // Kept for the statistics (never the comment), then sent to the portal.
                     if (history_.record_evaluation(e, std::time(nullptr)) && submission_)
                       submission_->submit_evaluation(e, comment);
                   },
                   lookup_port(),
                   [this](const SessionRecord& r) { history_.record_session(r, config_.kiosk_id); },
                   [this](const std::string& code) { return history_.evaluated(code); },
                   config_.staff.empty() ? VolunteerCheck{} : VolunteerCheck{[this](std::string_view pin) {
                     auto r = staff_gate_.sign_in(pin, VolunteerGate::Clock::now());
                     return PinCheck{r.volunteer, r.locked_seconds};
                   }},
                   options_.card_port ? *options_.card_port
                   : card_service_    ? make_card_port(*card_service_, csca_)
                                      : CardPort{},
                   &places_,
                   scan_service_ ? make_scan_port(*scan_service_) : ScanPort{},
                   config_.endpoint == "demo" ? PortalAnswer{} : PortalAnswer{[this](const std::string& uuid) {
                     return submission_ ? submission_->portal_answer(uuid) : std::optional<SubmitReceipt>(SubmitReceipt{});
                   }}},
               survey_),
      paper_printer_(config_, strings_, options_.data_root, [this] { waker_.wake(); }) {
  // Holidays are published year by year: a file that has not been updated must be noticed, and
  // from October next year's too, since dates counted now may reach into it.
  int year = std::atoi(local_time("%Y").c_str()), month = std::atoi(local_time("%m").c_str());
  for (int y : {year, year + 1})
    if ((y == year || month >= 10) && !calendar_.knows_year(y))
      std::fprintf(stderr, "motcua: staff alert: %s lists no public holidays for %d; appointment dates there skip weekends, 1/1, 30/4, 1/5 and 2/9 only\n",
                   config_.holidays_file.c_str(), y);
  if (config_.endpoint != "demo" && !config_.catalog_key_file.empty())
    catalog_watcher_ = std::make_unique<CatalogWatcher>(config_, options_.data_root, [this] { waker_.wake(); });
  if (!config_.metrics_dir.empty()) starts_ = count_start(config_.data_dir);
  if (!config_.declaration_printer.empty())
    declaration_job_ = std::make_unique<DeclarationJob>(config_.declaration_printer, config_.data_dir, strings_,
                                                        [this] { waker_.wake(); });
  if (scan_service_ && scan_service_->camera()) camera_view_ = std::make_unique<CameraView>(*scan_service_->camera());
  if (!config_.single_form.empty()) session_.open_form(config_.single_form, config_.locales.front(), now());
}

Kiosk::~Kiosk() {
  session_.apply({Intent::Kind::EndSession}, now());
  if (!config_.metrics_dir.empty()) {
    publish_metrics(true);
    clean_exit(config_.data_dir);
  }
  // The threads that wake the window end here (declarations, catalog sync, scans, sending) or
  // wake nothing once the waker is detached below: the paper printer finishes the job on paper as
  // the kiosk's members go, and the card reader's thread runs until then.
  declaration_job_.reset();
  catalog_watcher_.reset();
  if (camera_view_ && imgui_ready_) camera_view_->drop();  // the GL context is still there
  camera_view_.reset();  // before the preview it shows
  scan_service_.reset();
  if (submission_) submission_->cut_lookups_short();
  lookup_worker_.reset();  // before the submission it asks through
  submission_.reset();
  if (imgui_ready_) {
    wipe_imgui_text_state();
    previews_.drop();  // while the GL context is there
    delete_font_texture(*atlas_);
    ImGui_ImplOpenGL3_Shutdown();
  }
  speaker_.reset();  // it may be speaking through SDL2's audio, which the SDL2 window's close ends
  waker_.attach(nullptr);  // the card reader's thread still runs: it wakes nothing from here on
  if (platform_) platform_->close();
  if (imgui_ready_) ImGui::DestroyContext();
}

bool Kiosk::open(std::string& error) {
  std::unique_ptr<Platform> window = make_platform(options_.backend);
  if (!window->connect(error)) return false;
  try {
    prepare_fonts(window->pixels_per_mm());
  } catch (const std::exception& e) {
    error = e.what();
    return false;
  }
  return window->open(options_.window, error) && open(std::move(window), error);
}

void Kiosk::prepare_fonts(double measured) {
  // Monitors that report nonsense sizes (projectors, Xvfb) fall back to 96 dpi.
  px_per_mm_ = static_cast<float>(config_.pixels_per_mm > 0 ? config_.pixels_per_mm
                                  : (measured > 1.5 && measured < 20) ? measured
                                                                      : kDefaultPixelsPerMm);
  atlas_ = std::make_unique<ImFontAtlas>();
  build_atlas();
}

bool Kiosk::open(std::unique_ptr<Platform> window, std::string& error) {
  platform_ = std::move(window);
  waker_.attach(platform_.get());
  IMGUI_CHECKVERSION();
  ImGui::CreateContext(atlas_.get());
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // a kiosk keeps no window layout on disk
  io.LogFilename = nullptr;
  io.ConfigInputTextCursorBlink = false;  // blinking would need a frame every half second
  platform_->show();
  // Shaders now, not in the first frame's NewFrame: that would upload the atlas again, and, its
  // pixels freed below, build the whole atlas a second time first.
  if (!ImGui_ImplOpenGL3_Init("#version 130") || !create_renderer_without_font_texture(io)) {
    error = "OpenGL 3 renderer could not start";
    platform_->close();
    ImGui::DestroyContext();
    return false;
  }
  imgui_ready_ = true;
  upload_font_atlas(*atlas_);
  drop_font_sources(*atlas_);
  apply_theme(px_per_mm_, std::round(3.0f * px_per_mm_), palette(false));
  return true;
}

void Kiosk::build_atlas() {
  float body_px = std::round(static_cast<float>(config_.text_mm) * px_per_mm_ * session_.text_percent() / 100.0f);
  fonts_ = build_fonts(*atlas_, body_px);
  fonts_percent_ = session_.text_percent();
}

void Kiosk::rebuild_fonts() {
  delete_font_texture(*atlas_);
  build_atlas();
  upload_font_atlas(*atlas_);
  drop_font_sources(*atlas_);
}

LookupPort Kiosk::lookup_port() {
  if (!lookup_worker_) return {};
  LookupPort port;
  port.start = [this](const std::string& code) { lookup_worker_->start(code); };
  port.poll = [this] { return lookup_worker_->poll(); };
  return port;
}

TimePoint Kiosk::now() const { return SteadyClock::now() + clock_offset_; }

void Kiosk::advance_clock(double seconds) {
  clock_offset_ += std::chrono::duration_cast<SteadyClock::duration>(std::chrono::duration<double>(seconds));
}

// The printer's news on screen: the latest job's, and the receipt's and the queue ticket's own,
// so the receipt's "printed" is seen and read aloud even when a ticket started after it.
int Kiosk::printing_key() const {
  return static_cast<int>(paper_printer_.state()) + 8 * static_cast<int>(paper_printer_.state_of(receipt_job_)) +
         64 * static_cast<int>(paper_printer_.state_of(ticket_job_));
}

std::string Kiosk::view_key() const {
  const Session& s = session_;
  char buf[256];
  std::snprintf(buf, sizeof buf, "%s|%u|%s|%d|%d|%d|%d|%s|%d|%zu|%d|%zu|%d|%d|%d|%d|%d", step_name(s.step()), s.generation(),
                s.language().c_str(), s.form_step(), s.asking_more_time(), s.more_time_seconds_left(now()),
                s.waiting_for_card(), s.category().c_str(), s.text_percent(), s.submit_error().size(), s.waiting_for_portal(),
                s.reference().size(), printing_key(), s.high_contrast() + 8 * static_cast<int>(s.step_errors().size()),
                // a scan ending (on the worker's wake) changes the papers screen
                s.scanning() + 2 * static_cast<int>(s.scan_problem()) + 64 * declaration_state(), s.capture_index(),
                s.data().documents().page_count());
  return buf;
}

bool Kiosk::frame() {
  TimePoint t = now();
  std::string before = view_key();
  // Window-system events queued so far reach ImGui in this frame, and an expose among them is
  // answered by it: a stale one (the map before a scenario's first frames) earns no redraw later.
  platform_->poll();
  if (platform_->take_redraw()) exposed_ = true;
  // A newly synced catalog replaces the old one only while nobody is using the kiosk (a resting
  // form is opened again from the new catalog; without it, the attract screen).
  if (catalog_watcher_ && (session_.step() == Step::Attract || session_.resting()))
    if (auto dir = catalog_watcher_->take_new()) {
      Catalog fresh = Catalog::load(*dir);
      if (fresh.problems.empty() && fresh.size() > 0) {
        catalog_ = std::move(fresh);
        session_.catalog_replaced();
      }
    }
  session_.tick(t);
  publish_metrics();
  between_frames();

  ImGui_ImplOpenGL3_NewFrame();
  platform_->new_frame();
  ImGuiIO& io = ImGui::GetIO();
  if (release_key_ >= 0) { io.KeysDown[io.KeyMap[release_key_]] = false; release_key_ = -1; }
  if (injected_) {
    io.MousePos = injected_->mouse ? *injected_->mouse : ImVec2(-FLT_MAX, -FLT_MAX);
    io.MouseDown[0] = injected_->mouse_down;
    if (!injected_->text.empty()) io.AddInputCharactersUTF8(injected_->text.c_str());
    secure_zero(injected_->text.data(), injected_->text.capacity());  // typed: a citizen's, short ones in place
    if (injected_->key >= 0) { io.KeysDown[io.KeyMap[injected_->key]] = true; release_key_ = injected_->key; }
    io.MouseWheel += injected_->wheel;
    injected_->wheel = 0;
    injected_->text.clear();
    injected_->key = -1;
  }

  Ui first{session_, strings_};
  build_ui(first, t);
  // A tap is answered by the frame that sees it, not the next: its intents are applied now and
  // the screen is built again before anything is rasterised (rasterising is the whole cost of a
  // frame on a software renderer; building one is under a millisecond). ImGui lays a changed
  // screen out from the previous pass's sizes (scroll limits, auto-sized parts), so it is built
  // until two passes agree and the one picture drawn is the final one.
  const bool acted = !first.intents.empty() || first.relayout;
  std::optional<Ui> redone;
  std::uint64_t picture = picture_hash();
  if (acted) {
    for (auto& intent : first.intents) session_.apply(intent, t);
    session_.tick(t);
    start_what_steps_start();  // the receipt printing shows on the receipt's first picture
    std::uint64_t previous = picture;
    for (int pass = 0; pass < kLayoutPasses; ++pass) {
      between_frames();
      io.DeltaTime = 1e-4f;  // the same instant: no input is new, nothing repeats or animates
      redone.emplace(Ui{session_, strings_});
      build_ui(*redone, t);
      picture = picture_hash();
      if (picture == previous || !redone->intents.empty()) break;
      previous = picture;
    }
    redone->say_now.insert(redone->say_now.begin(), first.say_now.begin(), first.say_now.end());
  }
  Ui& ui = redone ? *redone : first;
  present(ImGui::GetDrawData(), picture);

  read_aloud(ui);
  widgets_ = std::move(ui.widgets);
  if (redone)  // what the new screen asked for on its first pass (first's intents are applied)
    for (auto& intent : redone->intents) session_.apply(intent, t);
  session_.tick(t);
  start_what_steps_start();
  return acted || (redone && !redone->intents.empty()) || view_key() != before;
}

// Arriving on the receipt prints it, on the staff screen reads the figures; an export asked for
// runs; the procedure page's checklist job is forgotten once the page is left.
void Kiosk::start_what_steps_start() {
  // The checklist's print state belongs to the procedure page: once the page is left and the job
  // is over, it is forgotten, so no later screen reads "printed" about another paper.
  // Off the procedure page its checklist's state is forgotten once printed, unless a later job
  // (a ticket, a receipt) is what the printer's state follows by then.
  if (checklist_job_ && session_.step() != Step::Procedure) {
    if (paper_printer_.latest() != checklist_job_) {
      checklist_job_ = 0;
    } else if (paper_printer_.state() != PaperPrinter::State::Printing) {
      paper_printer_.reset();
      checklist_job_ = 0;
    }
  }
  if (session_.step() == Step::Receipt && last_step_ != Step::Receipt) print_receipt();
  if (session_.step() == Step::Staff && last_step_ != Step::Staff) refresh_staff_figures();
  if (session_.export_requests() != export_requests_seen_) {
    export_requests_seen_ = session_.export_requests();
    export_stats();
  }
  last_step_ = session_.step();
}

// The camera streams only while the papers screen offers to take a picture, and no scan process
// (a cancelled one not yet reaped) still holds it.
bool Kiosk::camera_wanted() const {
  if (session_.step() != Step::Capture || session_.scanning() || scan_service_->busy()) return false;
  const forms::Document* doc = session_.capture_document();
  if (!doc) return false;
  const CapturedDocument* have = session_.data().documents().find(doc->id);
  return !have || static_cast<int>(have->pages.size()) < std::max(doc->max_pages, 1);
}

// What changes between two ImGui passes: a new session's wipe, the text size, the contrast.
void Kiosk::between_frames() {
  if (session_.generation() != seen_generation_) {
    wipe_imgui_text_state();
    previews_.drop();  // the scanned pages' pictures go with their session
    scrub_stack();  // the frames that built, checked and sealed the dossier lay below this one
    if (speaker_) {
      speaker_->stop();
      speaker_->clear_history();
    }
    announced_screen_.clear();
    announced_view_.clear();
    announced_lines_.clear();
    paper_printer_.reset();
    receipt_job_ = ticket_job_ = 0;
    if (declaration_job_) declaration_job_->reset();
    seen_generation_ = session_.generation();
  }
  if (camera_view_) camera_view_->want(camera_wanted());
  if (fonts_percent_ != session_.text_percent()) rebuild_fonts();
  if (themed_contrast_ != session_.high_contrast()) {
    themed_contrast_ = session_.high_contrast();
    apply_theme(px_per_mm_, std::round(3.0f * px_per_mm_), palette(themed_contrast_));
  }
}

// A press to act on: the visit's first, or one after a call whose signal failed (a second press
// while staff are told, or being told, calls nobody twice).
bool Kiosk::help_call_due() const {
  const unsigned calls = session_.staff_calls();
  if (calls <= staff_calls_seen_) return false;
  return staff_calls_seen_ == 0 || (help_signal_.configured() && help_signal_.last() == HelpSignal::Outcome::Failed);
}

void Kiosk::build_ui(Ui& ui, TimePoint t) {
  ImGui::NewFrame();
  ui.fonts = fonts_;
  ui.paper_printer = &paper_printer_;
  ui.receipt_job = receipt_job_;
  ui.ticket_job = ticket_job_;
  // Pressed but not yet raised (read_aloud raises after the frame): calling, never the last visit's outcome.
  if (!help_signal_.configured()) ui.help_call = Ui::HelpCall::NoBell;
  else if (help_call_due()) ui.help_call = Ui::HelpCall::Calling;
  else ui.help_call = help_signal_.last() == HelpSignal::Outcome::Delivered ? Ui::HelpCall::Called
                    : help_signal_.last() == HelpSignal::Outcome::Failed  ? Ui::HelpCall::Failed
                                                                          : Ui::HelpCall::Calling;
  ui.declaration = declaration_job_.get();
  ui.staff = &staff_figures_;
  ui.previews = &previews_;
  ui.camera = camera_view_.get();
  ui.banner = options_.banner;
  if (submission_) {
    // Read from SQLite only when the sender reported a change, or once a minute for the ages.
    auto clock = SteadyClock::now();
    if (outbox_dirty_.exchange(false) || clock - outbox_read_at_ > std::chrono::seconds(60)) {
      outbox_summary_ = submission_->store().summary();
      outbox_read_at_ = clock;
    }
    ui.outbox = &outbox_summary_;
  }
  ui.pal = palette(session_.high_contrast());
  ui.px_per_mm = px_per_mm_;
  ui.touch_px = std::round(static_cast<float>(config_.min_touch_mm) * px_per_mm_);
  ui.gap_px = std::round(3.0f * px_per_mm_);
  ui.now = t;
  draw_kiosk(ui);
  ImGui::Render();
}

// What is on screen: ImGui's draw data, and the camera's newest frame (same texture, new pixels).
std::uint64_t Kiosk::picture_hash() const {
  std::uint64_t h = draw_data_hash(ImGui::GetDrawData(), session_.high_contrast());
  return camera_view_ ? h ^ (camera_view_->uploads() * 0x9E3779B97F4A7C15ull) : h;
}

// Rasterises and shows the frame, unless it is exactly the picture already on screen (a settle
// frame after a tap, usually): the window keeps showing it and the renderer rests.
void Kiosk::present(ImDrawData* data, std::uint64_t picture) {
  int w = 0, h = 0;
  platform_->framebuffer_size(w, h);
  bool needed = !first_frame_at_ || !capture_path_.empty() || exposed_ || w != fb_w_ || h != fb_h_ || picture != shown_picture_;
  exposed_ = false;
  if (!needed) {
    ++frames_unchanged_;
    return;
  }
  fb_w_ = w, fb_h_ = h;
  shown_picture_ = picture;
  glViewport(0, 0, fb_w_, fb_h_);
  ImVec4 bg = ImGui::ColorConvertU32ToFloat4(palette(session_.high_contrast()).background);
  glClearColor(bg.x, bg.y, bg.z, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(data);
  if (!capture_path_.empty()) {
    capture_error_ = write_framebuffer_png(capture_path_, fb_w_, fb_h_);
    capture_path_.clear();
  }
  platform_->present();
  ++frames_presented_;
  if (!first_frame_at_) {
    glFinish();  // the first frame counts once it is really on screen
    first_frame_at_ = SteadyClock::now();
    service_.ready();
  }
}

void Kiosk::read_aloud(Ui& ui) {
  const Session& s = session_;
  if (s.staff_calls() != staff_calls_seen_) {
    const bool due = help_call_due();
    staff_calls_seen_ = s.staff_calls();
    if (due) {
      // Where the citizen is, so staff know what to help with; never who it is.
      std::string where = s.step() == Step::Form ? "form:" + std::to_string(s.step_number()) : step_name(s.step());
      if (s.assisted())
        std::fprintf(stderr, "motcua: staff alert: volunteer %s at kiosk %s asks for a staff member (step %s)\n",
                     s.volunteer().c_str(), config_.kiosk_id.c_str(), where.c_str());
      else
        std::fprintf(stderr, "motcua: staff alert: a citizen at kiosk %s asks for help (step %s)\n", config_.kiosk_id.c_str(),
                     where.c_str());
      help_signal_.raise(config_.kiosk_id, where);
      std::string today = local_time("%Y-%m-%d");
      if (today != help_day_) help_calls_today_ = 0, help_day_ = today;
      ++help_calls_today_;
      publish_metrics(true);
    }
  }
  if (s.untrusted_cards() != untrusted_cards_seen_) {
    untrusted_cards_seen_ = s.untrusted_cards();
    std::fprintf(stderr, "motcua: staff alert: kiosk %s refused a card's data (passive authentication %s, cardTrust); the citizen types by hand\n",
                 config_.kiosk_id.c_str(), card_verification_name(s.card_verification()));
  }
  if (s.apology_requests() != apology_requests_seen_) {
    apology_requests_seen_ = s.apology_requests();
    print_apology();
  }
  if (s.answers_print_requests() != answers_print_requests_seen_) {
    answers_print_requests_seen_ = s.answers_print_requests();
    print_answers();
  }
  if (s.checklist_print_requests() != checklist_print_requests_seen_) {
    checklist_print_requests_seen_ = s.checklist_print_requests();
    print_checklist();
  }
  if (s.declaration_print_requests() != declaration_print_requests_seen_) {
    declaration_print_requests_seen_ = s.declaration_print_requests();
    print_declaration();
  }
  // The volunteer's "read the help" speaks the screen once, whether read-aloud is on or not.
  if (s.read_requests() != read_requests_seen_) {
    read_requests_seen_ = s.read_requests();
    if (!speaker_) speaker_ = std::make_unique<Speaker>(config_.voice, config_.speech_output);
    std::string text;
    for (auto& line : ui.announce) text += (text.empty() ? "" : ". ") + line;
    speaker_->say(text, s.language());
  }
  if (!s.read_aloud()) {
    if (speaker_ && !announced_screen_.empty()) speaker_->stop();
    if (!announced_screen_.empty()) announced_screen_.clear();
    announced_view_.clear();
    announced_lines_.clear();
    return;
  }
  if (!speaker_) speaker_ = std::make_unique<Speaker>(config_.voice, config_.speech_output);
  speaker_->set_volume(s.volume());
  // A new screen (or the countdown appearing, or another language) is read from the top, and so
  // is the answer to a tap (errors after "Tiếp tục", a queue number, a help call): it cuts the
  // reading short, so the whole screen comes again. The printer's news alone is said by itself,
  // after the reading in progress: the receipt's code is not spelled again for "đang in", then
  // "đã in xong". A later tap's reading holds those lines too, so none is lost when it cuts in.
  const std::string view = std::string(step_name(s.step())) + "|" + std::to_string(s.form_step()) + "|" + s.language() +
                           "|" + std::to_string(s.asking_more_time()) + "|" + s.ticket_number() + "|" +
                           std::to_string(s.ticket_error().empty()) + "|" + std::to_string(s.step_errors().size()) + "|" +
                           std::to_string(s.refused_nexts()) + "|" + std::to_string(s.refused_confirms()) + "|" +
                           std::to_string(s.staff_called()) + "|" +
                           std::to_string(static_cast<int>(ui.help_call));  // "đang gọi" then "đã báo"
  const std::string screen = view + "|" + std::to_string(printing_key()) + "|" + std::to_string(declaration_state());
  if (screen != announced_screen_) {
    std::vector<size_t> lines;
    for (auto& line : ui.announce) lines.push_back(std::hash<std::string>{}(line));
    const bool printer_news = view == announced_view_;
    std::string text;
    for (size_t i = 0; i < lines.size(); ++i)
      if (!printer_news || std::find(announced_lines_.begin(), announced_lines_.end(), lines[i]) == announced_lines_.end())
        text += (text.empty() ? "" : ". ") + ui.announce[i];
    if (!text.empty() && printer_news) speaker_->say_next(text, s.language());
    else if (!text.empty()) speaker_->say(text, s.language());
    secure_zero(text.data(), text.size());  // a copy went to the speaker
    announced_screen_ = screen;
    announced_view_ = view;
    announced_lines_ = std::move(lines);
  }
  for (auto& line : ui.say_now) speaker_->say(line, s.language());
}

void Kiosk::print_receipt() {
  const std::string& lang = session_.language();
  receipt_job_ = paper_printer_.start("receipt",
                       receipt_request(*session_.form(), session_.receipt(), session_.reference(), lang, config_, catalog_,
                                       local_time("%Y-%m-%dT%H:%M:%S")),
                       lang);
}

// The apology notice for an overdue dossier (Phiếu xin lỗi và hẹn lại ngày trả kết quả).
void Kiosk::print_apology() {
  const auto& st = *session_.lookup_result();
  const std::string& lang = session_.language();
  std::string procedure = st.procedure;
  for (auto* f : catalog_.find("", ""))
    if (f->procedure_code == st.procedure) procedure = f->title.in(lang);
  nlohmann::json notice = {{"centerName", center_name(config_, lang)},
                           {"dossierCode", st.code},
                           {"procedureName", procedure.empty() ? "-" : procedure},
                           {"reason", st.reason.empty() ? "-" : st.reason},
                           {"receivedAt", st.received_at},
                           {"oldAppointmentAt", st.appointment},
                           {"newAppointmentAt", st.new_appointment}};
  if (!config_.hotline.empty()) notice["hotline"] = config_.hotline;
  paper_printer_.start("apology", std::move(notice), lang);
}

// A dossier that could not be kept: the answers on paper, as the review shows them, for the counter.
void Kiosk::print_answers() {
  const std::string& lang = session_.language();
  nlohmann::json sheet = {{"centerName", center_name(config_, lang)},
                          {"procedureName", session_.form()->title.in(lang)},
                          {"printedAt", local_time("%Y-%m-%dT%H:%M:%S")},
                          {"answers", nlohmann::json::array()}};
  std::string empty = strings_.get(lang, "review.empty");
  for (AnswerLine& line : answer_lines(session_, strings_)) {
    bool heading = line.kind != AnswerLine::Kind::Answer;
    sheet["answers"].push_back({{"label", line.label},
                                {"value", heading ? std::string() : line.value.empty() ? empty : line.value},
                                {"depth", line.depth}});
    secure_zero(line.value.data(), line.value.size());  // the printing thread wipes its copy when done
  }
  paper_printer_.start("answers", std::move(sheet), lang);
}

// The papers to bring, from the procedure page: what the screen lists, on the receipt printer.
// Nothing personal: the procedure is chosen, nothing is typed yet.
void Kiosk::print_checklist() {
  const std::string& lang = session_.language();
  const forms::FormPackage& form = *session_.form();
  ProcedureFacts facts = procedure_facts(form, lang);
  nlohmann::json list = {{"centerName", center_name(config_, lang)},
                         {"procedureName", form.title.in(lang)},
                         {"printedAt", local_time("%Y-%m-%dT%H:%M:%S")},
                         {"documents", nlohmann::json::array()}};
  list["fee"] = !facts.fee_stated ? strings_.get(lang, "procedure.fee_ask")
              : facts.fee_total == 0 ? strings_.get(lang, "procedure.fee_none")
                                     : printer::format_money(facts.fee_total, lang);
  list["days"] = form.processing_days == 0 ? strings_.get(lang, "procedure.days_same")
                                           : strings_.format(lang, "procedure.days", {{"count", std::to_string(form.processing_days)}});
  if (!form.agency.in(lang).empty()) list["agency"] = form.agency.in(lang);
  if (const Category* c = catalog_.category(form.category); c && !c->counter.empty()) list["counter"] = c->counter;
  for (const forms::Document* d : facts.documents) {
    std::string notes = d->required ? strings_.get(lang, "procedure.document_required") : "";
    if (d->original_at_counter) notes += (notes.empty() ? "" : "; ") + strings_.get(lang, "review.document_original");
    list["documents"].push_back(d->name.in(lang) + (notes.empty() ? "" : " (" + notes + ")"));
  }
  checklist_job_ = paper_printer_.start("checklist", std::move(list), lang);
}

// The receipt's "In tờ khai": the dossier's data as submitted, from the session's arena, filled
// into the form's declaration and sent to the A4 printer by the job (which wipes its copy).
void Kiosk::print_declaration() {
  if (!declaration_job_ || !session_.form() || session_.reference().empty()) return;
  const forms::FormPackage& form = *session_.form();
  std::string today = local_time("%Y-%m-%d");
  forms::FormModel model(form, today);
  load_answers(model, session_.data());
  nlohmann::json data = model.data();
  model.wipe();
  declaration_job_->start(form, std::move(data), session_.reference(), session_.language(), today);
}

void Kiosk::refresh_staff_figures() {
  std::string history = config_.data_dir + "/history.sqlite", outbox = config_.data_dir + "/outbox/outbox.sqlite";
  std::string today = local_time("%Y-%m-%d");
  try {
    staff_figures_.today = compute_stats(history, outbox, {today, today, ""});
    staff_figures_.month = compute_stats(history, outbox, {today.substr(0, 8) + "01", today, "day"});
  } catch (const std::exception& e) {
    std::fprintf(stderr, "motcua: staff screen: %s\n", e.what());
  }
  staff_figures_.export_message.clear();
  staff_figures_.dossiers.clear();
  if (submission_) {
    outbox_dirty_ = true;
    std::tm midnight{};
    time_t tt = std::time(nullptr);
    localtime_r(&tt, &midnight);
    midnight.tm_hour = midnight.tm_min = midnight.tm_sec = 0;
    try {
      for (const outbox::Item& item : submission_->store().dossiers_since(std::mktime(&midnight))) {
        StaffDossier d{item.portal_code.empty() ? item.kiosk_reference : item.portal_code, item.procedure,
                       item.papers_scanned, item.papers_at_counter};
        for (const forms::FormPackage* f : catalog_.find("", ""))
          if (f->procedure_code == item.procedure || f->id == item.procedure) d.procedure = f->title.in(session_.language());
        staff_figures_.dossiers.push_back(std::move(d));
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "motcua: staff screen: %s\n", e.what());
    }
  }
}

// This month by day, as CSV, onto the USB stick: written beside, flushed to the stick and
// renamed, so a stick pulled at any time holds the old file or the whole new one, and "saved" is
// said only once the stick has it. Readable by all: it goes to other computers, and holds counts only.
void Kiosk::export_stats() {
  std::vector<LevelName> levels;
  for (auto& l : survey_.levels) levels.push_back({l.value, l.label.in(session_.language())});
  std::string path = config_.export_dir + "/motcua-" + config_.kiosk_id + "-" + local_time("%Y-%m") + ".csv";
  try {
    write_file_durably(path, stats_csv(staff_figures_.month, levels), 0644);
    staff_figures_.export_failed = false;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "motcua: staff export: %s\n", e.what());
    staff_figures_.export_failed = true;
  }
  staff_figures_.export_message = staff_figures_.export_failed ? config_.export_dir : path;
}

std::string Kiosk::issue_ticket(const Category& c, bool priority, const std::string& lang) {
  // The number is saved before it is printed: a crash never hands out the same number twice.
  std::string number = QueueNumbers(config_.data_dir + "/queue.json").next(c.queue_prefix, priority, local_time("%Y-%m-%d"));
  std::string issued = local_time("%Y-%m-%dT%H:%M:%S");
  nlohmann::json ticket = {
      {"centerName", center_name(config_, lang)},
      {"service", c.title.in(lang)}, {"number", number}, {"counterGroup", c.counter.empty() ? "—" : c.counter},
      {"issuedAt", issued}, {"priority", priority}};
  ticket_job_ = paper_printer_.start("ticket", std::move(ticket), lang);
  return number;
}

void Kiosk::publish_metrics(bool force) {
  if (config_.metrics_dir.empty()) return;
  // The printer's last known state, kept across session ends (which forget the job itself).
  switch (paper_printer_.state()) {
    case PaperPrinter::State::Printed: printer_health_ = paper_printer_.paper_near_end() ? "paper_near_end" : "ok"; break;
    case PaperPrinter::State::Sent: printer_health_ = "sent"; break;
    case PaperPrinter::State::NotConfirmed: printer_health_ = "not_confirmed"; break;
    case PaperPrinter::State::Failed:
      printer_health_ = paper_printer_.problem().find("paper") != std::string::npos ? "paper_out" : "offline";
      break;
    default: break;
  }
  TimePoint t = SteadyClock::now();
  if (!force && metrics_written_at_ && t - *metrics_written_at_ < std::chrono::seconds(15)) return;
  metrics_written_at_ = t;
  KioskHealth h;
  h.kiosk_id = config_.kiosk_id;
  h.version = MOTCUA_VERSION;
  std::int64_t unix_now = std::time(nullptr);
  if (submission_) {
    outbox::Summary sum = submission_->store().summary();
    h.outbox_waiting = sum.waiting;
    if (sum.oldest_waiting_created_at > 0) h.oldest_waiting_age_s = std::max<std::int64_t>(0, unix_now - sum.oldest_waiting_created_at);
    h.last_sent_unix = sum.last_sent_at;
  }
  h.printer_state = printer_health_;
  if (card_service_) h.card_reader_present = card_service_->status().reader;
  std::tm midnight{};
  time_t tt = unix_now;
  localtime_r(&tt, &midnight);
  midnight.tm_hour = midnight.tm_min = midnight.tm_sec = 0;
  History::Counts today = history_.counts_since(std::mktime(&midnight));
  h.sessions_today = today.sessions;
  h.submissions_today = today.submitted;
  h.help_calls_today = help_day_ == local_time("%Y-%m-%d") ? help_calls_today_ : 0;
  h.starts_total = starts_.starts;
  h.unclean_exits_total = starts_.unclean_exits;
  std::string error;
  write_textfile(config_.metrics_dir, prometheus_text(h), error);
  if (error != metrics_error_ && !error.empty())  // once per new problem, not every 15 s
    std::fprintf(stderr, "motcua: staff alert: metrics not written: %s\n", error.c_str());
  metrics_error_ = error;
}

void Kiosk::settle() {
  int quiet = 0;
  for (int i = 0; i < 12 && quiet < kSettleFrames; ++i) quiet = frame() ? 0 : quiet + 1;
  // A scenario's next step comes after the receipt or the lookup's answer, as a person's would:
  // the wait for the portal (portalWaitSeconds, the lookup's 5 s) is sat out on the real clock.
  if (session_.waiting_for_portal() || session_.lookup_pending()) {
    while (session_.waiting_for_portal() || session_.lookup_pending()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      frame();
    }
    settle();
  }
}

LoopStats Kiosk::run(std::optional<double> seconds) {
  LoopStats stats;
  injected_.reset();
  const TimePoint stop = now() + std::chrono::duration_cast<SteadyClock::duration>(
                                     std::chrono::duration<double>(seconds.value_or(0)));
  int pending = first_frame_at_ ? 0 : kSettleFrames;  // a settled screen needs no redraw to start idling
  touched_ = !first_frame_at_;  // the very first frames settle fonts and layout like a touch
  enum class Cause { Input, Redraw, Deadline, Settle };
  Cause cause = Cause::Settle;
  TimePoint last_draw = now();
  while (!platform_->should_close()) {
    if (seconds && now() >= stop) break;
    service_.alive(now());  // every pass: a stream of touches must not starve the watchdog
    cause = Cause::Settle;
    if (pending > 0) {
      platform_->poll();
    } else {
      std::optional<double> timeout;
      auto until = [&](TimePoint t) {
        double s = std::chrono::duration<double>(t - now()).count();
        timeout = std::max(0.0, timeout ? std::min(*timeout, s) : s);
      };
      std::optional<TimePoint> deadline = session_.next_deadline(now());
      if (options_.redraw_every > 0) {
        TimePoint tick = last_draw + std::chrono::duration_cast<SteadyClock::duration>(
                                         std::chrono::duration<double>(options_.redraw_every));
        deadline = deadline ? std::min(*deadline, tick) : tick;
      }
      if (deadline) until(*deadline);
      if (seconds) until(stop);
      if (auto ping = service_.next_ping()) until(*ping);
      if (!config_.metrics_dir.empty() && metrics_written_at_) until(*metrics_written_at_ + std::chrono::seconds(15));
      platform_->wait(timeout);
      ++stats.wakeups;
      service_.alive(now());
      publish_metrics();
      // Only input, another thread's news, an exposed window or a deadline earn a frame: a wake
      // for the watchdog or a stray event on a busy machine draws nothing.
      bool input = platform_->take_input(), redraw = platform_->take_redraw();
      exposed_ = exposed_ || redraw;
      if (platform_->should_close() || (seconds && now() >= stop)) break;
      if (!input && !redraw && !(deadline && now() >= *deadline)) continue;
      cause = input ? Cause::Input : redraw ? Cause::Redraw : Cause::Deadline;
      if (input) {
        session_.on_input(now());
        pending = kSettleFrames;
      }
      if (redraw) pending = std::max(pending, 1);
    }
    if (platform_->should_close() || (seconds && now() >= stop)) break;
    if (platform_->take_input()) {
      session_.on_input(now());
      pending = kSettleFrames;
      cause = Cause::Input;
    }
    if (platform_->take_redraw()) {
      exposed_ = true;
      pending = std::max(pending, 1);
      if (cause == Cause::Settle) cause = Cause::Redraw;
    }
    bool changed = frame();
    last_draw = now();
    ++stats.frames;
    switch (cause) {
      case Cause::Input: ++stats.input_frames; break;
      case Cause::Redraw: ++stats.redraw_frames; break;
      case Cause::Deadline: ++stats.deadline_frames; break;
      case Cause::Settle: ++stats.settle_frames; break;
    }
    if (cause == Cause::Input) touched_ = true;
    if (changed) pending = touched_ ? kSettleFrames : kSettleFramesUntouched;
    else if (pending > 0) --pending;
    if (pending == 0) touched_ = false;  // settled: the next change is nobody's touch until input says so
  }
  return stats;
}

}  // namespace motcua
