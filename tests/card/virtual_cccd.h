// A virtual CCCD chip: the eMRTD applet with the CCCD file layout, BAC, PACE with the CAN,
// secure messaging, and fault modes. Speaks APDUs; vpcd_link.cpp carries them over vpcd.
#pragma once
#include <memory>
#include <optional>

#include "devices/card/apdu.h"
#include "devices/card/mrz.h"
#include "devices/card/pace_support.h"
#include "tests/card/card_files.h"

namespace motcua::card::testing {

struct Faults {
  size_t max_le = 0;          // answer 6700 to a READ BINARY asking for more (0: any)
  int truncate_dg = 0;        // this data group is cut short of its own length...
  size_t truncate_to = 0;     // ...to this many bytes
  int remove_after = -1;      // the card leaves the field after this many APDUs
  int mute_after = -1;        // the card stops answering after this many APDUs
  int more_data_after = -1;   // over vpcd: after this many APDUs every answer is "61 00", more to come
  double leave_after_seconds = -1;  // over vpcd: the card leaves this long after it arrived
  bool extended_length = false;  // the ATR announces extended Lc/Le
  bool tamper_dg13 = false;   // DG13 changed after the SOD was signed
  bool bad_response_mac = false;  // every secure-messaging answer carries a wrong MAC
};

class VirtualCccd {
 public:
  VirtualCccd(const Citizen& citizen, const CardFiles& files, Faults faults = {});

  Bytes atr() const;
  void reset();  // power cycle: ends every session
  Bytes process(std::span<const uint8_t> apdu);  // one C-APDU in, one R-APDU out
  const Faults& faults() const { return faults_; }
  int apdus() const { return apdus_; }
  int mf_selects() const { return mf_selects_; }  // SELECT MF seen (real CCCDs answer 6D00)

 private:
  Response dispatch(const Command& c, bool protected_command);
  Response select(const Command& c, bool protected_command);
  Response read_binary(const Command& c, bool protected_command);
  Response external_authenticate(const Command& c);
  Response set_at(const Command& c);
  Response general_authenticate(const Command& c);

  Faults faults_;
  std::map<uint16_t, Bytes> files_;  // FID → content
  Bytes card_access_;
  SecretText can_;
  MrzKey mrz_key_;
  bool applet_ = false;
  std::optional<uint16_t> current_;
  Bytes challenge_;
  std::unique_ptr<SecureMessaging> sm_;
  std::unique_ptr<PaceContext> pace_;
  int pace_step_ = 0;
  Bytes pcd_key_;
  int apdus_ = 0, mf_selects_ = 0;
};

// An in-process channel to a virtual card, encoding every APDU as bytes both ways; removal and
// muteness appear as the CardErrors the PC/SC edge would raise.
class VirtualChannel : public CardChannel {
 public:
  explicit VirtualChannel(VirtualCccd& card) : card_(card) {}
  Response transmit(const Command& c) override;
  bool extended_length() const override { return card_.faults().extended_length; }

 private:
  VirtualCccd& card_;
  int sent_ = 0;
};

}  // namespace motcua::card::testing
