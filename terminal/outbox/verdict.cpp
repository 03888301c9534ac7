#include "terminal/outbox/verdict.h"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

namespace motcua::outbox {

namespace {

Verdict retry(std::string why) {
  Verdict v;
  v.kind = Verdict::Kind::Retry;
  v.error = std::move(why);
  return v;
}

}  // namespace

Verdict judge(const HttpResponse& r) {
  if (r.status == 0) {
    Verdict v = retry("network: " + r.transport_error);
    v.network = true;
    return v;
  }
  std::string status = "HTTP " + std::to_string(r.status);
  if (!r.from_portal()) return retry(status + " without the protocol header (captive portal or proxy?)");
  bool replay = r.header("idempotent-replayed") == "true";
  if (r.status == 201 || r.status == 202 || (r.status == 200 && replay)) {
    auto body = nlohmann::json::parse(r.body, nullptr, false);
    if (!body.is_object() || !body.contains("dossierCode") || !body["dossierCode"].is_string())
      return retry(status + " without a dossier code");
    Verdict v;
    v.kind = Verdict::Kind::Sent;
    v.code = body["dossierCode"].get<std::string>();
    v.received_at = body.value("receivedAt", "");
    v.appointment = body.value("appointmentAt", "");
    return v;
  }
  if (r.status == 401 || r.status == 403) {
    Verdict v;
    v.kind = Verdict::Kind::Pause;
    v.error = status + ": the portal refused this kiosk";
    return v;
  }
  if (r.status == 408 || r.status == 409 || r.status == 429 || r.status >= 500) {
    Verdict v = retry(status);
    std::string after = r.header("retry-after");
    if (!after.empty() && std::all_of(after.begin(), after.end(), ::isdigit)) v.retry_after_s = std::stod(after);
    return v;
  }
  if (r.status >= 400) {
    Verdict v;
    v.kind = Verdict::Kind::Reject;
    auto body = nlohmann::json::parse(r.body, nullptr, false);
    std::string code = body.is_object() ? body.value("error", "") : "";
    v.error = status + (code.empty() ? "" : " " + code.substr(0, 40)) + ": rejected, needs staff";
    return v;
  }
  return retry(status + " unexpected");
}

Backoff::Backoff(std::uint64_t seed, double base_s, double cap_s) : rng_(seed), base_(base_s), cap_(cap_s) {}

double Backoff::ceiling_s(int attempt) const {
  int doublings = std::clamp(attempt - 1, 0, 40);
  return std::min(cap_, base_ * std::ldexp(1.0, doublings));
}

double Backoff::delay_s(int attempt) {
  return std::uniform_real_distribution<double>(0.0, ceiling_s(attempt))(rng_);
}

}  // namespace motcua::outbox
