// The kiosk's CardPort over the virtual CCCD in process (no pcscd): the session's card path for
// logic tests and the visit bench. A read runs whole in start() and is handed over on the next poll.
#pragma once
#include <memory>
#include <optional>

#include "devices/card/card_error.h"
#include "devices/card/cccd_reader.h"
#include "terminal/services/card_port.h"
#include "tests/card/virtual_cccd.h"

namespace motcua::test {

namespace vc = motcua::card::testing;

// A reader with the virtual card on it; a read finishes on the next poll.
struct VirtualReader {
  explicit VirtualReader(const vc::TestPki& pki) : files(vc::make_card_files(citizen, pki, true)) {}
  vc::Citizen citizen;
  vc::CardFiles files;
  std::unique_ptr<vc::VirtualCccd> chip = std::make_unique<vc::VirtualCccd>(citizen, files);
  const card::CscaStore* csca = nullptr;  // null: passive authentication can only say "unverified"
  bool present = true;
  std::optional<card::ReadOutcome> done;
  int reads = 0;

  CardPort port() {
    CardPort p;
    p.presence = [this] { return CardPresence{true, present}; };
    p.start = [this](std::string_view id, std::string_view dob, std::string_view expiry) {
      ++reads;
      vc::VirtualChannel channel(*chip);
      card::ReadRequest r;
      r.id_number = card::SecretText(id);
      r.date_of_birth = card::SecretText(dob);
      r.date_of_expiry = card::SecretText(expiry);
      r.csca = std::shared_ptr<const card::CscaStore>(std::shared_ptr<void>(), csca);  // not owned: the read ends here
      card::ReadOutcome o;
      try {
        o.read = card::read_cccd(channel, r);
      } catch (const card::CardError& e) {
        o.error = e;
      }
      done = std::move(o);
    };
    p.poll = [this]() -> std::optional<CardReadResult> {
      if (!done) return std::nullopt;
      auto r = to_session_result(*done);
      done.reset();
      return r;
    };
    p.progress = [] { return 0.5f; };
    p.cancel = [this] { done.reset(); };
    return p;
  }
};

}  // namespace motcua::test
