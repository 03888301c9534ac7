#include "devices/printer/documents.h"

#include "devices/printer/vietqr.h"

namespace motcua::printer {

namespace {

using nlohmann::json;

// Text fields are bounded so a hostile document cannot ask for metres of paper.
constexpr size_t kMaxText = 300, kMaxLongText = 1000;

std::string field(const char* key) { return std::string("field \"") + key + "\": "; }

std::string type_name(const json& v) {
  return v.is_number() ? "a number" : v.is_string() ? "text" : v.is_boolean() ? "true/false" : v.is_object() ? "an object"
       : v.is_array() ? "a list" : "null";
}

std::string checked_text(const json& v, const char* key, size_t max) {
  if (!v.is_string()) throw DocumentError(field(key) + "expected text, got " + type_name(v));
  const std::string& s = v.get_ref<const std::string&>();
  if (s.size() > max)
    throw DocumentError(field(key) + "too long (" + std::to_string(s.size()) + " bytes; at most " + std::to_string(max) + ")");
  return s;
}

std::string need_text(const json& in, const char* key, size_t max = kMaxText) {
  if (!in.contains(key)) throw DocumentError(field(key) + "required text is missing");
  std::string s = checked_text(in[key], key, max);
  if (s.empty()) throw DocumentError(field(key) + "required text is missing");
  return s;
}

std::string need_time(const json& in, const char* key) {
  std::string t = need_text(in, key);
  if (format_time(t).empty()) throw DocumentError(std::string("field \"") + key + "\": expected a time like 2026-11-21T09:30:00+07:00, got \"" + t + "\"");
  return format_time(t);
}

std::string optional_text(const json& in, const char* key, size_t max = kMaxText) {
  if (!in.contains(key) || in[key].is_null()) return "";
  return checked_text(in[key], key, max);
}

bool optional_bool(const json& in, const char* key) {
  if (!in.contains(key) || in[key].is_null()) return false;
  if (!in[key].is_boolean()) throw DocumentError(field(key) + "expected true or false, got " + type_name(in[key]));
  return in[key].get<bool>();
}

// A whole number in [0, max]. Floats are checked before any conversion: casting 1e300 to an
// integer is undefined behaviour.
long long optional_count(const json& in, const char* key, long long max, const char* what) {
  if (!in.contains(key) || in[key].is_null()) return 0;
  const json& v = in[key];
  std::string expected = std::string("expected ") + what + ", a whole number from 0 to " + std::to_string(max);
  if (v.is_number_unsigned()) {
    if (v.get<unsigned long long>() > static_cast<unsigned long long>(max)) throw DocumentError(field(key) + expected);
    return static_cast<long long>(v.get<unsigned long long>());
  }
  if (v.is_number_integer()) {
    if (v.get<long long>() < 0 || v.get<long long>() > max) throw DocumentError(field(key) + expected);
    return v.get<long long>();
  }
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (!(d >= 0 && d <= static_cast<double>(max)) || d != static_cast<double>(static_cast<long long>(d)))
      throw DocumentError(field(key) + expected);
    return static_cast<long long>(d);
  }
  throw DocumentError(field(key) + expected + ", got " + type_name(v) + (v.is_string() ? " \"" + v.get<std::string>().substr(0, 40) + "\"" : ""));
}

// A list of short texts printed one per line by a "list" block: at most max of them.
json text_lines(const json& in, const char* key, size_t max) {
  json out = json::array();
  if (!in.contains(key) || in[key].is_null()) return out;
  if (!in[key].is_array()) throw DocumentError(field(key) + "expected a list of texts, got " + type_name(in[key]));
  if (in[key].size() > max) throw DocumentError(field(key) + "more than " + std::to_string(max) + " lines");
  for (size_t i = 0; i < in[key].size(); ++i) {
    std::string where = std::string(key) + "/" + std::to_string(i);
    std::string line = checked_text(in[key][i], where.c_str(), kMaxText);
    if (!line.empty()) out.push_back({{"label", ""}, {"value", "• " + line}});
  }
  return out;
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
  for (const char* k : {"portalPending", "portalRefused", "portalPaused", "appointmentEstimated", "feePaid"}) optional_bool(in, k);  // named, not a JSON library error
  json f;
  f["centerName"] = need_text(in, "centerName");
  f["procedureName"] = need_text(in, "procedureName", kMaxLongText);
  std::string code = need_text(in, "dossierCode");
  if (code.size() > 40 || code.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_/") != std::string::npos)
    throw DocumentError("field \"dossierCode\": expected up to 40 letters, digits and . - _ /");
  f["dossierCode"] = code;
  f["receivedAt"] = need_time(in, "receivedAt");
  f["appointmentAt"] = need_time(in, "appointmentAt");
  f["kioskId"] = optional_text(in, "kioskId", 40);
  f["resultDelivery"] = optional_text(in, "resultDelivery");
  f["hotline"] = optional_text(in, "hotline", 40);
  // Where to go next and what to hand over there (docs/printing.md, receipt).
  f["counter"] = optional_text(in, "counter", 80);
  if (json originals = text_lines(in, "originals", 50); !originals.empty()) f["originals"] = std::move(originals);
  f["statusUrl"] = in.contains("statusUrl") ? optional_text(in, "statusUrl") : code;  // the lookup screen scans codes too
  if (std::string id = optional_text(in, "idNumber", 20); !id.empty()) f["idMasked"] = mask_id(id);
  // The kiosk's own reference: the portal has not answered yet; the dossier is safe in the outbox.
  // "Tiếp nhận" is printed only for a dossier the portal accepted: not for one kept at the kiosk,
  // never on a demo kiosk's slip.
  if (in.value("portalPending", false)) f["portalPending"] = f["notAccepted"] = true;
  // Refused by the portal: kept, but "sẽ tự động gửi lên hệ thống sau" would be a promise nobody keeps.
  // Held while the kiosk's queue is paused (the portal refused the kiosk): sent once staff mend it.
  if (in.value("portalPaused", false) && !in.value("portalRefused", false)) {
    f["portalPaused"] = f["notAccepted"] = f["noAppointment"] = true;
    f.erase("portalPending");
  }
  if (in.value("portalRefused", false)) {
    f["portalRefused"] = f["notAccepted"] = f["noAppointment"] = true;
    f.erase("portalPending");
  }
  // Not received by anyone yet: the time printed is when the kiosk kept it, and says so.
  if (f.contains("portalPending") || f.contains("portalRefused") || f.contains("portalPaused")) f["keptAtKiosk"] = true;
  if (in.value("demo", false)) f["demo"] = f["notAccepted"] = true;
  // Only the portal sets the real appointment, when it receives the dossier: a date counted by
  // the kiosk (always so for one still kept there) is printed as an estimate, with a word on why.
  if (!f.contains("noAppointment")) {
    bool estimated = in.value("appointmentEstimated", false) || f.contains("portalPending");
    f[estimated ? "appointmentEstimated" : "appointmentFirm"] = true;
  }
  // VietQR carries at most 13 digits of amount; no fee comes near 10^12 đồng.
  long long fee = optional_count(in, "fee", 999'999'999'999LL, "an amount in đồng");
  bool paid = optional_bool(in, "feePaid");
  if (fee > 0) {
    f["feeText"] = format_money(fee, lang);
    // A demo kiosk's dossier goes nowhere: its fee is shown, and nobody is asked to pay it (nor told it is paid).
    const bool demo = f.contains("demo");
    f["feePaid"] = paid && !demo;
    // A VietQR only for a dossier on its way to the portal: one it refused, or one a paused queue
    // holds, may never be processed, so its fee is paid at the counter, where staff see why.
    const bool on_its_way = !f.contains("noAppointment") && !demo;
    if (!paid && in.contains("payment") && on_its_way) {
      const json& p = in["payment"];
      if (!p.is_object()) throw DocumentError(field("payment") + "expected an object {bankBin, account, purpose}, got " + type_name(p));
      auto sub = [&](const char* k, const std::string& fallback) {
        if (!p.contains(k)) return fallback;
        if (!p[k].is_string()) throw DocumentError(field("payment") + "\"" + k + "\": expected text, got " + type_name(p[k]));
        return p[k].get<std::string>();
      };
      VietQr q{sub("bankBin", ""), sub("account", ""), false, fee, sub("purpose", code)};
      try {
        f["feeQr"] = build_vietqr(q);
      } catch (const VietQrError& e) {
        throw DocumentError(std::string("field \"payment\": ") + e.what());
      }
    }
    // "Quét mã VietQR dưới đây" only above a code; without one, the counter takes the fee.
    f["feeUnpaid"] = !paid && f.contains("feeQr");
    f["feeAtCounter"] = !paid && !f.contains("feeQr") && !demo;
    f["feeDemo"] = demo;
  }
  return f;
}

json ticket_fields(const json& in, const std::string&) {
  if (!in.is_object()) throw DocumentError("a ticket is a JSON object");
  json f;
  f["centerName"] = need_text(in, "centerName");
  f["service"] = need_text(in, "service");
  f["number"] = need_text(in, "number", 12);
  f["counterGroup"] = need_text(in, "counterGroup", 40);
  f["issuedAt"] = need_time(in, "issuedAt");
  // Only a count someone gave: the kiosk hands out numbers but does not see them called, and a
  // made-up "0 people waiting" would send a citizen to a counter with a queue.
  long long waiting = optional_count(in, "waiting", 99999, "the number of people waiting");
  if (in.contains("waiting")) f["waiting"] = waiting;
  f["priority"] = optional_bool(in, "priority");
  return f;
}

json apology_fields(const json& in, const std::string&) {
  if (!in.is_object()) throw DocumentError("an apology notice is a JSON object");
  json f;
  for (const char* k : {"centerName", "dossierCode"}) f[k] = need_text(in, k);
  for (const char* k : {"procedureName", "reason"}) f[k] = need_text(in, k, kMaxLongText);
  for (const char* k : {"receivedAt", "oldAppointmentAt", "newAppointmentAt"}) f[k] = need_time(in, k);
  f["hotline"] = optional_text(in, "hotline", 40);
  return f;
}

json answers_fields(const json& in, const std::string&) {
  if (!in.is_object()) throw DocumentError("an answers sheet is a JSON object");
  json f;
  f["centerName"] = need_text(in, "centerName");
  f["procedureName"] = need_text(in, "procedureName", kMaxLongText);
  f["printedAt"] = need_time(in, "printedAt");
  if (!in.contains("answers") || !in["answers"].is_array()) throw DocumentError("answers: a list of lines is required");
  if (in["answers"].size() > 2000) throw DocumentError("answers: more than 2,000 lines");
  f["answers"] = json::array();
  for (size_t i = 0; i < in["answers"].size(); ++i) {
    const json& line = in["answers"][i];
    std::string where = "answers/" + std::to_string(i);
    if (!line.is_object()) throw DocumentError(where + ": a line is an object");
    const json* depth = line.contains("depth") ? &line["depth"] : nullptr;
    if (depth && (!depth->is_number_integer() || depth->get<long long>() < 0 || depth->get<long long>() > 8))
      throw DocumentError(where + "/depth: a whole number from 0 to 8");
    try {
      f["answers"].push_back({{"label", optional_text(line, "label", kMaxLongText)},
                              {"value", optional_text(line, "value", kMaxLongText)},
                              {"depth", depth ? depth->get<int>() : 0}});
    } catch (const DocumentError& e) {
      throw DocumentError(where + ": " + e.what());
    }
  }
  return f;
}

json checklist_fields(const json& in, const std::string&) {
  if (!in.is_object()) throw DocumentError("a checklist is a JSON object");
  json f;
  f["centerName"] = need_text(in, "centerName");
  f["procedureName"] = need_text(in, "procedureName", kMaxLongText);
  f["printedAt"] = need_time(in, "printedAt");
  for (const char* k : {"fee", "days", "agency", "counter"}) f[k] = optional_text(in, k);
  f["documents"] = text_lines(in, "documents", 100);
  if (f["documents"].empty()) throw DocumentError("field \"documents\": a checklist needs at least one paper");
  return f;
}

}  // namespace motcua::printer
