// The project's own card failure kinds. PC/SC codes and status words are translated into these
// once, at the device edge (pcsc.cpp, reader code); nothing above the edge sees SCARD_* values.
// Rule: messages name the step and the status word, never a key, an APDU payload or a field.
#pragma once
#include <stdexcept>
#include <string>

namespace motcua::card {

enum class CardErrorKind {
  NoService,      // pcscd not running or gone away
  NoReader,       // no reader, or the named one is absent
  NoCard,         // reader present, nothing on it
  CardRemoved,    // taken away (or reset) during the read
  Mute,           // the card stopped answering
  AccessDenied,   // wrong CAN or MRZ data: the card refused the key
  NeedsMrzData,   // the card offers only BAC and no date of birth/expiry was given
  SecureMessaging,// a response MAC failed or the card dropped secure messaging
  Protocol,       // an unexpected status word
  Corrupt,        // malformed or truncated data on the card
  Unsupported,    // a mechanism this reader does not implement
  NotInstalled,   // a library the read needs is missing: the message names its package
};

const char* kind_name(CardErrorKind k);  // stable identifiers such as "access-denied"

class CardError : public std::runtime_error {
 public:
  CardError(CardErrorKind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
  CardErrorKind kind() const { return kind_; }

 private:
  CardErrorKind kind_;
};

}  // namespace motcua::card
