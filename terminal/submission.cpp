#include "terminal/submission.h"

#include <cctype>
#include <chrono>
#include <ctime>
#include <fstream>
#include <sstream>

#include "terminal/answers.h"
#include "terminal/input.h"
#include "terminal/outbox/envelope.h"

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

// What travels to POST /v1/dossiers: the clear metadata the portal routes by and the sealed dossier.
std::string dossier_request_body(const forms::FormPackage& form, const std::string& uuid, const PersonalData& data,
                                 bool assisted, const std::string& kiosk_id, const std::string& kiosk_reference,
                                 const std::string& envelope_key_pem) {
  forms::FormModel model(form, local_time("%Y-%m-%d"));
  load_answers(model, data);
  nlohmann::json dossier = dossier_of(model, data, uuid);
  model.wipe();
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
  return body.dump();
}

}  // namespace

std::string enqueue_dossier(outbox::Store& store, const forms::FormPackage& form, const std::string& uuid,
                            const PersonalData& data, bool assisted, const std::string& kiosk_id,
                            const std::string& envelope_key_pem, const std::string& appointment_date) {
  std::string reference = store.next_reference(kiosk_id, local_time("%Y-%m-%d"));
  std::string body = dossier_request_body(form, uuid, data, assisted, kiosk_id, reference, envelope_key_pem);
  outbox::Item item;
  item.uuid = uuid;
  item.kind = "dossier";
  item.kiosk_reference = reference;
  item.procedure = form.procedure_code.empty() ? form.id : form.procedure_code;
  item.appointment_date = appointment_date;
  item.created_at = static_cast<std::int64_t>(std::time(nullptr));
  store.enqueue(item, body);
  return reference;
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
  lookup_client_ = std::make_unique<outbox::PortalClient>(lookup);
  sender_->start();
}

Submission::~Submission() { sender_->stop(); }

SubmitReceipt Submission::submit(const forms::FormPackage& form, const std::string& uuid, const PersonalData& data,
                                 bool assisted) {
  std::string appointment = calendar_.add_working_days(local_time("%Y-%m-%d"), form.processing_days);
  std::string reference;
  try {
    reference = enqueue_dossier(*store_, form, uuid, data, assisted, config_.kiosk_id, envelope_key_pem_, appointment);
  } catch (const outbox::StoreError& e) {
    std::fprintf(stderr, "motcua: staff alert: %s\n", e.what());
    throw std::runtime_error("outbox");
  }
  sender_->kick();
  SubmitReceipt receipt{reference, appointment, false};
  auto wait = std::chrono::milliseconds(static_cast<long>(config_.portal_wait_seconds * 1000));
  if (auto sent = sender_->wait_for(uuid, wait); sent && sent->state == "sent") {
    receipt.reference = sent->portal_code;
    if (!sent->portal_appointment.empty()) receipt.appointment = sent->portal_appointment;
    receipt.from_portal = true;
  }
  return receipt;
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
      st.found = DossierStatus::Found::WaitingAtKiosk;
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
    st.found = DossierStatus::Found::No;
    return st;
  }
  auto doc = nlohmann::json::parse(r.body, nullptr, false);
  if (r.status != 200 || !doc.is_object()) return st;
  st.found = DossierStatus::Found::Yes;
  st.code = doc.value("dossierCode", query);
  st.status = doc.value("status", "");
  st.reason = doc.value("reason", "");
  st.appointment = doc.value("appointmentAt", "");
  st.new_appointment = doc.value("newAppointmentAt", "");
  st.received_at = doc.value("receivedAt", "");
  st.procedure = doc.value("procedureCode", "");
  return st;
}

}  // namespace motcua
