#include "devices/printer/documents.h"

#include "devices/printer/vietqr.h"

namespace motcua::printer {

namespace {

using nlohmann::json;

std::string need_text(const json& in, const char* key) {
  if (!in.contains(key) || !in[key].is_string() || in[key].get<std::string>().empty())
    throw DocumentError(std::string("field \"") + key + "\": required text is missing");
  return in[key].get<std::string>();
}

std::string need_time(const json& in, const char* key) {
  std::string t = need_text(in, key);
  if (format_time(t).empty()) throw DocumentError(std::string("field \"") + key + "\": expected a time like 2026-11-21T09:30:00+07:00, got \"" + t + "\"");
  return format_time(t);
}

std::string optional_text(const json& in, const char* key) {
  return in.contains(key) && in[key].is_string() ? in[key].get<std::string>() : "";
}

bool digits_at(const std::string& s, size_t pos, size_t n) {
  if (pos + n > s.size()) return false;
  for (size_t i = pos; i < pos + n; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

}  // namespace

std::string mask_id(const std::string& id) {
  if (id.size() <= 6) return std::string(id.size(), '*');
  return id.substr(0, 3) + std::string(id.size() - 6, '*') + id.substr(id.size() - 3);
}

std::string format_time(const std::string& t) {
  if (!digits_at(t, 0, 4) || t[4] != '-' || !digits_at(t, 5, 2) || t[7] != '-' || !digits_at(t, 8, 2)) return "";
  std::string date = t.substr(8, 2) + "/" + t.substr(5, 2) + "/" + t.substr(0, 4);
  if (t.size() >= 16 && (t[10] == 'T' || t[10] == ' ') && digits_at(t, 11, 2) && t[13] == ':' && digits_at(t, 14, 2))
    return t.substr(11, 5) + " " + date;
  return t.size() == 10 ? date : "";
}

std::string format_money(long long vnd, const std::string& lang) {
  std::string digits = std::to_string(vnd), grouped;
  char sep = lang == "en" ? ',' : '.';
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) grouped += sep;
    grouped += digits[i];
  }
  return lang == "en" ? "VND " + grouped : grouped + " đồng";
}

json receipt_fields(const json& in, const std::string& lang) {
  if (!in.is_object()) throw DocumentError("a receipt is a JSON object");
  json f;
  f["centerName"] = need_text(in, "centerName");
  f["procedureName"] = need_text(in, "procedureName");
  std::string code = need_text(in, "dossierCode");
  if (code.size() > 40 || code.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_/") != std::string::npos)
    throw DocumentError("field \"dossierCode\": expected up to 40 letters, digits and . - _ /");
  f["dossierCode"] = code;
  f["receivedAt"] = need_time(in, "receivedAt");
  f["appointmentAt"] = need_time(in, "appointmentAt");
  f["kioskId"] = optional_text(in, "kioskId");
  f["resultDelivery"] = optional_text(in, "resultDelivery");
  f["hotline"] = optional_text(in, "hotline");
  f["statusUrl"] = in.contains("statusUrl") ? optional_text(in, "statusUrl") : code;  // the lookup screen scans codes too
  if (std::string id = optional_text(in, "idNumber"); !id.empty()) f["idMasked"] = mask_id(id);
  // The kiosk's own reference: the portal has not answered yet; the dossier is safe in the outbox.
  // "Tiếp nhận" is printed only for a dossier the portal accepted: not for one kept at the kiosk,
  // never on a demo kiosk's slip.
  if (in.value("portalPending", false)) f["portalPending"] = f["notAccepted"] = true;
  if (in.value("demo", false)) f["demo"] = f["notAccepted"] = true;
  long long fee = in.value("fee", 0LL);
  if (fee < 0) throw DocumentError("field \"fee\": expected an amount in đồng, 0 or more");
  bool paid = in.value("feePaid", false);
  if (fee > 0) {
    f["feeText"] = format_money(fee, lang);
    f["feePaid"] = paid;
    f["feeUnpaid"] = !paid;
    if (!paid && in.contains("payment")) {
      const json& p = in["payment"];
      VietQr q{p.value("bankBin", ""), p.value("account", ""), false, fee, p.value("purpose", code)};
      try {
        f["feeQr"] = build_vietqr(q);
      } catch (const VietQrError& e) {
        throw DocumentError(std::string("field \"payment\": ") + e.what());
      }
    }
  }
  return f;
}

json ticket_fields(const json& in, const std::string&) {
  if (!in.is_object()) throw DocumentError("a ticket is a JSON object");
  json f;
  f["centerName"] = need_text(in, "centerName");
  f["service"] = need_text(in, "service");
  f["number"] = need_text(in, "number");
  f["counterGroup"] = need_text(in, "counterGroup");
  f["issuedAt"] = need_time(in, "issuedAt");
  f["waiting"] = in.value("waiting", 0);
  f["priority"] = in.value("priority", false);
  return f;
}

json apology_fields(const json& in, const std::string&) {
  if (!in.is_object()) throw DocumentError("an apology notice is a JSON object");
  json f;
  for (const char* k : {"centerName", "dossierCode", "procedureName", "reason"}) f[k] = need_text(in, k);
  for (const char* k : {"receivedAt", "oldAppointmentAt", "newAppointmentAt"}) f[k] = need_time(in, k);
  f["hotline"] = optional_text(in, "hotline");
  return f;
}

}  // namespace motcua::printer
