#include "terminal/services/receipt_request.h"

#include "terminal/core/procedure_facts.h"

namespace motcua {

nlohmann::json receipt_request(const forms::FormPackage& form, const SubmitReceipt& r, const std::string& reference,
                               const std::string& lang, const KioskConfig& config, const Catalog& catalog,
                               const std::string& received_at) {
  nlohmann::json receipt = {
      {"centerName", center_name(config, lang)},
      {"kioskId", config.kiosk_id},
      {"procedureName", form.title.in(lang)},
      {"dossierCode", reference},
      {"receivedAt", received_at},
      {"appointmentAt", r.appointment},
  };
  if (config.endpoint == "demo") receipt["demo"] = true;
  else if (r.refused) receipt["portalRefused"] = true;
  else if (r.paused) receipt["portalPaused"] = true;
  else if (!r.from_portal) receipt["portalPending"] = true;
  if (r.estimated) receipt["appointmentEstimated"] = true;  // the kiosk's count, not the portal's date
  if (!config.hotline.empty()) receipt["hotline"] = config.hotline;
  // Where to go next: the counters of the procedure's field (categories.json), and the papers
  // whose originals the clerk checks there (meta.documents' originalAtCounter).
  if (const Category* c = catalog.category(form.category); c && !c->counter.empty()) receipt["counter"] = c->counter;
  for (const forms::Document* d : procedure_facts(form, lang).originals) receipt["originals"].push_back(d->name.in(lang));
  long long fee = 0;
  for (auto& f : form.fees) fee += f.value("amount", 0LL);
  if (fee > 0) {
    receipt["fee"] = fee;
    receipt["feePaid"] = false;
    if (!config.payment_account.empty())
      receipt["payment"] = {{"bankBin", config.payment_bank_bin}, {"account", config.payment_account}, {"purpose", reference}};
  }
  return receipt;
}

}  // namespace motcua
