// PC/SC through pcsc-lite: readers, card presence, an exclusive connection per read.
// Rule: SCARD_* codes stop here; translate() turns each into a CardError of the project's kinds.
#pragma once
#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "devices/card/apdu.h"
#include "devices/card/card_error.h"

namespace motcua::card {

CardError translate(long pcsc_code, const std::string& step);

struct ReaderState {
  std::string name;
  bool card_present = false;
  bool card_in_use = false;  // another program holds it exclusively
};

// True when the ATR's historical bytes announce extended Lc/Le (card capabilities, ISO 7816-4 §12.1.1.9).
bool atr_announces_extended_length(std::span<const uint8_t> atr);

class PcscContext {
 public:
  PcscContext();  // throws CardError(NoService) when pcscd is not running
  ~PcscContext();
  PcscContext(const PcscContext&) = delete;
  PcscContext& operator=(const PcscContext&) = delete;

  std::vector<ReaderState> readers();
  // Waits for a change on any reader, a reader being plugged in, or cancel(); false on timeout.
  // Throws CardError(NoService) when pcscd goes away: make a new context then.
  bool wait_for_change(int timeout_ms);
  void cancel();  // from another thread: ends wait_for_change()
  long handle() const { return context_; }

 private:
  long context_ = 0;
  std::vector<std::pair<std::string, unsigned long>> known_;  // reader and its last event state
};

// One exclusive connection and transaction; ended and released by the destructor.
// T=0 style "more data" (61xx) after first: fetched with GET RESPONSE through exchange (one
// command, one answer) and appended; at most 256 fetches and 64 KiB, else CardError(Protocol).
Response collect_more_data(Response first, const std::function<Response(const Command&)>& exchange);

class PcscCard : public CardChannel {
 public:
  PcscCard(PcscContext& context, const std::string& reader);  // throws CardError(NoCard, NoReader, ...)
  ~PcscCard() override;
  Response transmit(const Command& c) override;
  bool extended_length() const override { return extended_; }
  const Bytes& atr() const { return atr_; }
  // Resets the card on release: after a refused key so the next attempt starts clean.
  void reset_on_release() { disposition_reset_ = true; }

 private:
  Response exchange(const Command& c);  // one command, one answer

  long card_ = 0;
  unsigned long protocol_ = 0;
  Bytes atr_;
  bool extended_ = false, disposition_reset_ = false;
};

// The reader to use: `wanted` when given (exact name or a unique part of it), else the first
// with a card present, else the first reader. Throws CardError(NoReader).
std::string choose_reader(const std::vector<ReaderState>& readers, const std::string& wanted);

}  // namespace motcua::card
