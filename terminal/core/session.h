// One citizen's visit, as a state machine with no UI: screens draw it and send intents.
// Flow: attract → language → catalog → procedure → identify → form steps → [papers] → review →
//       submit → receipt → evaluation → thank you → attract. The papers step (Capture) is there
//       only when the form lists meta.documents and the kiosk has a scanner (SessionServices::scan).
// Rule: every way out of a session (finish, timeout, cancel) goes through end(), which wipes.
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <map>
#include <memory>

#include "forms/admin_units.h"
#include "forms/package.h"
#include "terminal/core/catalog.h"
#include "terminal/core/config.h"
#include "terminal/core/keyboard.h"
#include "terminal/core/personal_data.h"
#include "terminal/core/survey.h"

namespace motcua::forms { class FormModel; }

namespace motcua {

using SteadyClock = std::chrono::steady_clock;
using TimePoint = SteadyClock::time_point;

enum class Step {
  Attract, Language, Catalog,
  Procedure,  // the chosen procedure before it starts: purpose, fee, time, agency, papers to bring
  Identify, Form,
  Capture,  // the form's papers (meta.documents), one at a time: scan pages, or bring the paper to the counter
  Review, Submit, Receipt, Evaluation, ThankYou, Ticket, TicketDone, Volunteer,
  Lookup,  // "Tra cứu hồ sơ": the status of a dossier by its code
  StaffPin, Staff  // the centre's staff: PIN, then today's and this month's figures
};
const char* step_name(Step s);  // stable lower-case id, used by scripts and tests

enum class EndReason { None, Finished, Cancelled, Timeout };
enum class Rating { None = 0, VerySatisfied = 1, Satisfied = 2, Dissatisfied = 3 };

struct Intent {
  enum class Kind {
    Start, ChooseLanguage, SwitchLanguage, ChooseCategory, ChooseProcedure, UseCard, TypeByHand,
    Next, Back, EditStep, Confirm, RetrySubmit, Rate, SkipEvaluation, Finish, MoreTime, EndSession,
    TextSize,  // number: percent, 100, 150 or 200
    TakeTicket, TogglePriority, ChooseService,  // ChooseService: arg is the category id
    ToggleContrast, ToggleReadAloud, VolumeUp, VolumeDown,
    ToggleConsent,                                   // the citizen's own confirmation on the review
    VolunteerSignIn, PinDigit, PinDelete, PinSubmit,  // PinDigit: number 0-9
    ReadScreen, RestartStep, CallStaff,              // the volunteer's tools
    FieldTouched,                                    // arg: the scope the citizen finished editing
    StartLookup, LookupSubmit, PrintApology,         // the status lookup; the code is typed into "lookup.code"
    EvaluateFromLookup, SubmitEvaluation,            // the comment is typed into "evaluation.comment"
    StaffSignIn, ExportStats,                        // the staff screen and its CSV export
    FocusField, KeyPress,                            // the kiosk keyboard: arg is the field, then the key
    ShowHelp,    // arg: the field whose help sheet opens; empty closes it
    AdjustDate,  // a date picker: arg is the field; number ±1 day, ±2 month, ±3 year, ±30 ten years
    ReadCard,    // the identify step: read the card with the ID number typed into "card.id"
    ChooseOption,          // arg: the field; number: the option's index (radio, dropdown, searchable list)
    ToggleOption,          // checkboxes: arg is the field, number the option; values kept one per line; yes-no: the tick
    AddItem, RemoveItem,   // a repeat: arg is its scope; RemoveItem's number is the item
    SignStart, SignPoint, SignEnd, SignClear,  // the signature pad: arg is the field; number x*10000+y (0..9999 each)
    ChooseProvince,  // the address picker: arg is the address; number the province's index in the places list
    ChooseUnit,      // the address picker: arg is the address; number the commune's official code (02266)
    YearGrid,        // a date's year grid: arg is the field; number 0 opens the decades (or closes), 1960 that decade's years
    ChooseYear,      // arg: the date field; number: the year, kept inside the field's bounds
    AdjustTime,      // a time picker: arg is the field; number ±1 or ±10 minutes, ±60 one hour
    // Destructive actions ask first: these open the question, Answer (number 1: yes, 0: no) settles it.
    AskEnd,          // "Kết thúc": ends at once where nothing would be lost, else asks
    AskRemoveItem,   // arg: the repeat's scope; number: the item
    AskRestartStep,  // the volunteer's "start this step again"
    Answer,
    PrintAnswers,    // a dossier that could not be kept: print the answers for the counter
    PrintChecklist,  // the procedure page: print the papers to bring on the receipt printer
    PrintDeclaration,  // the receipt: the filled declaration on the A4 printer (declarationPrinter), to sign at the counter
    // The papers step: scan a page of the paper on screen, or again (RetakePage: number is the
    // page); AskRemovePage asks before RemovePage (number: the page); SkipDocument: "I bring the
    // paper to the counter"; CancelScan stops a scan; FixDocument (review): number is the paper.
    ScanPage, RetakePage, AskRemovePage, RemovePage, SkipDocument, CancelScan, FixDocument,
  };
  Kind kind;
  std::string arg;  // language, category or form id: never personal data
  int number = 0;   // step index or rating
};

// What the citizen is told once the dossier is in safe keeping.
struct SubmitReceipt {
  std::string reference;    // the portal's dossier code, or the kiosk's own until the portal answers
  std::string appointment;  // YYYY-MM-DD: when to come back for the result
  bool from_portal = false; // false: kept in the kiosk's outbox, sent when the portal is reachable
  bool refused = false;     // the portal refused it: kept, but not sent again unless staff queue it
  bool paused = false;      // the portal refused the kiosk itself (its queue is paused): sent only after staff mend it
  // appointment is the kiosk's own count of working days from today: the portal sets the real
  // date when it receives the dossier, so it is shown as an estimate.
  bool estimated = false;
};

// Takes a confirmed dossier into safe keeping and says what to print; throws std::runtime_error
// when it cannot (the citizen is then told, not misled). assisted: a volunteer helped.
using DossierSink = std::function<SubmitReceipt(const forms::FormPackage&, const std::string& dossier_uuid,
                                                const PersonalData&, bool assisted)>;

// The portal's answer for a dossier the sink kept, asked without waiting: nothing while the first
// attempt to send it is still going, then the receipt to show (the portal's code when it took the
// dossier, else from_portal false and the kiosk's reference stays).
using PortalAnswer = std::function<std::optional<SubmitReceipt>(const std::string& dossier_uuid)>;

// Hands out (and prints) a queue number for a field; throws std::runtime_error when it cannot.
using TicketIssuer = std::function<std::string(const Category&, bool priority, const std::string& lang)>;

// Checks a volunteer PIN: the volunteer's id, or nothing with the lockout left in seconds (0: wrong PIN).
struct PinCheck {
  std::optional<std::string> volunteer;
  int locked_seconds = 0;
};
using VolunteerCheck = std::function<PinCheck(std::string_view pin)>;

// Errors of one form step, in the citizen's language: (scope, message), every error whether shown
// yet or not. Messages name limits and formats, never the answers themselves.
struct StepError {
  std::string scope, message;
};
using StepValidator = std::function<std::vector<StepError>(const forms::FormPackage&, size_t step, const PersonalData&,
                                                           const std::string& lang)>;

// An evaluation as it is kept: no name, no ID number, just the service and the answers.
struct Evaluation {
  std::string dossier_reference, procedure_code, kiosk_id;
  Rating rating = Rating::None;  // the overall answer; None: the citizen skipped
  bool assisted = false;
  bool from_lookup = false;      // given from the status lookup, after the result
  std::string survey;            // "id@version" of the survey asked
  std::vector<std::pair<std::string, int>> answers;  // criterion id -> level value, in the order asked
};
// comment: the citizen's optional free text, a view into the session's arena (it may name
// people): the sink seals or drops it, never logs or stores it in clear.
using EvaluationSink = std::function<void(const Evaluation&, std::string_view comment)>;

// One visit as statistics see it: what happened and how far it got, never who it was.
struct SessionRecord {
  std::int64_t started_at = 0, ended_at = 0;  // unix seconds
  std::string kind;           // dossier, ticket, lookup
  std::string procedure;      // procedure code, when one was chosen
  std::string language;
  std::string furthest_step;  // step_name(), "form:N" for the Nth form step
  std::string outcome;        // submitted, ticket, lookup, abandoned, timeout
  std::string reference;      // the dossier reference printed, if any
  bool used_card = false, assisted = false, evaluated = false;
};
using SessionRecorder = std::function<void(const SessionRecord&)>;

// A dossier's status as the portal (or the kiosk's own outbox) knows it.
struct DossierStatus {
  // Kept at the kiosk: waiting to be sent on its own, refused by the portal (not sent again unless
  // staff queue it), or held while the kiosk's queue is paused (sent once staff mend it).
  // AtAnotherKiosk: the portal does not know a code another kiosk gave; it may still wait there.
  enum class Found { Yes, No, WaitingAtKiosk, RefusedAtKiosk, PausedAtKiosk, AtAnotherKiosk, Unavailable } found = Found::Unavailable;
  std::string code;         // the portal's code (or the kiosk reference while waiting)
  std::string status;       // received, processing, needs-documents, done, overdue
  std::string reason;       // needs-documents and overdue: why, in the agency's words
  std::string appointment, new_appointment, received_at, procedure;

