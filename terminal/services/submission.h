// The kiosk's side of submission when a portal is configured: the DossierSink that seals a
// dossier into the outbox, plus the sender thread that delivers it.
// Rule: the citizen hears "submitted" only after the outbox holds the dossier on disk; the
// portal's own code is printed when it answers within portalWaitSeconds, else the kiosk's.
#pragma once
#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "terminal/core/config.h"
#include "terminal/services/outbox/control.h"
#include "terminal/services/outbox/sender.h"
#include "terminal/services/outbox/store.h"
#include "terminal/core/session.h"
#include "terminal/core/working_days.h"

namespace motcua {

// The durable write of a confirmed dossier, as the kiosk does it: a kiosk reference, the sealed
// request, the body fsynced and the row committed. Returns the kiosk reference.
// Throws outbox::StoreError or outbox::EnvelopeError; nothing is half-kept.
std::string enqueue_dossier(outbox::Store& store, const forms::FormPackage& form, const std::string& uuid,
                            const PersonalData& data, bool assisted, const std::string& kiosk_id,
                            const std::string& envelope_key_pem, const std::string& appointment_date);

class Submission {
 public:
  // Takes DATA_DIR/outbox as its one owner (recovering it), starts the sender and listens on
  // DATA_DIR/outbox/control.sock for `motcua outbox retry`. Throws InputError when the envelope
  // key cannot be read, outbox::OwnerBusy when another process owns the outbox,
  // outbox::StoreError when the outbox cannot be opened.
  Submission(const KioskConfig& config, const std::string& data_root, const WorkingCalendar& calendar,
             std::function<void()> on_change);
  ~Submission();

  // Seals and keeps the dossier (durably, before it returns) and wakes the sender: the receipt
  // carries the kiosk's reference. Never waits for the portal.
  SubmitReceipt submit(const forms::FormPackage& form, const std::string& uuid, const PersonalData& data, bool assisted);
  // Without waiting: nothing while the first attempt to send the dossier is going, then the
  // portal's code and appointment if it took it, else a receipt with from_portal false.
  std::optional<SubmitReceipt> portal_answer(const std::string& uuid);
  // Queues an evaluation for POST /v1/evaluations; the comment, if any, is sealed like a dossier.
  void submit_evaluation(const Evaluation& e, std::string_view comment);
  // By the portal's code or the kiosk's reference: the outbox answers for what it still holds,
  // the portal for the rest (GET /v1/dossiers/{code}).
  DossierStatus lookup(const std::string& code);
  // The kiosk is stopping: a lookup in flight ends within about a second ("unavailable").
  void cut_lookups_short() { lookups_stopping_ = true; }
  outbox::Store& store() { return *store_; }
  outbox::Sender& sender() { return *sender_; }

 private:
  const KioskConfig& config_;
  const WorkingCalendar& calendar_;
  std::string envelope_key_pem_;
  std::unique_ptr<outbox::Store> store_;
  std::unique_ptr<outbox::Sender> sender_;
  std::atomic<bool> lookups_stopping_{false};
  std::unique_ptr<outbox::PortalClient> lookup_client_;  // the status lookup's own connection (its one thread)
  std::unique_ptr<outbox::ControlServer> control_;
};

// What `motcua outbox retry [REFERENCE]` asks of the owner: the answer line ("ok N" or "error ...").
std::string outbox_control(outbox::Store& store, outbox::Sender& sender, const std::string& request);

// The portal settings of a kiosk configuration, with relative files resolved against data_root.
outbox::PortalOptions portal_options(const KioskConfig& config, const std::string& data_root);
std::string resolve(const std::string& path, const std::string& data_root);

}  // namespace motcua
