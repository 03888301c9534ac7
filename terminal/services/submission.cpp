#include "terminal/services/submission.h"

#include <cctype>
#include <chrono>
#include <cmath>
#include <ctime>
#include <fstream>
#include <sstream>

#include "terminal/core/answers.h"
#include "terminal/core/input.h"
#include "terminal/services/document_pdf.h"
#include "terminal/services/outbox/envelope.h"

namespace motcua {

std::string resolve(const std::string& path, const std::string& data_root) {
  if (path.empty() || path[0] == '/' || data_root.empty()) return path;
  return data_root + "/" + path;
}

outbox::PortalOptions portal_options(const KioskConfig& c, const std::string& data_root) {
  outbox::PortalOptions o;
  o.url = c.endpoint;
  o.token = c.portal_token;
  o.ca_file = resolve(c.portal_ca_file, data_root);
  o.kiosk_id = c.kiosk_id;
  return o;
}

namespace {

// The scanned papers go inside the sealed dossier, one PDF each ("documents": id, pages, sha256,
// base64 content), so they travel with it exactly once. Returned: what the portal may read in the
// clear (ids and page counts, and which papers come to the counter), never their content.
nlohmann::json seal_documents(const CapturedDocuments& docs, nlohmann::json& dossier) {
  nlohmann::json clear = nlohmann::json::array(), sealed = nlohmann::json::array();
  for (const CapturedDocument& d : docs.all()) {
    if (d.at_counter) {
      clear.push_back({{"id", d.id}, {"pages", 0}, {"atCounter", true}});
      continue;
    }
    if (d.pages.empty()) continue;
    std::pmr::string pdf = document_pdf(d);
    int pages = static_cast<int>(d.pages.size());
    sealed.push_back({{"id", d.id}, {"mediaType", "application/pdf"}, {"pages", pages},
                      {"sha256", outbox::sha256_hex(pdf)}, {"content", base64(pdf)}});
    clear.push_back({{"id", d.id}, {"pages", pages}, {"bytes", pdf.size()}});
    secure_zero(pdf.data(), pdf.capacity());
  }
  if (!sealed.empty()) dossier["documents"] = std::move(sealed);
  return clear;
}

// What travels to POST /v1/dossiers: the clear metadata the portal routes by and the sealed dossier.
std::string dossier_request_body(const forms::FormPackage& form, const std::string& uuid, const PersonalData& data,
                                 bool assisted, const std::string& kiosk_id, const std::string& kiosk_reference,
                                 const std::string& envelope_key_pem) {
  forms::FormModel model(form, local_time("%Y-%m-%d"));
  load_answers(model, data);
  nlohmann::json dossier = dossier_of(model, data, uuid);
  model.wipe();
  nlohmann::json documents = seal_documents(data.documents(), dossier);
  std::pmr::string plain(zeroing_resource());  // what it outgrows while growing is zeroed too
  dump_into(dossier, plain);
  wipe_json(dossier);
  nlohmann::json envelope;
  try {
    envelope = outbox::seal(plain, envelope_key_pem, uuid);
  } catch (...) {
    secure_zero(plain.data(), plain.capacity());
    throw;
  }
  secure_zero(plain.data(), plain.capacity());  // from here on only ciphertext exists
  nlohmann::json body = {
      {"kioskId", kiosk_id},
      {"kioskReference", kiosk_reference},
      {"procedureCode", form.procedure_code},
      {"formId", form.id},
      {"formVersion", form.version},
      {"processingDays", form.processing_days},
      {"confirmedAt", iso_local_time()},
      {"assisted", assisted},
      {"envelope", envelope},
  };
  if (!documents.empty()) body["documents"] = documents;
  return body.dump();
}

}  // namespace

std::string enqueue_dossier(outbox::Store& store, const forms::FormPackage& form, const std::string& uuid,
                            const PersonalData& data, bool assisted, const std::string& kiosk_id,
                            const std::string& envelope_key_pem, const std::string& appointment_date) {
  outbox::Item item;
  item.uuid = uuid;
  item.kind = "dossier";
  item.procedure = form.procedure_code.empty() ? form.id : form.procedure_code;
  item.appointment_date = appointment_date;
  item.created_at = static_cast<std::int64_t>(std::time(nullptr));
  for (const auto& d : data.documents().all()) {  // counts for the staff screen, nothing else
    if (!d.pages.empty()) ++item.papers_scanned;
    else if (d.at_counter) ++item.papers_at_counter;
  }
  return store.enqueue_new(item, kiosk_id, local_time("%Y-%m-%d"), [&](const std::string& reference) {
    return dossier_request_body(form, uuid, data, assisted, kiosk_id, reference, envelope_key_pem);
  });
}

Submission::Submission(const KioskConfig& config, const std::string& data_root, const WorkingCalendar& calendar,
                       std::function<void()> on_change)
    : config_(config), calendar_(calendar) {
  std::string key_path = resolve(config.envelope_key_file, data_root);
  std::ifstream in(key_path);
  if (!in) throw InputError(key_path + ": cannot open file (envelopeKeyFile)");
  std::stringstream ss;
  ss << in.rdbuf();
  envelope_key_pem_ = ss.str();
  try {
    outbox::key_id(envelope_key_pem_);
  } catch (const outbox::EnvelopeError& e) {
    throw InputError(key_path + ": " + e.what() + " (envelopeKeyFile)");
  }
  store_ = std::make_unique<outbox::Store>(config.data_dir + "/outbox");
  const auto& r = store_->recovery();
  if (r.pending || r.leftovers_removed || r.missing_bodies)
    std::fprintf(stderr, "motcua: outbox: %d waiting to be sent, %d leftovers removed, %d bodies missing\n", r.pending,
                 r.leftovers_removed, r.missing_bodies);
  outbox::SenderOptions so;
  so.portal = portal_options(config, data_root);
  so.on_change = std::move(on_change);
  sender_ = std::make_unique<outbox::Sender>(*store_, so);
  outbox::PortalOptions lookup = so.portal;
  lookup.timeout_ms = 5000;  // a citizen is waiting at the screen
  lookup.connect_timeout_ms = 3000;
  lookup.cancel = &lookups_stopping_;
  lookup_client_ = std::make_unique<outbox::PortalClient>(lookup);
  sender_->start();
  try {
    control_ = std::make_unique<outbox::ControlServer>(store_->dir() + "/control.sock", [this](const std::string& line) {
      return outbox_control(*store_, *sender_, line);
    }, config.staff_group);
  } catch (const std::exception& e) {  // the kiosk still works; staff commands then say no kiosk answers
    std::fprintf(stderr, "motcua: staff alert: outbox control socket: %s\n", e.what());
  }
}

Submission::~Submission() {
  control_.reset();
  sender_->stop();
}

std::string outbox_control(outbox::Store& store, outbox::Sender& sender, const std::string& request) {
  std::string command = request.substr(0, request.find(' '));
  std::string reference = request.size() > command.size() ? request.substr(command.size() + 1) : "";
  if (command != "retry") return "error unknown request";
  int n = store.retry_now(reference);
  if (!reference.empty() && n == 0) return "error " + reference + ": no waiting or rejected dossier with this reference";
  sender.kick();
  return "ok " + std::to_string(n);
}

SubmitReceipt Submission::submit(const forms::FormPackage& form, const std::string& uuid, const PersonalData& data,
                                 bool assisted) {
  std::string appointment = calendar_.add_working_days(local_time("%Y-%m-%d"), form.processing_days);
  std::string reference;
  try {
    reference = enqueue_dossier(*store_, form, uuid, data, assisted, config_.kiosk_id, envelope_key_pem_, appointment);
  } catch (const outbox::StoreError& e) {
    // Staff read the cause in plain words and the folder; the citizen sees "Chưa lưu được hồ sơ"
    // with the answers kept. Nothing was committed, so nothing kept before is touched.
    std::string what = e.what(), cause = "the disk refused the write";
    if (what.find("full") != std::string::npos) cause = "the disk is full";
    else if (what.find("readonly") != std::string::npos || what.find("read-only") != std::string::npos) cause = "the disk is read-only";
    std::fprintf(stderr, "motcua: staff alert: a dossier could not be kept: data folder %s: %s (%s); the citizen was told and keeps the answers\n",
                 config_.data_dir.c_str(), cause.c_str(), what.c_str());
    throw std::runtime_error("outbox");
  }
  sender_->kick();
  SubmitReceipt kept{reference, appointment, false};
  kept.estimated = true;  // until the portal gives its own date
  // Told so even when the screen does not wait for the portal. The dossier is kept already: a
  // read that fails here must not turn into "not saved" (portal_answer asks again).
  try {
    kept.paused = !store_->paused().empty();
  } catch (const std::exception&) {
  }
  return kept;
}

std::optional<SubmitReceipt> Submission::portal_answer(const std::string& uuid) {
  std::optional<outbox::Item> item = store_->find(uuid);
  // The first attempt is still going, unless the queue is paused (staff must act) or the portal
  // asked the kiosk to wait (Retry-After) since before this dossier was made and for longer than
  // the screen waits: then none comes within the wait, and the screen must not say "sending".
  const auto now = static_cast<std::int64_t>(std::time(nullptr));
  const auto wait_end = now + static_cast<std::int64_t>(std::ceil(config_.portal_wait_seconds));
  if (item && item->state == "waiting" && item->attempts == 0 && store_->paused().empty() &&
      !sender_->holds(item->created_at, wait_end))
    return std::nullopt;
  SubmitReceipt answer;
  if (item && item->state == "sent") {
    answer.reference = item->portal_code;
    answer.appointment = item->portal_appointment;
    answer.from_portal = true;
  }
  answer.refused = item && item->state == "rejected";
  // Waiting while the queue is paused: "sent automatically later" would not be true.
  answer.paused = !answer.from_portal && !answer.refused && !store_->paused().empty();
  return answer;
}

void Submission::submit_evaluation(const Evaluation& e, std::string_view comment) {
  nlohmann::json answers = nlohmann::json::object();
  for (auto& [criterion, level] : e.answers) answers[criterion] = level;
  std::string uuid = new_uuid_v4();
  nlohmann::json body = {{"dossierCode", e.dossier_reference}, {"procedureCode", e.procedure_code},
                         {"kioskId", e.kiosk_id},            {"assisted", e.assisted},
                         {"fromLookup", e.from_lookup},       {"survey", e.survey},
                         {"answers", answers},                {"at", iso_local_time()}};
  if (!comment.empty()) body["comment"] = outbox::seal(comment, envelope_key_pem_, uuid);
  outbox::Item item;
  item.uuid = uuid;
  item.kind = "evaluation";
  item.kiosk_reference = "EVAL-" + e.dossier_reference;  // UNIQUE: one evaluation per dossier
  item.procedure = e.procedure_code;
  item.created_at = static_cast<std::int64_t>(std::time(nullptr));
  try {
    store_->enqueue(item, body.dump());
    sender_->kick();
  } catch (const outbox::StoreError& e) {
    std::fprintf(stderr, "motcua: evaluation not queued: %s\n", e.what());
  }
}

DossierStatus Submission::lookup(const std::string& code) {
  DossierStatus st;
  std::string query = code;
  if (auto local = store_->find(code)) {
    if (local->state != "sent") {
      using F = DossierStatus::Found;
      st.found = local->state == "rejected" ? F::RefusedAtKiosk : !store_->paused().empty() ? F::PausedAtKiosk : F::WaitingAtKiosk;
      st.code = local->kiosk_reference;
      st.appointment = local->appointment_date;
      st.procedure = local->procedure;
      return st;
    }
    query = local->portal_code;
  }
  std::string path = "/v1/dossiers/";
  for (unsigned char c : query) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_') path.push_back(static_cast<char>(c));
    else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      path += hex;
    }
  }
  outbox::HttpResponse r = lookup_client_->get(path);
  if (!r.from_portal()) return st;  // Unavailable: no network, or not the portal answering
  if (r.status == 404) {
    // Another kiosk's own code that the portal has not got: that kiosk may still hold the dossier,
    // so "not found, check the code" would be wrong.
    const bool other_kiosk = outbox::is_kiosk_reference(query) && query.rfind(config_.kiosk_id + "-", 0) != 0;
    st.found = other_kiosk ? DossierStatus::Found::AtAnotherKiosk : DossierStatus::Found::No;
    st.code = other_kiosk ? query : "";
    return st;
  }
  // Bounded and typed: an answer of the wrong shape, or about another dossier, is "unavailable"
  // (the citizen is asked to try later) and staff are told which field; never a crash.
  nlohmann::json doc = outbox::parse_answer(r.body);
  if (r.status != 200) return st;
  try {
    if (doc.is_discarded()) throw outbox::AnswerError("not JSON (or nested too deep)");
    auto code = outbox::string_field(doc, "dossierCode");
    auto reference = outbox::string_field(doc, "kioskReference");
    if (!code || (*code != query && reference.value_or("") != query)) throw outbox::AnswerError("names another dossier");
    DossierStatus found;
    found.found = DossierStatus::Found::Yes;
    found.code = *code;
    found.status = outbox::string_field(doc, "status").value_or("");
    found.reason = outbox::string_field(doc, "reason").value_or("");
    found.appointment = outbox::string_field(doc, "appointmentAt").value_or("");
    found.new_appointment = outbox::string_field(doc, "newAppointmentAt").value_or("");
    found.received_at = outbox::string_field(doc, "receivedAt").value_or("");
    found.procedure = outbox::string_field(doc, "procedureCode").value_or("");
    return found;
  } catch (const outbox::AnswerError& e) {
    lookup_client_->drop_connection();
    std::fprintf(stderr, "motcua: staff alert: dossier lookup: the portal's answer is unusable: %s\n", e.what());
    return st;
  }
}

}  // namespace motcua