  bool kept_at_kiosk() const { return found == Found::WaitingAtKiosk || found == Found::RefusedAtKiosk || found == Found::PausedAtKiosk; }
};
using StatusLookup = std::function<DossierStatus(const std::string& code)>;

// The status lookup as the session uses it: start asks and returns at once, poll hands over the
// answer once it came (nothing until then), so the screen never waits for the portal. A plain
// StatusLookup (tests, a kiosk without a portal) answers within start.
struct LookupPort {
  LookupPort() = default;
  template <class F, class = std::enable_if_t<std::is_invocable_r_v<DossierStatus, F&, const std::string&>>>
  LookupPort(F answer_now) {  // NOLINT: a function converts, as it did when this was a StatusLookup
    if constexpr (std::is_same_v<F, StatusLookup> || std::is_pointer_v<F>)
      if (!answer_now) return;  // an empty function: no lookup, as before
    auto answer = std::make_shared<std::optional<DossierStatus>>();
    start = [answer_now = std::move(answer_now), answer](const std::string& code) { *answer = answer_now(code); };
    poll = [answer] {
      std::optional<DossierStatus> out = std::move(*answer);
      answer->reset();
      return out;
    };
  }
  std::function<void(const std::string& code)> start;
  std::function<std::optional<DossierStatus>()> poll;
  explicit operator bool() const { return static_cast<bool>(start); }
};

// The chip ID card as the session sees it; the kiosk wires it to devices/card's CardService.
struct CardPresence {
  bool reader = false, card = false;
};
// Passive authentication of a read: the issuer's signature over the data groups checked against
// the centre's CSCA store (valid), not checkable without one (unverified), or failed (invalid).
enum class CardVerification { Valid, Unverified, Invalid };
const char* card_verification_name(CardVerification v);  // "valid", "unverified", "invalid"

struct CardReadResult {
  enum class Outcome { Read, WrongId, NeedsDates, Removed, Unreadable, NoReader } outcome = Outcome::Unreadable;
  CardVerification verification = CardVerification::Unverified;  // for Read
  // Card field name ("fullName") → value; the session copies them into its arena and zeroes these.
  std::vector<std::pair<std::string, std::string>> fields;
};
struct CardPort {
  std::function<CardPresence()> presence;
  // id: 12 digits; dob and expiry: YYYY-MM-DD or empty. Views into the session's arena.
  std::function<void(std::string_view id, std::string_view dob, std::string_view expiry)> start;
  std::function<std::optional<CardReadResult>()> poll;  // nothing until the read ends
  std::function<float()> progress;
  std::function<void()> cancel;  // forget the read in progress; its data is wiped on arrival
};

// What became of a scan, in the kinds the citizen's sentence is chosen by (scanner.h's kinds at
// the device edge, and the kiosk's own limits on what it keeps: captured_documents.h).
enum class ScanProblem {
  None, NoScanner, Busy, Jammed, Cancelled, TooLarge, TimedOut, Io,
  PageTooBig, DocumentFull, DossierFull,  // the page came, but keeping it would pass a limit
};
struct ScanResult {
  std::optional<CapturedPage> page;  // set when a page came
  ScanProblem problem = ScanProblem::None;
};
// The document scanner; the kiosk wires it to terminal/services/scan_service when one is configured.
// Rule: one scan at a time, off the UI thread; start() returns at once, poll() hands the result
// over once, cancel() forgets the scan in progress (its page, if any, is wiped on arrival).
struct ScanPort {
  std::function<void()> start;
  std::function<std::optional<ScanResult>()> poll;  // nothing until the scan ends
  std::function<void()> cancel;
};

struct SessionServices {
  DossierSink sink;
  TicketIssuer tickets;       // empty: the kiosk hands out no queue numbers
  VolunteerCheck volunteers;  // empty: no volunteer sign-in
  StepValidator validate;     // empty: steps are not checked
  EvaluationSink evaluations; // empty: evaluations are not kept
  LookupPort lookup;          // empty: no status lookup on this kiosk
  SessionRecorder record;     // empty: no statistics kept
  // true when this dossier code already has an evaluation (one per dossier); empty: never
  std::function<bool(const std::string& code)> evaluated;
  VolunteerCheck staff;       // empty: no staff screen
  CardPort card;              // empty: no card reader
  const forms::AdminUnits* places = nullptr;  // provinces and communes for the address picker; null: none
  ScanPort scan;              // empty: no scanner, no papers step (the papers are listed to bring)
  // empty: the sink's receipt is final. Else the submit screen waits up to portalWaitSeconds for
  // it, drawn and answering like any screen: the wait never holds the screen's thread.
  PortalAnswer portal_answer;
};

// The identify step's card path: type the ID number, (the dates if the card wants BAC), read.
enum class CardStage { Off, EnterId, EnterDates, Reading };
// Untrusted: the card was read but policy (cardTrust) refuses its values; the citizen types by hand.
enum class CardMessage { None, NeedDates, IdFormat, DateFormat, NoCard, NoReader, WrongId, Removed, Unreadable, Untrusted };

class Session {
 public:
  Session(const KioskConfig& config, const Catalog& catalog, SessionServices services,
          const Survey& survey = Survey::builtin());

