#include "terminal/services/outbox/verdict.h"

#include <algorithm>
#include <cmath>

namespace motcua::outbox {

namespace {

constexpr size_t kMaxString = 200;

Verdict retry(std::string why) {
  Verdict v;
  v.kind = Verdict::Kind::Retry;
  v.error = std::move(why);
  return v;
}

Verdict protocol_error(std::string why) {
  Verdict v = retry(std::move(why));
  v.protocol = true;
  return v;
}

// A dossier code goes on the receipt and into a barcode: letters, digits and . - _ / only.
bool printable_code(const std::string& s) {
  return !s.empty() && s.size() <= 40 &&
         s.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_/") == std::string::npos;
}

}  // namespace

nlohmann::json parse_answer(std::string_view body, int max_depth) {
  bool too_deep = false;
  nlohmann::json::parser_callback_t refuse = [&](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
    if (depth > max_depth) too_deep = true;
    return !too_deep;
  };
  try {
    nlohmann::json j = nlohmann::json::parse(body.begin(), body.end(), refuse, false);
    if (!too_deep) return j;
  } catch (const std::exception&) {  // allow_exceptions=false already; nothing from outside may escape
  }
  return nlohmann::json(nlohmann::json::value_t::discarded);
}

std::optional<std::string> string_field(const nlohmann::json& o, const char* name) {
  if (!o.is_object()) throw AnswerError("not a JSON object");
  auto it = o.find(name);
  if (it == o.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) throw AnswerError(std::string("\"") + name + "\" is not a string");
  const std::string& s = it->get_ref<const std::string&>();
  if (s.size() > kMaxString) throw AnswerError(std::string("\"") + name + "\" is over " + std::to_string(kMaxString) + " bytes");
  return s;
}

std::optional<std::int64_t> retry_after_seconds(std::string_view h) {
  if (h.empty() || h.size() > 12 || h.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  std::int64_t v = 0;
  for (char c : h) v = std::min<std::int64_t>(v * 10 + (c - '0'), 86400);  // 12 digits cannot overflow before the clamp
  return v;
}

Verdict judge(const HttpResponse& r, const Expected& expected) {
  if (r.status == 0) {
    if (r.oversized) return protocol_error("answer over " + std::to_string(kMaxAnswerBytes / 1024) + " KiB, refused");
    Verdict v = retry("network: " + r.transport_error);
    v.network = true;
    return v;
  }
  std::string status = "HTTP " + std::to_string(r.status);
  if (!r.from_portal()) return retry(status + " without the protocol header (captive portal or proxy?)");
  bool replay = r.header("idempotent-replayed") == "true";
  if (r.status == 201 || r.status == 202 || (r.status == 200 && replay)) {
    nlohmann::json body = parse_answer(r.body);
    if (body.is_discarded() || !body.is_object()) return protocol_error(status + " answer is not a JSON object (or nests too deep)");
    const char* names = expected.kind == "evaluation" ? "dossierCode" : "kioskReference";
    Verdict v;
    try {
      auto code = string_field(body, "dossierCode");
      if (!code) return protocol_error(status + " without a dossier code (\"dossierCode\")");
      if (!printable_code(*code)) return protocol_error(status + " \"dossierCode\" is not a dossier code");
      auto named = string_field(body, names);
      if (!named || *named != expected.reference)
        return protocol_error(status + " names another " + expected.kind + " (\"" + names + "\"): answer not for this one");
      v.code = *code;
      v.received_at = string_field(body, "receivedAt").value_or("");
      v.appointment = string_field(body, "appointmentAt").value_or("");
    } catch (const AnswerError& e) {
      return protocol_error(status + " " + e.what());
    }
    if (!v.appointment.empty() && (v.appointment.size() < 10 || v.appointment[4] != '-' || v.appointment[7] != '-'))
      return protocol_error(status + " \"appointmentAt\" is not a date");
    v.kind = Verdict::Kind::Sent;
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
    if (auto s = retry_after_seconds(after)) v.retry_after_s = static_cast<double>(*s);
    else if (!after.empty()) v.error += " (\"Retry-After\" not a number of seconds, ignored)";
    return v;
  }
  if (r.status >= 400) {
    Verdict v;
    v.kind = Verdict::Kind::Reject;
    std::string code;
    try {
      code = string_field(parse_answer(r.body), "error").value_or("");
    } catch (const AnswerError&) {
    }
    code = code.substr(0, 40);
    for (char& c : code)
      if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '?';
    v.error = status + (code.empty() ? "" : " " + code) + ": rejected, needs staff";
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

std::int64_t next_attempt(std::int64_t now, double seconds, double floor_s, double cap_s) {
  if (!(cap_s >= 0) || !std::isfinite(cap_s)) cap_s = 600;
  floor_s = std::isfinite(floor_s) ? std::clamp(floor_s, 0.0, cap_s) : 0;
  if (!std::isfinite(seconds)) seconds = cap_s;
  seconds = std::clamp(seconds, floor_s, cap_s);
  return now + static_cast<std::int64_t>(std::ceil(seconds));
}

}  // namespace motcua::outbox
