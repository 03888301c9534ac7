#include "devices/card/pcsc.h"

#include <PCSC/winscard.h>
#include <PCSC/wintypes.h>

#include <chrono>
#include <cstring>
#include <thread>

namespace motcua::card {

CardError translate(long code, const std::string& step) {
  auto err = [&](CardErrorKind k, const char* what) { return CardError(k, step + ": " + what); };
  switch (LONG(code)) {
    case SCARD_E_NO_SERVICE:
    case SCARD_E_SERVICE_STOPPED:
    case SCARD_E_INVALID_HANDLE:
    case SCARD_F_COMM_ERROR:
      return err(CardErrorKind::NoService, "the smart card service (pcscd) is not running");
    case SCARD_E_NO_READERS_AVAILABLE:
    case SCARD_E_UNKNOWN_READER:
    case SCARD_E_READER_UNAVAILABLE:
      return err(CardErrorKind::NoReader, "no card reader is connected");
    case SCARD_E_NO_SMARTCARD:
      return err(CardErrorKind::NoCard, "no card on the reader");
    case SCARD_W_REMOVED_CARD:
    case SCARD_W_RESET_CARD:
      return err(CardErrorKind::CardRemoved, "the card was taken off the reader");
    case SCARD_W_UNRESPONSIVE_CARD:
    case SCARD_W_UNPOWERED_CARD:
    case SCARD_E_TIMEOUT:
    case SCARD_E_NOT_TRANSACTED:
    case SCARD_E_PROTO_MISMATCH:
    case SCARD_W_UNSUPPORTED_CARD:
      return err(CardErrorKind::Mute, "the card does not answer");
    case SCARD_E_SHARING_VIOLATION:
      return err(CardErrorKind::Protocol, "another program is using the card");
    default: {
      char buf[64];
      std::snprintf(buf, sizeof buf, "PC/SC error 0x%08lX", static_cast<unsigned long>(code));
      return err(CardErrorKind::Protocol, buf);
    }
  }
}

bool atr_announces_extended_length(std::span<const uint8_t> atr) {
  if (atr.size() < 2) return false;
  size_t i = 1;
  uint8_t y = atr[1] >> 4;
  size_t historical = atr[1] & 0x0F;
  ++i;
  // Interface bytes: TA, TB, TC present per bit, TD chains to the next group.
  while (true) {
    i += ((y & 1) != 0) + ((y & 2) != 0) + ((y & 4) != 0);
    if (!(y & 8)) break;
    if (i >= atr.size()) return false;
    y = atr[i] >> 4;
    ++i;
  }
  if (i + historical > atr.size() || historical == 0 || atr[i] != 0x80) return false;
  // Category 80: compact-TLV objects; tag 7 = card capabilities, third byte bit 7 = extended Lc/Le.
  for (size_t k = i + 1; k < i + historical;) {
    uint8_t tag = atr[k] >> 4, len = atr[k] & 0x0F;
    if (k + 1 + len > i + historical) return false;
    if (tag == 7 && len >= 3) return (atr[k + 3] & 0x40) != 0;
    k += 1 + len;
  }
  return false;
}

PcscContext::PcscContext() {
  SCARDCONTEXT ctx = 0;
  LONG rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &ctx);
  if (rv != SCARD_S_SUCCESS) throw translate(rv, "connecting to pcscd");
  context_ = long(ctx);
}

PcscContext::~PcscContext() {
  if (context_) SCardReleaseContext(SCARDCONTEXT(context_));
}

std::vector<ReaderState> PcscContext::readers() {
  DWORD len = 0;
  LONG rv = SCardListReaders(SCARDCONTEXT(context_), nullptr, nullptr, &len);
  if (rv == SCARD_E_NO_READERS_AVAILABLE) return {};
  if (rv != SCARD_S_SUCCESS) throw translate(rv, "listing readers");
  std::string names(len, '\0');
  rv = SCardListReaders(SCARDCONTEXT(context_), nullptr, names.data(), &len);
  if (rv == SCARD_E_NO_READERS_AVAILABLE) return {};
  if (rv != SCARD_S_SUCCESS) throw translate(rv, "listing readers");
  std::vector<ReaderState> out;
  for (size_t at = 0; at < names.size() && names[at];) {
    std::string name(names.c_str() + at);
    at += name.size() + 1;
    SCARD_READERSTATE state{};
    state.szReader = name.c_str();
    state.dwCurrentState = SCARD_STATE_UNAWARE;
    rv = SCardGetStatusChange(SCARDCONTEXT(context_), 0, &state, 1);
    if (rv != SCARD_S_SUCCESS && rv != SCARD_E_TIMEOUT) throw translate(rv, "reading reader state");
    out.push_back({name, (state.dwEventState & SCARD_STATE_PRESENT) != 0,
                   (state.dwEventState & SCARD_STATE_EXCLUSIVE) != 0});
  }
  return out;
}