  void apply(const Intent& intent, TimePoint now);
  void on_input(TimePoint now);  // any touch or key: the citizen is still there
  void tick(TimePoint now);      // runs timers and pending work; call before drawing
  // The next moment tick() would change something, so the UI can sleep until then.
  std::optional<TimePoint> next_deadline(TimePoint now) const;

  // Opens form `id` at its first step in `lang` (ignored unless configured), as if chosen from
  // the catalog and "type by hand" tapped: `motcua --form` and the single-procedure kiosk
  // (config singleForm, to which every end() returns). The form then rests: no timer runs and
  // no visit is counted until the first intent; Back from its first step still reaches the
  // identify (card) step, whose Back returns to the form. Only from the attract screen or a
  // resting form; false (nothing changed) when the catalog has no such form.
  bool open_form(const std::string& id, const std::string& lang, TimePoint now);
  bool resting() const { return resting_; }
  // The catalog was replaced under an idle kiosk: a resting form (which pointed into the old one)
  // starts again from the new catalog, the attract screen when the form is gone.
  void catalog_replaced();

  Step step() const { return step_; }
  const std::string& language() const { return language_; }
  const std::string& category() const { return category_; }
  int text_percent() const { return text_percent_; }
  bool high_contrast() const { return high_contrast_; }
  bool read_aloud() const { return read_aloud_; }
  int volume() const { return volume_; }
  const forms::FormPackage* form() const { return form_; }
  int form_step() const { return form_step_; }
  bool waiting_for_card() const { return waiting_for_card_; }
  CardStage card_stage() const { return card_stage_; }
  CardMessage card_message() const { return card_message_; }
  float card_progress() const { return services_.card.progress ? services_.card.progress() : 0.f; }
  CardPresence card_presence() const { return services_.card.presence ? services_.card.presence() : CardPresence{}; }
  bool has_card_reader() const { return services_.card.start && card_presence().reader; }
  bool from_card(const std::string& scope) const;
  bool locked_from_card(const std::string& scope) const;
  bool card_data_wiped() const { return card_data_wiped_; }  // the card left: what it gave is gone
  // What the last read's passive authentication said (Unverified before any read).
  CardVerification card_verification() const { return card_verification_; }
  // Counts reads whose values policy refused: the kiosk raises a staff alert on each change.
  unsigned untrusted_cards() const { return untrusted_cards_; }
  int item_count(const std::string& repeat_scope) const;
  const forms::AdminUnits* places() const { return services_.places; }  // items of a repeat on the form
  // What the form's rules show (forms::FormModel::shown), refreshed after every change: an
  // element (`item`: the repeat item it sits in, "" outside repeats) is drawn only when shown,
  // answerable only when also enabled. Hidden answers are cleared at once when the form says
  // clearOnHide. Steps with nothing shown are skipped and not counted.
  bool shown(const forms::Element& e, const std::string& item = "") const;
  bool enabled(const forms::Element& e, const std::string& item = "") const;
  bool answerable(const std::string& scope) const;  // a control at scope is shown and enabled
  bool computed(const std::string& scope) const;    // the form computes it: shown, never typed
  // The year grid open under a date picker ("" none) and the decade it shows (0: the decades).
  const std::string& year_grid() const { return year_grid_; }
  int year_grid_decade() const { return year_grid_decade_; }
  int step_number() const;  // 1-based among the steps that apply
  int step_count() const { return static_cast<int>(steps_shown_.size()); }
  bool last_step() const;   // no step that applies after this one: Next goes to the review
  bool step_applies(int step) const;
  // False for elements the form's rules hide (and so do not submit): the review leaves them out.
  bool hidden_on_review(const std::string& scope) const;
  // The control answering at `scope`, repeat items included (/children/1/fullName); nullptr: none.
  // `on_step_only`: only among the form step on screen (intents act on what the citizen sees).
  const forms::Element* control_at(const std::string& scope, bool on_step_only = false) const;
  bool asking_more_time() const { return more_time_deadline_.has_value(); }
  int more_time_seconds_left(TimePoint now) const;
  const std::string& reference() const { return receipt_.reference; }
  const SubmitReceipt& receipt() const { return receipt_; }
  const std::string& dossier_uuid() const { return dossier_uuid_; }
  const std::string& submit_error() const { return submit_error_; }
  const std::string& ticket_number() const { return ticket_number_; }
  const std::string& ticket_error() const { return ticket_error_; }
  const std::string& ticket_category() const { return ticket_category_; }
  // The queue a citizen on the receipt may join for the counter it names: the procedure's field,
  // when it hands out numbers and names its counters; null otherwise. One number per visit.
  const Category* receipt_ticket_category() const;
  bool consent() const { return consent_; }
  // Counts taps on "Xác nhận và nộp" before the consent was ticked: the screen points at the box.
  unsigned refused_confirms() const { return refused_confirms_; }
  // The intent waiting for the citizen's Yes: destructive ones (EndSession, RemoveItem,
  // RestartStep, RemovePage), and SkipDocument after "Tiếp tục" on a required paper with no page.
  const std::optional<Intent>& asking() const { return asking_; }
  const std::vector<StepError>& step_errors() const { return step_errors_; }
  // Counts the times Next was refused for errors: the screen scrolls to the first one each time.
  unsigned refused_nexts() const { return refused_nexts_; }
  const std::string& volunteer() const { return volunteer_; }  // non-empty: an assisted session
  bool assisted() const { return !volunteer_.empty(); }
  // "Cần giúp đỡ": anyone may call staff, once per visit; the kiosk raises the alert.
  bool staff_called() const { return staff_called_; }
  unsigned staff_calls() const { return staff_calls_; }  // presses this visit: one whose call failed rings again
  unsigned read_requests() const { return read_requests_; }
  bool can_look_up() const { return static_cast<bool>(services_.lookup); }
  bool lookup_pending() const { return lookup_pending_ || lookup_asked_; }  // asked, no answer yet
  bool waiting_for_portal() const { return portal_wait_until_.has_value(); }  // kept; the portal's code may come
  const std::optional<DossierStatus>& lookup_result() const { return lookup_result_; }
  unsigned apology_requests() const { return apology_requests_; }  // the kiosk prints on each change
  unsigned answers_print_requests() const { return answers_print_requests_; }  // likewise
  unsigned checklist_print_requests() const { return checklist_print_requests_; }  // likewise
  // The receipt's "In tờ khai": offered when an A4 printer is configured; the kiosk sends on each change.
  bool can_print_declaration() const { return !config_.declaration_printer.empty(); }
  unsigned declaration_print_requests() const { return declaration_print_requests_; }
  unsigned export_requests() const { return export_requests_; }    // the kiosk writes the CSV on each change
  bool can_sign_in_staff() const { return static_cast<bool>(services_.staff); }
  // The papers step (Step::Capture): on for a form with meta.documents on a kiosk with a scanner.
  bool captures_documents() const;
  int capture_index() const { return capture_index_; }  // the paper on screen, in form()->documents
  const forms::Document* capture_document() const;
  bool scanning() const { return scanning_; }
  int scanning_page() const { return scan_replace_; }    // the page a retake replaces; -1: a new page
  ScanProblem scan_problem() const { return scan_problem_; }  // what the last scan came to
  // Required papers with neither a page nor a promise to bring them: the review blocks on them
  // (only where papers can be scanned; elsewhere they are listed to bring, as always).
  std::vector<const forms::Document*> missing_documents() const;
  unsigned refused_for_documents() const { return refused_for_documents_; }  // Confirm while papers are missing
  const KeyboardState& keyboard() const { return keyboard_; }
  const std::string& help_open() const { return help_open_; }  // the field whose help shows
  size_t pin_length() const { return pin_length_; }
  int pin_locked_seconds() const { return pin_locked_seconds_; }
  bool pin_wrong() const { return pin_wrong_; }
  bool ticket_priority() const { return ticket_priority_; }
  Rating rating() const { return rating_; }
  const Survey& survey() const { return survey_; }
  // The evaluation in progress: the question on screen (nullptr: the comment page).
  const SurveyCriterion* question() const {
    return eval_index_ < eval_questions_.size() ? eval_questions_[eval_index_] : nullptr;
  }
  size_t question_number() const { return eval_index_ + 1; }
  size_t question_count() const { return eval_questions_.size(); }
  bool already_evaluated() const { return already_evaluated_; }
  EndReason last_end_reason() const { return last_end_; }
  // The last visit handed in a dossier and ended with its card still on the reader, not yet lifted.
  bool card_left_behind() const { return card_left_behind_ && card_presence().card; }
  // Changes whenever a session ends, so front ends can drop their own per-session state.
  unsigned generation() const { return generation_; }

