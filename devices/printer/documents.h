// The paper documents: dossier receipt, queue ticket, apology notice, and the citizen's answers. Each turns its input
// JSON into the fields its layout prints, checking what is required and formatting dates, money
// and the masked ID number. Errors name the missing, wrong-typed or oversized field. Texts are
// bounded (300 bytes; procedureName and reason 1,000; kioskId, hotline 40; ticket number 12),
// numbers are whole and range-checked before conversion (fee up to 10^12 đồng, waiting up to 99,999).
#pragma once
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace motcua::printer {

struct DocumentError : std::runtime_error { using std::runtime_error::runtime_error; };

// receipt: centerName, procedureName, dossierCode, receivedAt, appointmentAt (ISO 8601 times);
//   optional kioskId, resultDelivery, idNumber, fee (VND), feePaid, hotline, statusUrl,
//   payment {bankBin, account, purpose} for a VietQR when a fee is unpaid, counter (where to go
//   next), originals [texts] (papers whose original the counter checks), appointmentEstimated
//   (the date is the kiosk's count, not the portal's; implied by portalPending).
nlohmann::json receipt_fields(const nlohmann::json& in, const std::string& lang);
// ticket: centerName, service, number (e.g. "A012"), counterGroup, issuedAt; optional waiting, priority.
nlohmann::json ticket_fields(const nlohmann::json& in, const std::string& lang);
// apology: centerName, dossierCode, procedureName, receivedAt, oldAppointmentAt, newAppointmentAt, reason.
nlohmann::json apology_fields(const nlohmann::json& in, const std::string& lang);
// answers (a dossier that could not be kept, printed for the counter): centerName, procedureName,
//   printedAt, answers [{label, value, depth}] (at most 2,000 lines; depth 0-8 indents repeat items).
nlohmann::json answers_fields(const nlohmann::json& in, const std::string& lang);
// checklist (the papers to bring, from the procedure page): centerName, procedureName, printedAt,
//   documents [texts] (1 to 100); optional fee, days, agency, counter (texts as shown on screen).
nlohmann::json checklist_fields(const nlohmann::json& in, const std::string& lang);

std::string mask_id(const std::string& id);             // 001******345: first and last three digits
std::string format_time(const std::string& iso8601);    // "09:30 21/11/2026"
std::string format_money(long long vnd, const std::string& lang);  // "50.000 đồng" / "VND 50,000"

}  // namespace motcua::printer
