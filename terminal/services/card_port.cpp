#include "terminal/services/card_port.h"

#include <cstdio>

namespace motcua {

CardReadResult to_session_result(card::ReadOutcome& outcome) {
  using card::CardErrorKind;
  using O = CardReadResult::Outcome;
  CardReadResult r;
  if (outcome.read) {
    r.outcome = O::Read;
    for (auto& [name, value] : card::card_fields_of(*outcome.read))
      r.fields.emplace_back(name, std::string(value.data(), value.size()));
    // For staff, in the log: how the card was opened and whether its data is the issuer's.
    const auto& pa = outcome.read->passive_authentication;
    r.verification = pa.status == card::PaStatus::Valid     ? CardVerification::Valid
                     : pa.status == card::PaStatus::Invalid ? CardVerification::Invalid
                                                            : CardVerification::Unverified;
    // A failed signature may be a forged or altered card: staff hear of it whatever the policy.
    std::fprintf(stderr, "motcua: %scard read over %s in %d APDUs; passive authentication %s%s%s\n",
                 pa.status == card::PaStatus::Invalid ? "staff alert: " : "", outcome.read->access.c_str(),
                 outcome.read->apdus, card::pa_status_name(pa.status), pa.reason.empty() ? "" : ": ", pa.reason.c_str());
    outcome.read.reset();  // data groups and photo are wiped by their buffers
    return r;
  }
  CardErrorKind kind = outcome.error ? outcome.error->kind() : CardErrorKind::Protocol;
  switch (kind) {
    case CardErrorKind::AccessDenied: r.outcome = O::WrongId; break;
    case CardErrorKind::NeedsMrzData: r.outcome = O::NeedsDates; break;
    case CardErrorKind::CardRemoved:
    case CardErrorKind::NoCard: r.outcome = O::Removed; break;
    case CardErrorKind::NoReader:
    case CardErrorKind::NoService:
    case CardErrorKind::NotInstalled: r.outcome = O::NoReader; break;  // no card reads here: type by hand
    default: r.outcome = O::Unreadable; break;
  }
  // A missing library is the installation's fault, and only staff can mend it.
  if (outcome.error)
    std::fprintf(stderr, "motcua: %scard read failed (%s): %s\n", kind == CardErrorKind::NotInstalled ? "staff alert: " : "",
                 card::kind_name(kind), outcome.error->what());
  return r;
}

CardPort make_card_port(card::CardService& service, std::shared_ptr<const card::CscaStore> csca) {
  CardPort port;
  port.presence = [&service] {
    auto st = service.status();
    return CardPresence{st.service && st.reader, st.card};
  };
  port.start = [&service, csca](std::string_view id, std::string_view dob, std::string_view expiry) {
    card::ReadRequest request;
    request.id_number = card::SecretText(id);
    request.date_of_birth = card::SecretText(dob);
    request.date_of_expiry = card::SecretText(expiry);
    request.csca = csca;
    service.start_read(std::move(request));
  };
  port.poll = [&service]() -> std::optional<CardReadResult> {
    auto outcome = service.take_outcome();
    if (!outcome) return std::nullopt;
    return to_session_result(*outcome);
  };
  port.progress = [&service] { return service.progress(); };
  port.cancel = [&service] { service.discard(); };
  return port;
}

}  // namespace motcua