  PersonalData& data() { return data_; }
  const PersonalData& data() const { return data_; }
  // Nothing of the citizen's: empty, or only the open form's own defaults (a resting form).
  bool holds_nothing_personal() const;
  const Catalog& catalog() const { return catalog_; }
  const KioskConfig& config() const { return config_; }

 private:
  void go(Step s, TimePoint now);
  void end(EndReason why);
  void submit(TimePoint now);
  void take_portal_answer(TimePoint now);
  void clear_pin();
  void finish_scan(ScanResult& result, TimePoint now);
  void stop_scan();
  int capture_index_ = 0;
  bool scanning_ = false;
  int scan_replace_ = -1;
  ScanProblem scan_problem_ = ScanProblem::None;
  unsigned refused_for_documents_ = 0;

  const KioskConfig& config_;
  const Catalog& catalog_;
  SessionServices services_;
  PersonalData data_;

  Step step_ = Step::Attract;
  bool resting_ = false;  // on a form opened directly, untouched: not a visit yet
  bool direct_ = false;   // this visit began on a form opened directly (no catalog behind it)
  void begin_form(const forms::FormPackage* f);
  std::string language_;
  std::string category_;
  int text_percent_ = 100;
  bool high_contrast_ = false;
  bool read_aloud_ = false;
  int volume_ = 80;
  const forms::FormPackage* form_ = nullptr;
  int form_step_ = 0;
  bool waiting_for_card_ = false;
  CardStage card_stage_ = CardStage::Off;
  CardMessage card_message_ = CardMessage::None;
  std::vector<std::string> card_scopes_;  // fields filled from the card (scopes, not values)
  // Controls with a "prefillWhen": the card's value waits in the field "held:<scope>" and goes in
  // when the condition starts holding; these are the scopes whose condition held at the last refresh.
  std::vector<std::string> held_applied_;
  bool card_data_wiped_ = false;
  CardVerification card_verification_ = CardVerification::Unverified;
  bool card_locks_ = false;  // the read is trusted enough for the form's lockPrefilled
  unsigned untrusted_cards_ = 0;
  void forget_card_scope(const std::string& scope);
  void note_card_scope(const std::string& scope);
  bool place_held_card_values();  // true when a field changed
  void take_typed_date();
  bool card_fills_form() const;  // a control of the form is bound to the card
  std::vector<std::string> hidden_on_review_;  // scopes, worked out when the review opens
  std::shared_ptr<forms::FormModel> model_;   // the rules' compiled schemas; holds no answers between refreshes
  std::map<std::pair<const forms::Element*, std::string>, bool> view_;  // shown (element, item) → enabled
  std::vector<int> steps_shown_;             // the form steps that apply, in order
  void refresh_form_view();
  bool clear_hidden();
  void clear_element(const forms::Element& e, const std::string& item);
  int next_step(int from, int direction) const;  // the next step that applies, or -1
  bool closed_field(const std::string& target) const;  // a form field the rules hide or disable
  std::string year_grid_;
  int year_grid_decade_ = 0;
  void choose_year(const std::string& scope, int year);
  void start_card_read();
  void hand_out_receipt_ticket();
  void choose_option(const std::string& scope, int index);
  void toggle_option(const std::string& scope, int index);
  void choose_place(Intent::Kind kind, const std::string& scope, int number);
  void add_item(const std::string& scope);
  void remove_item(const std::string& scope, int index);
  void sign(Intent::Kind kind, const std::string& scope, int point);
  void finish_card_read(CardReadResult& result, TimePoint now);
  void wipe_card_fields();
  bool editing_from_review_ = false;
  bool ticket_priority_ = false;
  bool consent_ = false, staff_called_ = false, pin_wrong_ = false;
  unsigned staff_calls_ = 0;
  unsigned refused_confirms_ = 0;
  std::optional<Intent> asking_;
  bool ending_loses_work() const;
  std::string volunteer_;
  std::vector<StepError> step_errors_;  // shown: for touched fields, or all once Next was tried
  std::vector<std::string> touched_;
  bool step_attempted_ = false;
  unsigned refused_nexts_ = 0;
  void check_step();
  unsigned read_requests_ = 0;
  bool lookup_pending_ = false;
  bool lookup_asked_ = false;  // started; the answer comes through services_.lookup.poll
  std::string lookup_asked_for_;  // the code as typed when asked (a dossier code, not personal data)
  std::optional<DossierStatus> lookup_result_;
  unsigned apology_requests_ = 0;
  unsigned answers_print_requests_ = 0;
  unsigned checklist_print_requests_ = 0;
  unsigned declaration_print_requests_ = 0;
  unsigned export_requests_ = 0;
  KeyboardState keyboard_;
  std::string help_open_;
  void focus(const std::string& target);
  // The citizen finished a field: its errors show from now on if it holds an answer (answered_elsewhere:
  // the address picker's parts).
  void touch(const std::string& scope, bool answered_elsewhere = false);
  void adjust_date(const std::string& scope, int change);
  void adjust_time(const std::string& scope, int change);
  void look_up();
  void take_lookup_answer();
  char pin_[12] = {};
  size_t pin_length_ = 0;
  int pin_locked_seconds_ = 0;
  std::string ticket_category_;
  bool submit_pending_ = false;
  std::optional<TimePoint> portal_wait_until_;  // kept, waiting for the portal's code until then
  SubmitReceipt receipt_;
  std::string dossier_uuid_, submit_error_, ticket_number_, ticket_error_;
  Rating rating_ = Rating::None;
  const Survey& survey_;
  std::vector<const SurveyCriterion*> eval_questions_;
  size_t eval_index_ = 0;
  Evaluation eval_;
  bool already_evaluated_ = false;
  void start_evaluation(bool from_lookup, const std::string& code, const std::string& procedure, TimePoint now);
  void finish_evaluation(TimePoint now);
  SessionRecord record_;  // the visit so far; kept at end()
  void note_step();
  TimePoint last_input_{};
  std::optional<TimePoint> more_time_deadline_;
  std::optional<TimePoint> thank_you_deadline_;
  EndReason last_end_ = EndReason::None;
  bool card_left_behind_ = false;
  unsigned generation_ = 0;
};

std::string new_uuid_v4();

}  // namespace motcua