bool PcscContext::wait_for_change(int timeout_ms) {
  std::vector<ReaderState> now = readers();
  // Keep the states seen last time so only a real change ends the wait.
  std::vector<SCARD_READERSTATE> states(now.size() + 1);
  for (size_t i = 0; i < now.size(); ++i) {
    states[i].szReader = now[i].name.c_str();
    states[i].dwCurrentState = SCARD_STATE_UNAWARE;
    for (auto& [name, seen] : known_)
      if (name == now[i].name) states[i].dwCurrentState = seen;
  }
  states.back().szReader = "\\\\?PnP?\\Notification";
  states.back().dwCurrentState = DWORD(now.size()) << 16;
  LONG rv = SCardGetStatusChange(SCARDCONTEXT(context_), DWORD(timeout_ms), states.data(), DWORD(states.size()));
  known_.clear();
  for (size_t i = 0; i < now.size(); ++i) known_.emplace_back(now[i].name, states[i].dwEventState & ~SCARD_STATE_CHANGED);
  if (rv == SCARD_E_TIMEOUT || rv == SCARD_E_CANCELLED) return false;
  if (rv != SCARD_S_SUCCESS) throw translate(rv, "waiting for a card");
  return true;
}

void PcscContext::cancel() { SCardCancel(SCARDCONTEXT(context_)); }

PcscCard::PcscCard(PcscContext& context, const std::string& reader) {
  SCARDHANDLE card = 0;
  DWORD protocol = 0;
  LONG rv = SCardConnect(SCARDCONTEXT(context.handle()), reader.c_str(), SCARD_SHARE_EXCLUSIVE,
                         SCARD_PROTOCOL_T1 | SCARD_PROTOCOL_T0, &card, &protocol);
  if (rv != SCARD_S_SUCCESS) throw translate(rv, "connecting to the card");
  card_ = long(card);
  protocol_ = protocol;
  rv = SCardBeginTransaction(card);
  if (rv != SCARD_S_SUCCESS) {
    SCardDisconnect(card, SCARD_LEAVE_CARD);
    card_ = 0;
    throw translate(rv, "starting the card transaction");
  }
  BYTE atr[MAX_ATR_SIZE];
  DWORD atr_len = sizeof atr, state = 0, reader_len = 0;
  if (SCardStatus(card, nullptr, &reader_len, &state, &protocol, atr, &atr_len) == SCARD_S_SUCCESS)
    atr_.assign(atr, atr + atr_len);
  extended_ = atr_announces_extended_length(atr_);
}

PcscCard::~PcscCard() {
  if (!card_) return;
  DWORD disposition = disposition_reset_ ? SCARD_RESET_CARD : SCARD_LEAVE_CARD;
  SCardEndTransaction(SCARDHANDLE(card_), disposition);
  SCardDisconnect(SCARDHANDLE(card_), disposition);
}

Response collect_more_data(Response first, const std::function<Response(const Command&)>& exchange) {
  Response r = std::move(first);
  // One exchange per GET RESPONSE, never more in all than the largest answer a command allows: a
  // card that always has more can neither grow memory without end nor keep the read going.
  for (int fetched = 0; r.sw1() == 0x61; ++fetched) {
    if (fetched == 256 || r.data.size() > 65536)  // 64 KiB comes in 256 answers of 256 bytes
      throw CardError(CardErrorKind::Protocol, "talking to the card: it kept offering more data (61xx) past what an answer holds");
    Command get{0x00, 0xC0, 0x00, 0x00, {}, r.sw & 0xFF ? size_t(r.sw & 0xFF) : 256};
    Response more = exchange(get);
    append(r.data, more.data);
    r.sw = more.sw;
  }
  return r;
}

Response PcscCard::transmit(const Command& c) {
  return collect_more_data(exchange(c), [this](const Command& get) { return exchange(get); });
}

Response PcscCard::exchange(const Command& c) {
  Bytes apdu = c.encode();
  Bytes answer(c.needs_extended() ? 65536 + 2 : 256 + 2);  // the largest answer the command allows
  DWORD len = DWORD(answer.size());
  const SCARD_IO_REQUEST* pci = protocol_ == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1;
  LONG rv = SCardTransmit(SCARDHANDLE(card_), pci, apdu.data(), DWORD(apdu.size()), nullptr, answer.data(), &len);
  if (rv != SCARD_S_SUCCESS) throw translate(rv, "talking to the card");
  answer.resize(len);
  if (len < 2) {
    // vpcd (and some readers) hand back nothing when the card has gone: tell which it was.
    // The reader notices a removal on its next poll, so look for a moment before calling it mute.
    for (int tries = 0; tries < 10; ++tries) {
      DWORD state = 0, proto = 0, reader_len = 0, atr_len = 0;
      LONG st = SCardStatus(SCARDHANDLE(card_), nullptr, &reader_len, &state, &proto, nullptr, &atr_len);
      if (st != SCARD_S_SUCCESS || !(state & SCARD_PRESENT))
        throw CardError(CardErrorKind::CardRemoved, "talking to the card: the card was taken off the reader");
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    throw CardError(CardErrorKind::Mute, "talking to the card: the card answered nothing");
  }
  return decode_response(answer);
}

std::string choose_reader(const std::vector<ReaderState>& readers, const std::string& wanted) {
  if (readers.empty()) throw CardError(CardErrorKind::NoReader, "no card reader is connected");
  if (!wanted.empty()) {
    for (const auto& r : readers)
      if (r.name == wanted) return r.name;
    const ReaderState* match = nullptr;
    for (const auto& r : readers)
      if (r.name.find(wanted) != std::string::npos) {
        if (match) throw CardError(CardErrorKind::NoReader, "more than one reader matches \"" + wanted + "\"");
        match = &r;
      }
    if (!match) throw CardError(CardErrorKind::NoReader, "no reader named \"" + wanted + "\"");
    return match->name;
  }
  for (const auto& r : readers)
    if (r.card_present) return r.name;
  return readers.front().name;
}

}  // namespace motcua::card
