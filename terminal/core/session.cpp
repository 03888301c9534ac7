#include "terminal/core/session.h"

#include "terminal/core/signature.h"

#include <functional>

#include "forms/dates.h"
#include "forms/widget_values.h"
#include "forms/model.h"
#include "terminal/core/answers.h"
#include "terminal/core/input.h"

#include "forms/text.h"

#include <cctype>
#include <cstdio>
#include <ctime>
#include <iterator>

#include <algorithm>
#include <vector>
#include <cstdio>
#include <fstream>
#include <random>
#include <stdexcept>

namespace motcua {

using std::chrono::seconds;

const char* step_name(Step s) {
  switch (s) {
    case Step::Attract: return "attract";
    case Step::Language: return "language";
    case Step::Catalog: return "catalog";
    case Step::Procedure: return "procedure";
    case Step::Identify: return "identify";
    case Step::Form: return "form";
    case Step::Capture: return "capture";
    case Step::Review: return "review";
    case Step::Submit: return "submit";
    case Step::Receipt: return "receipt";
    case Step::Evaluation: return "evaluation";
    case Step::ThankYou: return "thank_you";
    case Step::Ticket: return "ticket";
    case Step::TicketDone: return "ticket_done";
    case Step::Volunteer: return "volunteer";
    case Step::Lookup: return "lookup";
    case Step::StaffPin: return "staff_pin";
    case Step::Staff: return "staff";
  }
  return "?";
}

const char* card_verification_name(CardVerification v) {
  switch (v) {
    case CardVerification::Valid: return "valid";
    case CardVerification::Unverified: return "unverified";
    case CardVerification::Invalid: return "invalid";
  }
  return "unverified";
}

std::string new_uuid_v4() {
  unsigned char b[16];
  std::ifstream urandom("/dev/urandom", std::ios::binary);
  if (!urandom.read(reinterpret_cast<char*>(b), sizeof b)) throw std::runtime_error("cannot read /dev/urandom");
  b[6] = (b[6] & 0x0F) | 0x40;
  b[8] = (b[8] & 0x3F) | 0x80;
  char out[37];
  std::snprintf(out, sizeof out, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
  return out;
}

Session::Session(const KioskConfig& config, const Catalog& catalog, SessionServices services, const Survey& survey)
    : config_(config), catalog_(catalog), services_(std::move(services)), language_(config.locales.front()), survey_(survey) {}

void Session::clear_pin() {
  secure_zero(pin_, sizeof pin_);
  pin_length_ = 0;
}

void Session::go(Step s, TimePoint now) {
  step_ = s;
  if ((s == Step::Form || s == Step::Review) && form_) refresh_form_view();  // the review shows what the rules show
  if (s == Step::Form && form_) {
    // A step the rules leave empty is skipped: start at the first one that applies.
    if (!steps_shown_.empty() && std::find(steps_shown_.begin(), steps_shown_.end(), form_step_) == steps_shown_.end()) {
      int n = next_step(form_step_, 1);
      form_step_ = n >= 0 ? n : steps_shown_.back();
    }
  }
  if (s == Step::Review && form_) {
    // The rules decide what the dossier will carry; the review shows exactly that.
    hidden_on_review_.clear();
    forms::FormModel model(*form_, local_time("%Y-%m-%d"));
    load_answers(model, data_);
    std::function<void(const std::vector<forms::Element>&, bool)> walk = [&](const std::vector<forms::Element>& els, bool hidden) {
      for (const auto& e : els) {
        bool h = hidden || !model.visible(e);
        if (h && (e.kind == forms::Element::Kind::Control || e.kind == forms::Element::Kind::Repeat))
          hidden_on_review_.push_back(e.scope);
        if (e.kind == forms::Element::Kind::Group) walk(e.elements, h);
      }
    };
    for (const auto& step : form_->steps) walk(step.elements, !model.step_visible(static_cast<size_t>(&step - form_->steps.data())));
    model.wipe();
  }
  keyboard_.target.clear();  // a new screen starts with the keyboard and help closed
  help_open_.clear();
  year_grid_.clear();
  if (s == Step::Identify && !waiting_for_card_ && form_ && has_card_reader() && card_fills_form()) {
    // With a reader, the card is the way in: its screen and digit pad come first; "Tự gõ thông
    // tin" stays on it, and Back shows the choice.
    waiting_for_card_ = true;
    card_stage_ = CardStage::EnterId;
    card_message_ = CardMessage::None;
    focus("card.id");
  }
  last_input_ = now;
  if (!resting_) note_step();
  if (s == Step::ThankYou || s == Step::TicketDone) thank_you_deadline_ = now + seconds(config_.thank_you_seconds);
}

// Keeps the visit's furthest point: where citizens give up is what the centre needs to know.
void Session::note_step() {
  static const Step order[] = {Step::Language, Step::Catalog, Step::Procedure, Step::Identify, Step::Form, Step::Capture, Step::Review,
                               Step::Submit, Step::Receipt, Step::Evaluation, Step::ThankYou};
  if (step_ == Step::Attract || step_ == Step::Volunteer || step_ == Step::StaffPin || step_ == Step::Staff) return;
  if (record_.started_at == 0) {
    record_.started_at = static_cast<std::int64_t>(std::time(nullptr));
    record_.kind = step_ == Step::Ticket ? "ticket" : step_ == Step::Lookup ? "lookup" : "dossier";
  }
  if (record_.kind != "dossier") {
    record_.furthest_step = step_name(step_);
    return;
  }
  auto rank = [&](const std::string& name) {
    for (size_t i = 0; i < std::size(order); ++i)
      if (name.rfind(step_name(order[i]), 0) == 0) return static_cast<int>(i) * 100 + (name.size() > 5 && name[4] == ':' ? std::atoi(name.c_str() + 5) : 0);
    return -1;
  };
  std::string here = step_ == Step::Form ? "form:" + std::to_string(form_step_ + 1) : step_name(step_);
  if (rank(here) > rank(record_.furthest_step)) record_.furthest_step = here;
}

void Session::end(EndReason why) {
  if (record_.started_at != 0 && services_.record) {
    record_.ended_at = static_cast<std::int64_t>(std::time(nullptr));
    record_.language = language_;
    record_.assisted = assisted();
    record_.reference = receipt_.reference;
    if (form_) record_.procedure = form_->procedure_code.empty() ? form_->id : form_->procedure_code;
    if (record_.kind == "dossier") record_.outcome = !receipt_.reference.empty() ? "submitted" : why == EndReason::Timeout ? "timeout" : "abandoned";
    else record_.outcome = record_.kind;
    services_.record(record_);
  }
  record_ = {};
  keyboard_ = {};
  help_open_.clear();
  eval_questions_.clear();
  eval_index_ = 0;
  eval_ = {};
  already_evaluated_ = false;
  // A visit that handed in a dossier with the card still on the reader ("Xong", or walked away):
  // the start screen asks for the card back until it is lifted.
  card_left_behind_ = !receipt_.reference.empty() && card_presence().card;
  data_.wipe();
  secure_zero(dossier_uuid_.data(), dossier_uuid_.size());
  dossier_uuid_.clear();
  receipt_ = {};
  submit_error_.clear();
  ticket_number_.clear();
  ticket_error_.clear();
  step_ = Step::Attract;
  language_ = config_.locales.front();
  category_.clear();
  text_percent_ = 100;
  high_contrast_ = false;
  read_aloud_ = false;
  volume_ = 80;
  form_ = nullptr;
  form_step_ = 0;
  if (card_stage_ == CardStage::Reading && services_.card.cancel) services_.card.cancel();
  stop_scan();
  capture_index_ = 0;
  scan_problem_ = ScanProblem::None;
  refused_for_documents_ = 0;
  card_stage_ = CardStage::Off;
  card_message_ = CardMessage::None;
  card_scopes_.clear();
  held_applied_.clear();
  card_data_wiped_ = false;
  card_verification_ = CardVerification::Unverified;
  card_locks_ = false;
  hidden_on_review_.clear();
  model_.reset();
  year_grid_.clear();
  view_.clear();
  steps_shown_.clear();
  waiting_for_card_ = editing_from_review_ = submit_pending_ = ticket_priority_ = false;
  portal_wait_until_.reset();
  consent_ = staff_called_ = pin_wrong_ = false;
  staff_calls_ = 0;
  asking_.reset();
  step_errors_.clear();
  touched_.clear();
  step_attempted_ = false;
  lookup_pending_ = lookup_asked_ = false;
  lookup_asked_for_.clear();
  lookup_result_.reset();
  volunteer_.clear();  // signing out is ending the session: the volunteer sees nothing of it again
  clear_pin();
  pin_locked_seconds_ = 0;
  ticket_category_.clear();
  rating_ = Rating::None;
  more_time_deadline_.reset();
  thank_you_deadline_.reset();
  resting_ = direct_ = false;
  last_end_ = why;
  ++generation_;
  // A single-procedure kiosk's home is its form, not the attract screen.
  if (!config_.single_form.empty()) open_form(config_.single_form, language_, last_input_);
}

bool Session::holds_nothing_personal() const {
  std::map<std::string, std::string, std::less<>> presets;
  if (form_)
    for (auto& [scope, value] : forms::default_values(*form_))
      presets[scope] = value.is_string() ? value.get<std::string>() : value.dump();
  return data_.empty_except(presets);
}

void Session::begin_form(const forms::FormPackage* f) {
  form_ = f;
  form_step_ = 0;
  // The schema's defaults stand as answers from the start; the card or the citizen may change them.
  for (auto& [scope, value] : forms::default_values(*form_))
    data_.field(scope).assign(value.is_string() ? value.get<std::string>() : value.dump());
}

void Session::catalog_replaced() {
  if (!resting_) return;
  form_ = nullptr;  // into the old catalog: never read again
  model_.reset();
  view_.clear();
  end(EndReason::Cancelled);
}

bool Session::open_form(const std::string& id, const std::string& lang, TimePoint now) {
  if (step_ != Step::Attract && !resting_) return false;
  const forms::FormPackage* f = catalog_.form(id);
  if (!f) return false;
  data_.wipe();  // a resting form holds its defaults only
  for (auto& l : config_.locales)
    if (l == lang) language_ = l;
  begin_form(f);
  resting_ = direct_ = true;
  go(Step::Form, now);
  return true;
}

void Session::on_input(TimePoint now) {
  // While the "more time?" question is up, only its buttons count as an answer.
  if (!more_time_deadline_) last_input_ = now;
}

void Session::apply(const Intent& in, TimePoint now) {
  using K = Intent::Kind;
  // The first tap on a resting form starts the visit, its timers and its record; ending it is
  // nothing to a single-procedure kiosk (already home) and the attract screen to `--form`.
  if (resting_) {
    if (in.kind == K::AskEnd || in.kind == K::EndSession) {
      if (config_.single_form.empty()) end(EndReason::Cancelled);
      return;
    }
    resting_ = false;
    last_input_ = now;
    note_step();
  }
  if (in.kind == K::SwitchLanguage) {
    for (auto& l : config_.locales)
      if (l == in.arg) language_ = l;
    return;
  }
  if (in.kind == K::ToggleContrast) {
    high_contrast_ = !high_contrast_;
    return;
  }
  if (in.kind == K::ToggleReadAloud) {
    read_aloud_ = !read_aloud_;
    return;
  }
  if (in.kind == K::VolumeUp || in.kind == K::VolumeDown) {
    volume_ = std::clamp(volume_ + (in.kind == K::VolumeUp ? 20 : -20), 20, 100);
    return;
  }
  if (in.kind == K::TextSize) {
    if (in.number == 100 || in.number == 150 || in.number == 200) text_percent_ = in.number;
    return;
  }
  // Help is for everyone, on every screen, even while a question is open.
  if (in.kind == K::ReadScreen || in.kind == K::CallStaff) {
    if (in.kind == K::ReadScreen) ++read_requests_;
    if (in.kind == K::CallStaff) staff_called_ = true, ++staff_calls_;
    last_input_ = now;
    return;
  }
  if (in.kind == K::AskEnd) {
    if (!ending_loses_work()) {
      if (step_ != Step::Attract) end(EndReason::Cancelled);
    } else if (!more_time_deadline_) {
      asking_ = Intent{K::EndSession};
    }
    last_input_ = now;
    return;
  }
  if ((in.kind == K::AskRemoveItem && step_ == Step::Form) || (in.kind == K::AskRestartStep && assisted() && step_ == Step::Form) ||
      (in.kind == K::AskRemovePage && step_ == Step::Capture && !scanning_)) {
    if (!more_time_deadline_)
      asking_ = Intent{in.kind == K::AskRemoveItem ? K::RemoveItem : in.kind == K::AskRemovePage ? K::RemovePage : K::RestartStep,
                       in.arg, in.number};
    last_input_ = now;
    return;
  }
  if (asking_ && in.kind != K::EndSession) {
    // While the question is open only its answer counts (the screen under it is not drawn).
    if (in.kind == K::Answer && !more_time_deadline_) {
      Intent chosen = *asking_;
      asking_.reset();
      last_input_ = now;
      if (in.number == 1) apply(chosen, now);
    }
    return;
  }
  if (assisted() && in.kind == K::RestartStep) {
    if (in.kind == K::RestartStep && step_ == Step::Form) {
      // The step as it first showed: what was typed is gone, the form's own defaults stand again.
      auto defaults = forms::default_values(*form_);
      for (const forms::Element* c : form_->steps[static_cast<size_t>(form_step_)].controls) {
        auto& v = data_.field(c->scope);
        secure_zero(v.data(), v.size());
        v.clear();
        for (auto& [scope, value] : defaults)
          if (scope == c->scope) v.assign(value.is_string() ? value.get<std::string>() : value.dump());
      }
    }
    last_input_ = now;
    return;
  }
  if (in.kind == K::EndSession) {
    if (step_ != Step::Attract) end(EndReason::Cancelled);
    return;
  }
  if (more_time_deadline_) {
    if (in.kind == K::MoreTime) {
      more_time_deadline_.reset();
      last_input_ = now;
    }
    return;
  }
  last_input_ = now;
  if (in.kind == K::FocusField) {
    focus(in.arg);
    return;
  }
  // Touching another answer (a choice, a stepper, the signature) puts the keyboard away, as a
  // phone does: the citizen has moved on, the box left is checked, and what lay under the
  // keyboard shows. A list's own search keeps it: choosing from the list closes it there.
  if (step_ == Step::Form && !keyboard_.target.empty() && keyboard_.target != "search:" + in.arg &&
      (in.kind == K::ChooseOption || in.kind == K::ToggleOption || in.kind == K::AdjustDate || in.kind == K::AdjustTime ||
       in.kind == K::YearGrid || in.kind == K::ChooseYear || in.kind == K::SignStart))
    focus("");
  if (in.kind == K::ShowHelp) {
    help_open_ = help_open_ == in.arg ? "" : in.arg;  // the same button opens and closes
    return;
  }
  if (in.kind == K::AdjustDate) {
    adjust_date(in.arg, in.number);
    return;
  }
  if (in.kind == K::AdjustTime) {
    adjust_time(in.arg, in.number);
    return;
  }
  if (in.kind == K::YearGrid) {
    // The same button closes the decades; a decade opens its years.
    if (in.number == 0 && year_grid_ == in.arg && year_grid_decade_ == 0) year_grid_.clear();
    else if (step_ == Step::Form && control_at(in.arg, true) && !closed_field(in.arg)) year_grid_ = in.arg, year_grid_decade_ = in.number;
    return;
  }
  if (in.kind == K::ChooseYear) {
    choose_year(in.arg, in.number);
    return;
  }
  if (step_ == Step::Form && form_) {
    switch (in.kind) {
      case K::ChooseOption: choose_option(in.arg, in.number); return;
      case K::ChooseProvince: case K::ChooseUnit: choose_place(in.kind, in.arg, in.number); return;
      case K::ToggleOption: toggle_option(in.arg, in.number); return;
      case K::AddItem: add_item(in.arg); return;
      case K::RemoveItem: remove_item(in.arg, in.number); return;
      case K::SignStart: case K::SignPoint: case K::SignEnd: case K::SignClear: sign(in.kind, in.arg, in.number); return;
      default: break;
    }
  }
  if (in.kind == K::KeyPress) {
    if (keyboard_.target.empty()) return;
    if (in.arg == "done") {
      focus("");
      return;
    }
    if (locked_from_card(keyboard_.target)) return;  // the card's value stands as the form says
    if (closed_field(keyboard_.target) || computed(keyboard_.target)) return;  // hidden, disabled or computed: nothing to type
    auto& text = keyboard_.target == "catalog.search" ? data_.search_text() : data_.field(keyboard_.target);
    if (!from_card(keyboard_.target)) {
      press_key(text, in.arg, keyboard_, config_.tone_placement);
    } else {
      // A card value the citizen changed is theirs now: the dossier must not vouch for it as the card's.
      PersonalData::Text before(text, text.get_allocator());
      press_key(text, in.arg, keyboard_, config_.tone_placement);
      if (text != before) forget_card_scope(keyboard_.target);
      secure_zero(before.data(), before.capacity());
    }
    if (card_stage_ != CardStage::Off && keyboard_.target.rfind("card.", 0) == 0) card_message_ = CardMessage::None;
    if (keyboard_.target.rfind("date:", 0) == 0) take_typed_date();
    // The twelfth digit on the pad, with the card on the reader, starts the read: no "Đọc thẻ" to
    // look for. Only a key does it, so a read that failed waits for a correction, never loops.
    if (keyboard_.target == "card.id" && step_ == Step::Identify && card_stage_ == CardStage::EnterId && in.arg.size() == 1 &&
        in.arg[0] >= '0' && in.arg[0] <= '9') {
      const auto* id = data_.find("card.id");
      if (id && id->size() == 12 && std::all_of(id->begin(), id->end(), [](char c) { return c >= '0' && c <= '9'; }) &&
          card_presence().card)
        start_card_read();
    }
    return;
  }
  switch (step_) {
    case Step::Attract:
      if (in.kind == K::Start) go(Step::Language, now);
      if (in.kind == K::TakeTicket && services_.tickets) go(Step::Ticket, now);
      if (in.kind == K::VolunteerSignIn && services_.volunteers) go(Step::Volunteer, now);
      if (in.kind == K::StartLookup && services_.lookup) go(Step::Lookup, now);
      if (in.kind == K::StaffSignIn && services_.staff) go(Step::StaffPin, now);
      break;
    case Step::Lookup:
      if (in.kind == K::LookupSubmit) {
        const auto* code = data_.find("lookup.code");
        // A second press (or the QR scanner's second Enter) while the same code is asked waits for it.
        if (code && !code->empty() && !(lookup_asked_ && std::string_view(*code) == lookup_asked_for_)) {
          lookup_pending_ = true;
          focus("");  // the keyboard goes, so the answer shows where it will come
        }
      } else if (in.kind == K::EvaluateFromLookup && lookup_result_ &&
                 (lookup_result_->found == DossierStatus::Found::Yes || lookup_result_->kept_at_kiosk())) {
        start_evaluation(true, lookup_result_->code, lookup_result_->procedure, now);
      } else if (in.kind == K::PrintApology && lookup_result_ && lookup_result_->status == "overdue" &&
                 !lookup_result_->new_appointment.empty()) {
        ++apology_requests_;
      } else if (in.kind == K::Back) {
        end(EndReason::Cancelled);
      } else if (in.kind == K::Finish) {
        end(EndReason::Finished);
      }
      break;
    case Step::Staff:
      if (in.kind == K::ExportStats) ++export_requests_;
      else if (in.kind == K::Back || in.kind == K::Finish) end(EndReason::Finished);
      break;
    case Step::StaffPin:
    case Step::Volunteer:
      if (in.kind == K::PinDigit && in.number >= 0 && in.number <= 9 && pin_length_ < sizeof pin_) {
        pin_[pin_length_++] = static_cast<char>('0' + in.number);
        pin_wrong_ = false;
      } else if (in.kind == K::PinDelete && pin_length_ > 0) {
        pin_[--pin_length_] = 0;
      } else if (in.kind == K::PinSubmit && pin_length_ > 0) {
        bool staff = step_ == Step::StaffPin;
        PinCheck r = (staff ? services_.staff : services_.volunteers)(std::string_view(pin_, pin_length_));
        clear_pin();
        if (r.volunteer && staff) {
          go(Step::Staff, now);
        } else if (r.volunteer) {
          end(EndReason::Cancelled);  // nothing from before the sign-in survives
          volunteer_ = *r.volunteer;
          go(Step::Language, now);
        } else {
          pin_wrong_ = r.locked_seconds == 0;
          pin_locked_seconds_ = r.locked_seconds;
        }
      } else if (in.kind == K::Back) {
        end(EndReason::Cancelled);
      }
      break;
    case Step::Ticket:
      if (in.kind == K::TogglePriority) {
        ticket_priority_ = !ticket_priority_;
      } else if (in.kind == K::ChooseService) {
        const Category* c = catalog_.category(in.arg);
        if (!c || c->queue_prefix.empty()) break;
        try {
          ticket_number_ = services_.tickets(*c, ticket_priority_, language_);
          ticket_category_ = c->id;
          ticket_error_.clear();
          go(Step::TicketDone, now);
        } catch (const std::exception& e) {
          ticket_error_ = e.what();  // shown as "ask staff"; the number was not handed out
        }
      } else if (in.kind == K::Back) {
        end(EndReason::Cancelled);
      }
      break;
    case Step::TicketDone:
      if (in.kind == K::Finish) end(EndReason::Finished);
      break;
    case Step::Language:
      if (in.kind == K::ChooseLanguage) {
        for (auto& l : config_.locales)
          if (l == in.arg) { language_ = l; go(Step::Catalog, now); }
      } else if (in.kind == K::Back) {
        end(EndReason::Cancelled);
      }
      break;
    case Step::Catalog:
      if (in.kind == K::ChooseCategory) {
        category_ = in.arg;
      } else if (in.kind == K::ChooseProcedure) {
        if (const forms::FormPackage* f = catalog_.form(in.arg)) {
          begin_form(f);
          go(Step::Procedure, now);
        }
      } else if (in.kind == K::Back) {
        if (!category_.empty()) category_.clear();
        else go(Step::Language, now);
      }
      break;
    case Step::Procedure:  // nothing typed yet: back is back to the list, with nothing to lose
      if (in.kind == K::Next) go(Step::Identify, now);
      else if (in.kind == K::PrintChecklist && !form_->documents.empty()) ++checklist_print_requests_;
      else if (in.kind == K::Back) go(Step::Catalog, now);
      break;
    case Step::Identify:
      if (in.kind == K::UseCard) {
        record_.used_card = true;
        waiting_for_card_ = true;
        card_stage_ = CardStage::EnterId;
        card_message_ = CardMessage::None;
        if (has_card_reader()) focus("card.id");
      } else if (in.kind == K::ReadCard && waiting_for_card_ && card_stage_ != CardStage::Reading) {
        start_card_read();
      } else if (in.kind == K::TypeByHand) {
        if (card_stage_ == CardStage::Reading && services_.card.cancel) services_.card.cancel();
        card_stage_ = CardStage::Off;
        waiting_for_card_ = false;
        form_step_ = 0;
        go(Step::Form, now);
      } else if (in.kind == K::Back) {
        if (card_stage_ == CardStage::Reading && services_.card.cancel) services_.card.cancel();
        if (waiting_for_card_) {
          waiting_for_card_ = false;
          card_stage_ = CardStage::Off;
          card_message_ = CardMessage::None;
          focus("");
        } else if (direct_) {
          form_step_ = 0;  // no catalog behind a form opened directly: back to its first step
          go(Step::Form, now);
        } else {
          go(Step::Procedure, now);
        }
      }
      break;
    case Step::Form:
      if (in.kind == K::UseCard && has_card_reader()) {  // read the card again after it left
        card_data_wiped_ = false;
        go(Step::Identify, now);
        waiting_for_card_ = true;
        card_stage_ = CardStage::EnterId;
        focus("card.id");
        break;
      }
      if (in.kind == K::FieldTouched) {
        touch(in.arg);
        break;
      }
      if (in.kind == K::Next && services_.validate) {
        // Next checks the whole step; before that only fields the citizen finished show errors.
        step_attempted_ = true;
        check_step();
        if (!step_errors_.empty()) {
          ++refused_nexts_;
          break;
        }
      }
      if (in.kind == K::Next || in.kind == K::Back) {
        focus("");  // the keyboard belongs to a box of the step being left: it must not type there unseen
        step_errors_.clear();
        touched_.clear();
        step_attempted_ = false;
      }
      refresh_form_view();  // the steps that apply follow the answers just given
      if (in.kind == K::Next) {
        int next = next_step(form_step_, 1);
        if (editing_from_review_ || next < 0) {
          bool to_papers = !editing_from_review_ && captures_documents();
          editing_from_review_ = false;
          if (to_papers) capture_index_ = 0;
          go(to_papers ? Step::Capture : Step::Review, now);
        } else {
          form_step_ = next;
          note_step();
        }
      } else if (in.kind == K::Back) {
        int back = next_step(form_step_, -1);
        if (editing_from_review_) { editing_from_review_ = false; go(Step::Review, now); }
        else if (back >= 0) form_step_ = back;
        else go(Step::Identify, now);
      }
      break;
    case Step::Review:
      if (in.kind == K::EditStep && in.number >= 0 && in.number < static_cast<int>(form_->steps.size()) &&
          std::find(steps_shown_.begin(), steps_shown_.end(), in.number) != steps_shown_.end()) {
        form_step_ = in.number;
        editing_from_review_ = true;
        go(Step::Form, now);
      } else if (in.kind == K::FixDocument && captures_documents() && in.number >= 0 &&
                 in.number < static_cast<int>(form_->documents.size())) {
        capture_index_ = in.number;
        scan_problem_ = ScanProblem::None;
        editing_from_review_ = true;
        go(Step::Capture, now);
      } else if (in.kind == K::Back && captures_documents()) {
        capture_index_ = static_cast<int>(form_->documents.size()) - 1;
        scan_problem_ = ScanProblem::None;
        go(Step::Capture, now);
      } else if (in.kind == K::Back) {
        int last = next_step(static_cast<int>(form_->steps.size()), -1);
        form_step_ = last >= 0 ? last : static_cast<int>(form_->steps.size()) - 1;
        go(Step::Form, now);
      } else if (in.kind == K::ToggleConsent) {
        consent_ = !consent_;
      } else if (in.kind == K::Confirm && !missing_documents().empty()) {
        ++refused_for_documents_;  // a required paper is neither scanned nor promised: the screen says which
      } else if (in.kind == K::Confirm && !consent_) {
        ++refused_confirms_;
      } else if (in.kind == K::Confirm && consent_) {
        // The idempotency key is born at confirmation, never earlier (enketo#942).
        dossier_uuid_ = new_uuid_v4();
        submit_pending_ = true;
        go(Step::Submit, now);
      }
      break;
    case Step::Capture: {
      const forms::Document& doc = form_->documents[static_cast<size_t>(capture_index_)];
      const CapturedDocument* have = data_.documents().find(doc.id);
      int pages = have ? static_cast<int>(have->pages.size()) : 0;
      if (in.kind == K::CancelScan) {
        stop_scan();
        break;
      }
      if (scanning_ && in.kind != K::Back) break;  // one scan at a time; Back stops it
      if (in.kind == K::ScanPage || (in.kind == K::RetakePage && in.number >= 0 && in.number < pages)) {
        scan_replace_ = in.kind == K::RetakePage ? in.number : -1;
        scan_problem_ = ScanProblem::None;
        if (scan_replace_ < 0 && pages >= std::max(doc.max_pages, 1)) {
          scan_problem_ = ScanProblem::DocumentFull;
          break;
        }
        scanning_ = true;
        services_.scan.start();
      } else if (in.kind == K::RemovePage && in.number >= 0 && in.number < pages) {
        data_.documents().remove_page(doc.id, static_cast<size_t>(in.number));
        scan_problem_ = ScanProblem::None;
      } else if (in.kind == K::Next && pages == 0 && doc.required && !(have && have->at_counter)) {
        // A required paper with no page is not passed by in silence: the citizen chooses to
        // scan it or to bring it to the counter (Answer 1 skips it; 0 stays on it).
        if (!more_time_deadline_) asking_ = Intent{K::SkipDocument};
      } else if ((in.kind == K::SkipDocument && pages == 0) || in.kind == K::Next) {  // skipping never drops pages
        if (in.kind == K::SkipDocument) data_.documents().bring_to_counter(doc.id);
        scan_problem_ = ScanProblem::None;
        if (editing_from_review_ || capture_index_ + 1 >= static_cast<int>(form_->documents.size())) {
          editing_from_review_ = false;
          go(Step::Review, now);
        } else {
          ++capture_index_;
        }
      } else if (in.kind == K::Back) {
        stop_scan();
        scan_problem_ = ScanProblem::None;
        if (editing_from_review_) {
          editing_from_review_ = false;
          go(Step::Review, now);
        } else if (capture_index_ > 0) {
          --capture_index_;
        } else {
          int last = next_step(static_cast<int>(form_->steps.size()), -1);
          form_step_ = last >= 0 ? last : static_cast<int>(form_->steps.size()) - 1;
          go(Step::Form, now);
        }
      }
      break;
    }
    case Step::Submit:
      if (in.kind == K::RetrySubmit && !submit_error_.empty()) {
        submit_error_.clear();
        submit_pending_ = true;
      } else if (in.kind == K::PrintAnswers && !submit_error_.empty()) {
        ++answers_print_requests_;
      }
      break;
    case Step::Receipt:
      if (in.kind == K::Next) start_evaluation(false, receipt_.reference, form_->procedure_code, now);
      else if (in.kind == K::Finish) end(EndReason::Finished);  // "Xong": done, no survey
      else if (in.kind == K::PrintDeclaration && can_print_declaration()) ++declaration_print_requests_;
      else if (in.kind == K::TogglePriority && ticket_number_.empty() && receipt_ticket_category()) ticket_priority_ = !ticket_priority_;
      else if (in.kind == K::TakeTicket && ticket_number_.empty()) hand_out_receipt_ticket();
      break;
    case Step::Evaluation:
      if (in.kind == K::Rate && question() && in.number >= 1 && in.number <= static_cast<int>(survey_.levels.size())) {
        int value = survey_.levels[static_cast<size_t>(in.number - 1)].value;
        if (eval_index_ == 0) rating_ = static_cast<Rating>(in.number);
        eval_.answers.push_back({question()->id, value});
        ++eval_index_;  // past the last question: the comment page
      } else if (in.kind == K::SubmitEvaluation && !question()) {
        finish_evaluation(now);
      } else if (in.kind == K::SkipEvaluation) {
        // What was answered counts; nothing answered means no evaluation at all.
        if (eval_.answers.empty()) rating_ = Rating::None;
        finish_evaluation(now);
      } else if (in.kind == K::Back && eval_.from_lookup) {
        go(Step::Lookup, now);
      }
      break;
    case Step::ThankYou:
      if (in.kind == K::Finish) end(EndReason::Finished);
      break;
  }
}

void Session::start_evaluation(bool from_lookup, const std::string& code, const std::string& procedure, TimePoint now) {
  eval_ = {};
  eval_.dossier_reference = code;
  eval_.procedure_code = procedure;
  eval_.kiosk_id = config_.kiosk_id;
  eval_.from_lookup = from_lookup;
  eval_.survey = survey_.id + "@" + survey_.version;
  eval_questions_ = survey_.asked(from_lookup);
  eval_index_ = 0;
  rating_ = Rating::None;
  // One evaluation per dossier: a second attempt is told so instead of asked again.
  already_evaluated_ = services_.evaluated && services_.evaluated(code);
  if (already_evaluated_) eval_index_ = eval_questions_.size();
  go(Step::Evaluation, now);
}

void Session::finish_evaluation(TimePoint now) {
  eval_.assisted = assisted();
  eval_.rating = rating_;
  if (!eval_.answers.empty() && !already_evaluated_) {
    record_.evaluated = true;
    if (services_.evaluations) {
      const auto* comment = data_.find("evaluation.comment");
      services_.evaluations(eval_, comment ? std::string_view(*comment) : std::string_view());
    }
  }
  // Nothing of the visit is needed any more: the answers go now, so the thank-you screen's
  // "đã được xoá" is true while it shows, not only once it times out.
  data_.wipe();
  go(Step::ThankYou, now);
}

// Day, month and year pickers: the date stays valid at every tap (31 → 30 when the month has
// 30 days), inside the field's bounds (forms/dates.h: never in the future for a birth date),
// starts where the answer is likely (a birth date decades back), and is kept as YYYY-MM-DD.
void Session::adjust_date(const std::string& scope, int change) {
  if (!form_ || step_ != Step::Form) return;
  const forms::Element* c = control_at(scope, true);
  if (!c || closed_field(scope)) return;
  auto today = forms::parse_ymd(local_time("%Y-%m-%d"));
  if (!today) return;
  forms::DateBounds bounds = forms::date_bounds(*c, *today);
  auto& text = data_.field(scope);
  auto at = forms::parse_ymd(text);
  forms::Ymd d = forms::step_date(at ? *at : bounds.start, change, bounds);
  text.assign(d.iso());
  touch(scope);
}

// Hour and minute steppers: never a time that is not one, kept as the schema wants it
// ("HH:MM", or RFC 3339 with the kiosk's offset under "format": "time").
void Session::adjust_time(const std::string& scope, int change) {
  if (!form_ || step_ != Step::Form) return;
  const forms::Element* c = control_at(scope, true);
  if (!c || c->widget != "time" || closed_field(scope)) return;
  auto& text = data_.field(scope);
  forms::TimeOfDay t = forms::step_time(forms::parse_time_of_day(text), change);
  text.assign(forms::time_value(t, forms::schema_at_scope(*form_, scope), local_time("%z")));
  touch(scope);
}

void Session::choose_year(const std::string& scope, int year) {
  if (!form_ || step_ != Step::Form) return;
  const forms::Element* c = control_at(scope, true);
  if (!c || c->widget != "date" || closed_field(scope)) return;
  auto today = forms::parse_ymd(local_time("%Y-%m-%d"));
  if (!today) return;
  forms::DateBounds bounds = forms::date_bounds(*c, *today);
  auto& text = data_.field(scope);
  auto at = forms::parse_ymd(text);
  forms::Ymd d = at ? *at : bounds.start;
  d.y = year;
  d.d = std::min(d.d, forms::days_in_month(d.y, d.m));
  d = std::clamp(d, bounds.min, bounds.max);
  text.assign(d.iso());
  year_grid_.clear();
  year_grid_decade_ = 0;
  touch(scope);
}

void Session::touch(const std::string& scope, bool answered_elsewhere) {
  if (step_ != Step::Form) return;
  // A field passed without an answer is not finished: its "required" waits for Next. Once it had
  // an answer (or an error), emptying it again shows at once.
  const auto* value = data_.find(scope);
  bool answered = answered_elsewhere || (value && !value->empty());
  std::string target = scope;
  // The street typed into an address: its errors stand under the address as a whole.
  if (size_t slash = scope.rfind('/'); slash != std::string::npos && slash > 0)
    if (const forms::Element* c = control_at(scope.substr(0, slash)); c && c->widget == "address") target = scope.substr(0, slash);
  bool seen = std::find(touched_.begin(), touched_.end(), target) != touched_.end();
  if (answered && !seen) touched_.push_back(target);
  check_step();
}

// The keyboard types into one field; leaving a form field counts as finishing it.
void Session::focus(const std::string& target) {
  bool typed_date = target.rfind("date:", 0) == 0;
  if (locked_from_card(typed_date ? target.substr(5) : target) || closed_field(target) || computed(target)) return;
  if (keyboard_.target.rfind("date:", 0) == 0 && keyboard_.target != target) {
    // Digits that made no date are dropped; the date itself keeps what it had.
    auto& typed = data_.field(keyboard_.target);
    bool had = !typed.empty();
    secure_zero(typed.data(), typed.size());
    typed.clear();
    if (had) touch(keyboard_.target.substr(5));
  } else if (!keyboard_.target.empty() && keyboard_.target != target) {
    text::nfc_in_place(data_.field(keyboard_.target));
    touch(keyboard_.target);
  }
  keyboard_.target = target;
  keyboard_.shift = false;
  keyboard_.layout = KeyboardLayout::Letters;
  keyboard_.name = false;
  keyboard_.digits_only = target.rfind("card.", 0) == 0;
  keyboard_.money = keyboard_.email = keyboard_.number = false;
  if (target.rfind("card.", 0) == 0) keyboard_.layout = KeyboardLayout::Digits;
  if (target.rfind("search:", 0) == 0) check_step();  // a list's search box is not an answer
  if (form_ && step_ == Step::Form)
    if (const forms::Element* c = control_at(target, true)) {  // repeat items' fields too
      if (c->widget == "id-number" || c->widget == "phone" || c->widget == "number" || c->widget == "money") keyboard_.layout = KeyboardLayout::Digits;
      keyboard_.digits_only = c->widget == "id-number" || c->widget == "phone" || c->widget == "money";
      keyboard_.money = c->widget == "money";
      keyboard_.number = c->widget == "number";
      keyboard_.email = c->widget == "email";
      keyboard_.name = target.size() >= 4 && target.compare(target.size() - 4, 4, "Name") == 0;
    }
  if (typed_date) keyboard_.layout = KeyboardLayout::Digits, keyboard_.digits_only = true;
}

// The date typed on the digit pad ("date:<scope>", day month year): shown as 05/03/19… while
// typed, and put in the date once its 8 digits are a real date inside the field's bounds; then
// the pad closes and the steppers show it. Any other 8 digits stay for the citizen to correct.
void Session::take_typed_date() {
  std::string scope = keyboard_.target.substr(5);
  const forms::Element* c = control_at(scope, true);
  auto today = forms::parse_ymd(local_time("%Y-%m-%d"));
  if (!c || c->widget != "date" || !today) return;
  auto& typed = data_.field(keyboard_.target);
  forms::TypedDate read = forms::read_typed_date(typed);
  if (std::string_view(typed) != read.shown) {
    secure_zero(typed.data(), typed.size());
    typed.assign(read.shown);
  }
  secure_zero(read.shown.data(), read.shown.size());
  forms::DateBounds b = forms::date_bounds(*c, *today);
  if (!read.date || *read.date < b.min || *read.date > b.max) return;
  auto& text = data_.field(scope);
  secure_zero(text.data(), text.size());
  text.assign(read.date->iso());
  year_grid_.clear();
  focus("");
}

// Ending where answers were given asks first; elsewhere "Kết thúc" ends at once.
bool Session::ending_loses_work() const {
  return step_ == Step::Identify || step_ == Step::Form || step_ == Step::Capture || step_ == Step::Review || step_ == Step::Submit;
}

bool Session::captures_documents() const { return form_ && !form_->documents.empty() && services_.scan.start; }

const forms::Document* Session::capture_document() const {
  if (!form_ || capture_index_ < 0 || capture_index_ >= static_cast<int>(form_->documents.size())) return nullptr;
  return &form_->documents[static_cast<size_t>(capture_index_)];
}

std::vector<const forms::Document*> Session::missing_documents() const {
  if (!captures_documents()) return {};
  return data_.documents().missing(*form_);
}

void Session::stop_scan() {
  if (scanning_ && services_.scan.cancel) services_.scan.cancel();
  scanning_ = false;
  scan_replace_ = -1;
}

// A page that came is kept in the dossier's papers, or refused whole with the limit it passed;
// a scan that failed says why, and what was kept before stays.
void Session::finish_scan(ScanResult& result, TimePoint now) {
  scanning_ = false;
  last_input_ = now;  // the citizen waited at the scanner: that was not idleness
  const forms::Document* doc = step_ == Step::Capture ? capture_document() : nullptr;
  scan_problem_ = result.problem;
  if (result.page && doc) {
    switch (data_.documents().add_page(*doc, std::move(*result.page), scan_replace_)) {
      case PageRefusal::None: scan_problem_ = ScanProblem::None; break;
      case PageRefusal::PageTooLarge: scan_problem_ = ScanProblem::PageTooBig; break;
      case PageRefusal::DocumentFull: scan_problem_ = ScanProblem::DocumentFull; break;
      case PageRefusal::DossierFull: scan_problem_ = ScanProblem::DossierFull; break;
      case PageRefusal::UnknownDocument: scan_problem_ = ScanProblem::Io; break;
    }
  }
  scan_replace_ = -1;
  result.page.reset();  // a page not kept is wiped by its buffer here
}

void Session::check_step() {
  if (!services_.validate || !form_) return;
  auto all = services_.validate(*form_, static_cast<size_t>(form_step_), data_, language_);
  step_errors_.clear();
  for (auto& e : all)
    if (step_attempted_ || std::find(touched_.begin(), touched_.end(), e.scope) != touched_.end()) step_errors_.push_back(e);
}

void Session::submit(TimePoint now) {
  submit_pending_ = false;
  try {
    receipt_ = services_.sink(*form_, dossier_uuid_, data_, assisted());
  } catch (const std::exception& e) {
    submit_error_ = e.what();
    return;
  }
  // Kept: the submit screen stays ("Đang gửi") while the portal may still give its own code.
  if (services_.portal_answer && !receipt_.from_portal && config_.portal_wait_seconds > 0) {
    portal_wait_until_ = now + std::chrono::duration_cast<SteadyClock::duration>(
                                   std::chrono::duration<double>(config_.portal_wait_seconds));
    take_portal_answer(now);
    return;
  }
  step_ = Step::Receipt;
  note_step();  // a visit ended with "Xong" got this far
}

void Session::take_portal_answer(TimePoint now) {
  std::optional<SubmitReceipt> answer;
  try {
    answer = services_.portal_answer(dossier_uuid_);
  } catch (const std::exception&) {
    answer = SubmitReceipt{};  // the dossier is kept whatever the outbox says now: the kiosk's code
  }
  // The citizen is waiting on the kiosk, not idle: no "more time?" over the wait, and the
  // receipt's idle time starts when it appears.
  last_input_ = now;
  if (!answer && now < *portal_wait_until_) return;
  // "sẽ tự động gửi lên sau" would not be true of either.
  if (answer && answer->refused) receipt_.refused = true;
  if (answer && answer->paused) receipt_.paused = true;
  if (answer && answer->from_portal) {
    receipt_.paused = false;  // the portal has this one: a pause since concerns only the others
    receipt_.reference = answer->reference;
    // Accepted without a date of its own: the kiosk's count stays, still an estimate.
    if (!answer->appointment.empty()) {
      receipt_.appointment = answer->appointment;
      receipt_.estimated = false;
    }
    receipt_.from_portal = true;
  }
  portal_wait_until_.reset();
  step_ = Step::Receipt;
  note_step();
}

void Session::look_up() {
  lookup_pending_ = false;
  // A scanner reads the receipt's QR as typed text; spaces and case slip in when people type it.
  std::string code;
  for (char c : *data_.find("lookup.code"))
    if (!std::isspace(static_cast<unsigned char>(c))) code.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  lookup_result_.reset();  // the last code's answer is not this one's
  lookup_asked_ = true;
  lookup_asked_for_ = std::string_view(*data_.find("lookup.code"));
  services_.lookup.start(code);
  secure_zero(code.data(), code.size());
  take_lookup_answer();  // a lookup that answers at once
}

void Session::take_lookup_answer() {
  if (auto answer = services_.lookup.poll()) {
    lookup_result_ = std::move(answer);
    lookup_asked_ = false;
  }
}

void Session::tick(TimePoint now) {
  if (submit_pending_) submit(now);
  else if (portal_wait_until_) take_portal_answer(now);
  if (lookup_pending_) look_up();
  else if (lookup_asked_) take_lookup_answer();
  if (card_left_behind_ && !card_presence().card) card_left_behind_ = false;
  if (step_ == Step::Attract) return;
  if (form_ && step_ == Step::Form && keyboard_.target.rfind("date:", 0) == 0) take_typed_date();  // typed on a hardware keyboard
  // A date's typed digits live only while its box has the keyboard (a hardware keyboard's box
  // may write its own copy back once more after the date was taken).
  if (form_ && step_ == Step::Form)
    for (const auto& st : form_->steps)
      for (const forms::Element* c : st.controls)
        if (c->widget == "date" && keyboard_.target != "date:" + c->scope)
          if (const auto* typed = data_.find("date:" + c->scope); typed && !typed->empty()) {
            auto& text = data_.field("date:" + c->scope);
            secure_zero(text.data(), text.size());
            text.clear();
          }
  if (form_ && step_ == Step::Form) refresh_form_view();  // typed text arrives without an intent
  if (resting_) return;  // nobody there yet: no card, no timers
  if (card_stage_ == CardStage::Reading && services_.card.poll) {
    if (auto result = services_.card.poll()) finish_card_read(*result, now);
  }
  if (scanning_ && services_.scan.poll) {
    if (auto result = services_.scan.poll()) finish_scan(*result, now);
  }
  // What the card gave goes with the card, until the dossier is confirmed.
  if (!card_scopes_.empty() && (step_ == Step::Form || step_ == Step::Review || step_ == Step::Identify) &&
      services_.card.presence && !services_.card.presence().card) {
    wipe_card_fields();
    card_data_wiped_ = true;
  }
  if ((step_ == Step::ThankYou || step_ == Step::TicketDone) && thank_you_deadline_ && now >= *thank_you_deadline_) {
    end(EndReason::Finished);
    return;
  }
  if (!more_time_deadline_ && now >= last_input_ + seconds(config_.idle_seconds))
    more_time_deadline_ = now + seconds(config_.more_time_seconds);  // full countdown even if woken late
  if (more_time_deadline_ && now >= *more_time_deadline_) end(EndReason::Timeout);
}

int Session::more_time_seconds_left(TimePoint now) const {
  if (!more_time_deadline_) return 0;
  auto left = std::chrono::ceil<seconds>(*more_time_deadline_ - now).count();
  return left < 0 ? 0 : static_cast<int>(left);
}

std::optional<TimePoint> Session::next_deadline(TimePoint now) const {
  if (submit_pending_ || lookup_pending_) return now;
  if (portal_wait_until_) return *portal_wait_until_;  // the portal's answer itself wakes the loop sooner
  if (step_ == Step::Attract || resting_) return std::nullopt;
  // The card animation and the reading progress move ten times a second; nothing else does.
  if (step_ == Step::Identify && card_stage_ != CardStage::Off && !more_time_deadline_)
    return now + std::chrono::milliseconds(100);
  if (more_time_deadline_) {
    // The countdown on screen changes once a second.
    auto left = *more_time_deadline_ - now;
    TimePoint next_whole = *more_time_deadline_ - std::chrono::floor<seconds>(left);
    if (next_whole <= now) next_whole += seconds(1);
    return std::min(next_whole, *more_time_deadline_);
  }
  TimePoint idle = last_input_ + seconds(config_.idle_seconds);
  if ((step_ == Step::ThankYou || step_ == Step::TicketDone) && thank_you_deadline_ && *thank_you_deadline_ < idle)
    return *thank_you_deadline_;
  return idle;
}

}  // namespace motcua

namespace motcua {

namespace {
bool all_digits(std::string_view s, size_t n) {
  return s.size() == n && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// DDMMYYYY as typed on the digit pad → YYYY-MM-DD; empty when it is not a date.
std::string iso_from_typed(std::string_view d) {
  if (!all_digits(d, 8)) return {};
  int day = std::atoi(std::string(d.substr(0, 2)).c_str()), month = std::atoi(std::string(d.substr(2, 2)).c_str());
  if (day < 1 || day > 31 || month < 1 || month > 12) return {};
  return std::string(d.substr(4, 4)) + "-" + std::string(d.substr(2, 2)) + "-" + std::string(d.substr(0, 2));
}

void zero_field(PersonalData& data, const std::string& scope) {
  auto& text = data.field(scope);
  secure_zero(text.data(), text.size());
  text.clear();
}
}  // namespace

bool Session::card_fills_form() const {
  for (const auto& step : form_->steps)
    for (const forms::Element* c : step.controls)
      if (c->prefill.rfind("card.", 0) == 0) return true;
  return false;
}

bool Session::from_card(const std::string& scope) const {
  return std::find(card_scopes_.begin(), card_scopes_.end(), scope) != card_scopes_.end();
}

bool Session::locked_from_card(const std::string& scope) const {
  if (!form_ || !card_locks_ || !from_card(scope)) return false;
  for (const auto& step : form_->steps)
    for (const forms::Element* c : step.controls)
      if (c->scope == scope) return c->lock_prefilled;
  return false;
}

void Session::start_card_read() {
  const auto* id = data_.find("card.id");
  std::string_view id_view = id ? std::string_view(*id) : std::string_view();
  if (!all_digits(id_view, 12)) {
    card_message_ = CardMessage::IdFormat;
    focus("card.id");
    return;
  }
  std::string dob, expiry;
  if (card_stage_ == CardStage::EnterDates) {
    const auto* d = data_.find("card.dob");
    const auto* e = data_.find("card.expiry");
    dob = iso_from_typed(d ? std::string_view(*d) : std::string_view());
    expiry = iso_from_typed(e ? std::string_view(*e) : std::string_view());
    if (dob.empty() || expiry.empty()) {
      card_message_ = CardMessage::DateFormat;
      focus(dob.empty() ? "card.dob" : "card.expiry");
      return;
    }
  }
  if (!has_card_reader()) {
    card_message_ = CardMessage::NoReader;
    return;
  }
  CardPresence presence = card_presence();
  if (!presence.reader || !presence.card) {
    card_message_ = presence.reader ? CardMessage::NoCard : CardMessage::NoReader;
    secure_zero(dob.data(), dob.size());
    secure_zero(expiry.data(), expiry.size());
    return;
  }
  focus("");
  card_message_ = CardMessage::None;
  card_stage_ = CardStage::Reading;
  services_.card.start(id_view, dob, expiry);
  secure_zero(dob.data(), dob.size());
  secure_zero(expiry.data(), expiry.size());
}

void Session::finish_card_read(CardReadResult& result, TimePoint now) {
  using O = CardReadResult::Outcome;
  bool had_dates = data_.find("card.dob") && !data_.find("card.dob")->empty();
  switch (result.outcome) {
    case O::Read: {
      record_.used_card = true;  // the card filled the form, whichever way the citizen came to it
      card_verification_ = result.verification;
      CardTrust trust = result.verification == CardVerification::Valid     ? CardTrust::Lock
                        : result.verification == CardVerification::Invalid ? config_.card_invalid
                                                                           : config_.card_unverified;
      if (trust == CardTrust::Reject) {
        // Policy: these values are not the issuer's (or cannot be shown to be): none is used.
        ++untrusted_cards_;
        card_message_ = CardMessage::Untrusted;
        card_stage_ = CardStage::EnterId;
        for (const char* f : {"card.id", "card.dob", "card.expiry"}) zero_field(data_, f);
        focus("");
        break;
      }
      card_locks_ = trust == CardTrust::Lock;
      std::string joined;
      for (const auto& step : form_->steps)
        for (const forms::Element* c : step.controls) {
          if (c->prefill.rfind("card.", 0) != 0) continue;
          std::string name = c->prefill.substr(5);
          for (auto& [field, value] : result.fields)
            if (field == name && !value.empty() && c->prefill_when) {
              data_.field("held:" + c->scope) = value;  // placed when its condition holds
            } else if (field == name && !value.empty()) {
              data_.field(c->scope) = value;
              card_scopes_.push_back(c->scope);
              joined += c->scope + "\n";
            }
        }
      data_.field("provenance.card") = joined;  // the dossier's provenance: these came from the chip...
      data_.field("provenance.cardVerification") = card_verification_name(result.verification);  // ...checked so
      secure_zero(joined.data(), joined.capacity());
      for (const char* f : {"card.id", "card.dob", "card.expiry"}) zero_field(data_, f);
      held_applied_.clear();  // a condition already holding places its values at the next refresh
      card_stage_ = CardStage::Off;
      waiting_for_card_ = false;
      card_data_wiped_ = false;
      form_step_ = 0;
      go(Step::Form, now);
      break;
    }
    case O::WrongId:
      card_message_ = CardMessage::WrongId;
      card_stage_ = had_dates ? CardStage::EnterDates : CardStage::EnterId;
      focus("card.id");  // the digits to check are the ID number's
      break;
    case O::NeedsDates:
      card_message_ = CardMessage::NeedDates;
      card_stage_ = CardStage::EnterDates;
      focus("card.dob");
      break;
    case O::Removed:
      card_message_ = CardMessage::Removed;
      card_stage_ = had_dates ? CardStage::EnterDates : CardStage::EnterId;
      break;
    case O::Unreadable:
      card_message_ = CardMessage::Unreadable;
      card_stage_ = had_dates ? CardStage::EnterDates : CardStage::EnterId;
      break;
    case O::NoReader:
      card_message_ = CardMessage::NoReader;
      card_stage_ = had_dates ? CardStage::EnterDates : CardStage::EnterId;
      break;
  }
  for (auto& [field, value] : result.fields) secure_zero(value.data(), value.size());
  result.fields.clear();
}

void Session::wipe_card_fields() {
  for (const auto& scope : card_scopes_) zero_field(data_, scope);
  if (form_)
    for (const auto& step : form_->steps)
      for (const forms::Element* c : step.controls)
        if (c->prefill_when) zero_field(data_, "held:" + c->scope);
  held_applied_.clear();
  zero_field(data_, "provenance.card");
  zero_field(data_, "provenance.cardVerification");
  card_scopes_.clear();
  card_locks_ = false;
  keyboard_.target.clear();
}

void Session::note_card_scope(const std::string& scope) {
  if (!from_card(scope)) card_scopes_.push_back(scope);
  std::string joined;
  for (const auto& s : card_scopes_) joined += s + "\n";
  zero_field(data_, "provenance.card");
  data_.field("provenance.card") = joined;
  secure_zero(joined.data(), joined.capacity());
}

// A held card value goes in when its condition starts holding, unless the citizen already gave
// an answer there; it leaves, if still the card's, when the condition stops ("Cha" fills the
// father's block from the card; changing to "Mẹ" empties it and fills the mother's).
bool Session::place_held_card_values() {
  bool changed = false;
  for (const auto& step : form_->steps)
    for (const forms::Element* c : step.controls) {
      const auto* held = c->prefill_when ? data_.find("held:" + c->scope) : nullptr;
      if (!held || held->empty()) continue;
      bool holds = model_->prefill_applies(*c);
      auto at = std::find(held_applied_.begin(), held_applied_.end(), c->scope);
      if (holds == (at != held_applied_.end())) continue;
      if (holds) {
        held_applied_.push_back(c->scope);
        const auto* now = data_.find(c->scope);
        if (now && !now->empty()) continue;
        data_.field(c->scope) = *held;
        note_card_scope(c->scope);
        changed = true;
      } else {
        held_applied_.erase(at);
        if (!from_card(c->scope)) continue;
        zero_field(data_, c->scope);
        forget_card_scope(c->scope);
        changed = true;
      }
    }
  return changed;
}

void Session::forget_card_scope(const std::string& scope) {
  card_scopes_.erase(std::remove(card_scopes_.begin(), card_scopes_.end(), scope), card_scopes_.end());
  std::string joined;
  for (const auto& s : card_scopes_) joined += s + "\n";
  zero_field(data_, "provenance.card");
  data_.field("provenance.card") = joined;
}

}  // namespace motcua

namespace motcua {

namespace {
void move_field(PersonalData& data, const std::string& from, const std::string& to) {
  auto& src = data.field(from);
  data.field(to) = src;
  secure_zero(src.data(), src.size());
  src.clear();
}

const int max_items = 20;
}  // namespace

int Session::item_count(const std::string& scope) const {
  const auto* n = data_.find("repeat:" + scope);
  return n && !n->empty() ? std::atoi(std::string(*n).c_str()) : 0;
}

const forms::Element* Session::control_at(const std::string& scope, bool on_step_only) const {
  if (!form_) return nullptr;
  const forms::Element* found = nullptr;
  for (size_t n = 0; n < form_->steps.size() && !found; ++n) {
    if (on_step_only && n != static_cast<size_t>(form_step_)) continue;
    const auto& step = form_->steps[n];
    for (const forms::Element* c : step.controls)
      if (c->scope == scope) return c;
    forms::for_each_repeat(step.elements, [&](const forms::Element& r) {
      if (found) return;
      if (scope == r.scope) {  // the list itself (too few items)
        found = &r;
        return;
      }
      if (scope.rfind(r.scope + "/", 0) != 0) return;
      size_t item_end = scope.find('/', r.scope.size() + 1);
      if (item_end == std::string::npos) return;
      std::string inside = scope.substr(item_end);
      forms::for_each_control(r.elements, [&](const forms::Element& c) {
        if (!found && c.scope == inside) found = &c;
      });
    });
  }
  return found;
}

void Session::choose_option(const std::string& scope, int index) {
  const forms::Element* c = control_at(scope, true);
  if (!c || closed_field(scope)) return;
  auto options = forms::choices(*form_, *c, scope);
  if (index < 0 || static_cast<size_t>(index) >= options.size()) return;
  const auto& v = options[static_cast<size_t>(index)].value;
  std::string value = v.is_string() ? v.get<std::string>() : v.dump();
  if (from_card(scope) && std::string_view(data_.field(scope)) != value) forget_card_scope(scope);  // the citizen's own choice now
  data_.field(scope) = value;
  secure_zero(value.data(), value.size());
  if (keyboard_.target == "search:" + scope) {
    auto& search = data_.field(keyboard_.target);
    secure_zero(search.data(), search.size());
    search.clear();
    keyboard_.target.clear();
  }
  touch(scope);
}

void Session::toggle_option(const std::string& scope, int index) {
  const forms::Element* c = control_at(scope, true);
  if (!c || closed_field(scope)) return;
  if (c->widget == "yes-no") {  // one tick: ticked is "true", unticked nothing (false in the dossier)
    data_.field(scope).assign(forms::toggled_tick(data_.field(scope)));
    touch(scope, true);
    return;
  }
  if (c->widget != "checkboxes") return;
  auto options = forms::choices(*form_, *c, scope);
  if (index < 0 || static_cast<size_t>(index) >= options.size()) return;
  const auto& v = options[static_cast<size_t>(index)].value;
  std::string value = v.is_string() ? v.get<std::string>() : v.dump();
  // One value per line, in the options' order, so the dossier's array reads like the form.
  auto& field = data_.field(scope);
  std::vector<std::string> chosen;
  for (std::string_view line : lines_of(field)) chosen.emplace_back(line);
  auto it = std::find(chosen.begin(), chosen.end(), value);
  if (it != chosen.end()) chosen.erase(it);
  else chosen.push_back(value);
  std::string joined;
  for (const auto& o : options) {
    std::string ov = o.value.is_string() ? o.value.get<std::string>() : o.value.dump();
    if (std::find(chosen.begin(), chosen.end(), ov) != chosen.end()) joined += (joined.empty() ? "" : "\n") + ov;
  }
  field = joined;
  touch(scope);
}

// The picker writes names and official codes together, so a dossier never holds a commune that
// is not in the places list, nor one in another province than the province it names.
void Session::choose_place(Intent::Kind kind, const std::string& scope, int number) {
  const forms::Element* c = control_at(scope, true);
  if (!c || c->widget != "address" || !services_.places || closed_field(scope)) return;
  const forms::AdminUnits& places = *services_.places;
  auto parts = forms::address_parts(*form_, scope);
  auto set = [&](const char* part, std::string_view value) {
    if (std::find(parts.begin(), parts.end(), part) == parts.end()) return;
    auto& field = data_.field(scope + "/" + part);
    secure_zero(field.data(), field.size());
    field.assign(value);
  };
  const forms::Province* province = nullptr;
  const forms::AdminUnit* unit = nullptr;
  if (kind == Intent::Kind::ChooseProvince) {
    if (number < 0 || static_cast<size_t>(number) >= places.provinces().size()) return;
    province = &places.provinces()[static_cast<size_t>(number)];
  } else {
    char code[8];
    std::snprintf(code, sizeof code, "%05d", number);
    if (number < 0 || !(unit = places.unit(code))) return;
    province = &places.provinces()[unit->province];
  }
  const auto* before = data_.find(scope + "/province");
  bool moved = !before || std::string_view(*before) != province->name;
  set("province", province->name);
  set("provinceCode", province->code);
  if (unit) {
    set("commune", unit->name);
    set("communeCode", unit->code);
  } else if (moved) {  // a commune of the old province is no answer for the new one
    set("commune", "");
    set("communeCode", "");
  }
  for (const char* box : {"/province", "/commune"}) {
    std::string search = "search:" + scope + box;
    if (keyboard_.target == search) keyboard_.target.clear();
    if (data_.find(search)) {
      auto& text = data_.field(search);
      secure_zero(text.data(), text.size());
      text.clear();
    }
  }
  // A province alone is half an answer: the address counts as touched once a commune is chosen.
  if (unit) touch(scope, true);
  else check_step();
}

void Session::add_item(const std::string& scope) {
  if (closed_field(scope)) return;
  int n = item_count(scope);
  if (n >= max_items) return;
  data_.field("repeat:" + scope) = std::to_string(n + 1);
}

void Session::remove_item(const std::string& scope, int index) {
  int n = item_count(scope);
  if (index < 0 || index >= n || closed_field(scope)) return;
  const forms::Element* repeat = nullptr;
  for (const auto& step : form_->steps)
    forms::for_each_repeat(step.elements, [&](const forms::Element& r) {
      if (r.scope == scope) repeat = &r;
    });
  if (!repeat) return;
  focus("");
  // A help sheet open in this list would move to whichever item takes its place.
  if (help_open_.rfind(scope + "/", 0) == 0) help_open_.clear();
  // Later items move up one place; the last place is emptied.
  for (int i = index; i < n; ++i)
    forms::for_each_control(repeat->elements, [&](const forms::Element& c) {
      std::vector<std::string> fields = {c.scope};
      if (c.widget == "address")
        for (const char* part : {"/province", "/provinceCode", "/commune", "/communeCode", "/street"}) fields.push_back(c.scope + part);
      for (const std::string& field : fields)
      for (const char* kind : {"", "sig:", "search:"}) {
        std::string here = kind + scope + "/" + std::to_string(i) + field;
        if (i + 1 < n) {
          move_field(data_, kind + scope + "/" + std::to_string(i + 1) + field, here);
        } else if (data_.find(here)) {
          auto& text = data_.field(here);
          secure_zero(text.data(), text.size());
          text.clear();
        }
      }
    });
  data_.field("repeat:" + scope) = std::to_string(n - 1);
  check_step();
}

void Session::sign(Intent::Kind kind, const std::string& scope, int point) {
  const forms::Element* c = control_at(scope, true);
  if (!c || c->widget != "signature" || closed_field(scope)) return;
  auto& strokes = data_.field("sig:" + scope);
  int x = std::clamp(point / 10000, 0, 9999), y = std::clamp(point % 10000, 0, 9999);
  switch (kind) {
    case Intent::Kind::SignStart:
      if (!strokes.empty()) strokes += '|';
      [[fallthrough]];
    case Intent::Kind::SignPoint:
      if (!strokes.empty() && strokes.back() != '|') strokes += ' ';
      strokes += std::to_string(x) + "," + std::to_string(y);
      break;
    case Intent::Kind::SignEnd: {
      std::string png = signature_png_base64(strokes);
      data_.field(scope) = png;
      secure_zero(png.data(), png.size());
      touch(scope);
      break;
    }
    case Intent::Kind::SignClear: {
      secure_zero(strokes.data(), strokes.size());
      strokes.clear();
      auto& value = data_.field(scope);
      secure_zero(value.data(), value.size());
      value.clear();
      touch(scope);
      break;
    }
    default: break;
  }
}

}  // namespace motcua

namespace motcua {
bool Session::hidden_on_review(const std::string& scope) const {
  return std::find(hidden_on_review_.begin(), hidden_on_review_.end(), scope) != hidden_on_review_.end();
}
}  // namespace motcua

namespace motcua {

// The form's rules, asked after every change: what shows, what may be answered, which steps
// apply. The model gets the answers only for the time of the question and is wiped after it.
void Session::refresh_form_view() {
  if (!form_) return;
  if (!model_ || &model_->form() != form_) model_ = std::make_shared<forms::FormModel>(*form_, local_time("%Y-%m-%d"));
  // Clearing a hidden answer may hide more (a rule reading it): settle, a few rounds at most.
  for (int round = 0; round < 8; ++round) {
    model_->wipe();
    load_answers(*model_, data_);
    // Computed values go where the screen reads answers, as text; they are personal data too.
    for (const auto& c : form_->computed) {
      nlohmann::json v = model_->value(c.scope);
      std::string text = v.is_null() ? "" : v.is_string() ? v.get<std::string>() : v.dump();
      auto& field = data_.field(c.scope);
      if (std::string_view(field) != text) {
        secure_zero(field.data(), field.size());
        field.assign(text);
      }
      secure_zero(text.data(), text.size());
    }
    view_.clear();
    steps_shown_.clear();
    for (size_t i = 0; i < form_->steps.size(); ++i) {
      auto shown = model_->shown(i);
      if (!shown.empty()) steps_shown_.push_back(static_cast<int>(i));
      for (auto& x : shown) view_[{x.element, x.item}] = x.enabled;
    }
    if (place_held_card_values()) continue;  // the answers changed: the rules read them again
    if (!form_->clear_on_hide || !clear_hidden()) break;
  }
  model_->wipe();
}

// Zeroes the answers of every control and repeat the rules hide; true when one held something.
bool Session::clear_hidden() {
  bool cleared = false;
  std::function<void(const std::vector<forms::Element>&, const std::string&)> walk = [&](const std::vector<forms::Element>& els,
                                                                                        const std::string& item) {
    for (const auto& e : els) {
      if (e.kind == forms::Element::Kind::Group) walk(e.elements, item);
      if (e.kind != forms::Element::Kind::Control && e.kind != forms::Element::Kind::Repeat) continue;
      if (model_->is_computed(item + e.scope)) continue;
      if (!view_.count({&e, item})) {
        auto before = [&](const std::string& key) { const auto* v = data_.find(key); return v && !v->empty(); };
        bool had = before(item + e.scope) || before("repeat:" + item + e.scope) || before("sig:" + item + e.scope);
        if (e.widget == "address")
          for (const char* part : {"/province", "/provinceCode", "/commune", "/communeCode", "/street"}) had |= before(item + e.scope + part);
        if (e.kind == forms::Element::Kind::Repeat)
          had |= item_count(item + e.scope) > 0;
        clear_element(e, item);
        cleared |= had;
        continue;
      }
      if (e.kind == forms::Element::Kind::Repeat)
        for (int i = 0, n = item_count(item + e.scope); i < n; ++i) walk(e.elements, item + e.scope + "/" + std::to_string(i));
    }
  };
  for (const auto& step : form_->steps) walk(step.elements, "");
  return cleared;
}

void Session::clear_element(const forms::Element& e, const std::string& item) {
  std::string scope = item + e.scope;
  auto zero = [&](const std::string& key) {
    if (!data_.find(key)) return;
    auto& text = data_.field(key);
    secure_zero(text.data(), text.size());
    text.clear();
  };
  if (e.kind == forms::Element::Kind::Repeat) {
    for (int i = 0, n = item_count(scope); i < n; ++i)
      for (const auto& child : e.elements) clear_element(child, scope + "/" + std::to_string(i));
    zero("repeat:" + scope);
  } else if (e.kind == forms::Element::Kind::Group) {
    for (const auto& child : e.elements) clear_element(child, item);
  } else if (e.kind == forms::Element::Kind::Control) {
    for (const char* kind : {"", "sig:", "search:"}) zero(kind + scope);
    for (const char* part : {"/province", "/provinceCode", "/commune", "/communeCode", "/street"}) {
      zero(scope + part);
      zero("search:" + scope + part);
    }
  }
  if (keyboard_.target.rfind(scope, 0) == 0 || keyboard_.target.rfind("search:" + scope, 0) == 0) keyboard_.target.clear();
}

bool Session::shown(const forms::Element& e, const std::string& item) const { return view_.count({&e, item}) > 0; }

bool Session::enabled(const forms::Element& e, const std::string& item) const {
  auto it = view_.find({&e, item});
  return it != view_.end() && it->second;
}

bool Session::answerable(const std::string& scope) const {
  const forms::Element* c = control_at(scope);
  if (!c) return false;
  std::string item = scope.size() > c->scope.size() ? scope.substr(0, scope.size() - c->scope.size()) : "";
  return enabled(*c, item);
}

bool Session::computed(const std::string& scope) const {
  return form_ && std::any_of(form_->computed.begin(), form_->computed.end(), [&](const forms::Computed& c) { return c.scope == scope; });
}

int Session::next_step(int from, int direction) const {
  for (int i = from + direction; i >= 0 && i < static_cast<int>(form_ ? form_->steps.size() : 0); i += direction)
    if (std::find(steps_shown_.begin(), steps_shown_.end(), i) != steps_shown_.end()) return i;
  return -1;
}

int Session::step_number() const {
  return static_cast<int>(std::count_if(steps_shown_.begin(), steps_shown_.end(), [&](int i) { return i < form_step_; })) + 1;
}

bool Session::last_step() const { return next_step(form_step_, 1) < 0; }

bool Session::step_applies(int step) const { return std::find(steps_shown_.begin(), steps_shown_.end(), step) != steps_shown_.end(); }

bool Session::closed_field(const std::string& target) const {
  if (!form_ || step_ != Step::Form) return false;
  std::string scope = target.rfind("search:", 0) == 0 ? target.substr(7) : target.rfind("date:", 0) == 0 ? target.substr(5) : target;
  if (control_at(scope)) return !answerable(scope);
  size_t slash = scope.rfind('/');  // a part of an address: the address decides
  if (slash != std::string::npos && slash > 0)
    if (const forms::Element* c = control_at(scope.substr(0, slash)); c && c->widget == "address") return !answerable(scope.substr(0, slash));
  return false;
}

const Category* Session::receipt_ticket_category() const {
  if (!services_.tickets || !form_) return nullptr;
  const Category* c = catalog_.category(form_->category);
  return c && !c->queue_prefix.empty() && !c->counter.empty() ? c : nullptr;
}

// As at the ticket step: a number that could not be saved is not handed out, and may be asked again.
void Session::hand_out_receipt_ticket() {
  const Category* c = receipt_ticket_category();
  if (!c) return;
  try {
    ticket_number_ = services_.tickets(*c, ticket_priority_, language_);
    ticket_category_ = c->id;
    ticket_error_.clear();
  } catch (const std::exception& e) {
    ticket_error_ = e.what();
  }
}

}  // namespace motcua
