// Kiosk configuration: one JSON file, every key optional, defaults that run out of the box.
// Rule: an invalid file stops the kiosk with a message naming the key; nothing starts half-configured.
#pragma once
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "terminal/core/vietnamese_input.h"

namespace motcua {

// Someone who may sign in with a PIN (terminal/services/volunteers.h checks it).
struct Volunteer {
  std::string id;        // shown on the banner and recorded with the dossier
  std::string pin_hash;  // pbkdf2-sha256$ITERATIONS$SALT_HEX$HASH_HEX
};

// Where a kiosk keeps its state when the configuration does not say: systemd's $STATE_DIRECTORY
// (/var/lib/motcua for the service), else $XDG_STATE_HOME/motcua, else ~/.local/state/motcua.
// Never the working folder: a kiosk started from a source tree must not write into it.
std::string default_state_dir();

// What the kiosk does with a card read whose passive authentication is not "valid".
enum class CardTrust {
  Reject,   // the values are not used: the citizen types by hand, staff are alerted
  Prefill,  // filled in but editable, marked unverified on screen and in the dossier
  Lock,     // treated like a verified card: the form's lockPrefilled applies
};

struct KioskConfig {
  std::string kiosk_id = "KIOSK-01";
  std::map<std::string, std::string> center_name = {
      {"vi", "Trung tâm Phục vụ hành chính công"},
      {"en", "Public Administration Service Center"}};
  std::vector<std::string> locales = {"vi", "en"};  // first one is the default
  int idle_seconds = 90;        // no input this long on a citizen step asks "more time?"
  int more_time_seconds = 30;   // countdown before the session is wiped; at least 20
  int thank_you_seconds = 10;   // thank-you screen returns to attract by itself
  double min_touch_mm = 15;     // smallest touch target
  double text_mm = 9.0;         // body text height (font pixel size) in millimetres
  double pixels_per_mm = 0;     // 0: read the panel's physical size from the monitor
  std::string forms_dir = "assets/forms";  // relative paths resolve against the data root
  std::string single_form;  // a form id: the kiosk offers only it, and returns to it after each visit
  std::string data_dir = default_state_dir();  // the kiosk's own state: outbox, history, queue numbers
  std::string printer = "file:" + default_state_dir() + "/receipts";  // a file: folder gets one file per job
  std::string printer_profile = "80mm";
  std::string declaration_printer;  // A4 printer for declarations: cups:QUEUE or file:DIR; empty: none
  std::string hotline;
  std::vector<Volunteer> volunteers;    // who may sign in to assist; PINs as hashes only
  std::vector<Volunteer> staff;         // who may open the staff screen (figures, CSV export); PINs as hashes
  std::string export_dir = "/media/usb";  // where the staff screen writes its CSV (a USB stick)
  TonePlacement tone_placement = TonePlacement::Modern;  // "hoà" (modern) or "hòa" (classic) from the keyboard
  std::string voice = "vi";             // vi (northern), vi-VN-x-central or vi-VN-x-south
  std::string speech_output = "sdl2";   // sdl2, file:DIR (one WAV per utterance) or none
  std::string payment_bank_bin, payment_account;  // fee VietQR on receipts; empty: no payment code
  std::string endpoint = "demo";  // "demo": no portal, nothing kept; else the portal's https:// address
  std::string portal_token;       // this kiosk's bearer token at the portal
  std::string portal_ca_file;     // the portal's CA (PEM); empty: the system's CAs
  std::string envelope_key_file;  // the portal's RSA public key (PEM): dossiers are sealed for it
  std::string catalog_key_file;   // the portal's Ed25519 public key for signed catalogs; empty: bundled forms only
  int catalog_sync_minutes = 30;  // how often the kiosk pulls the catalog
  double portal_wait_seconds = 5; // how long the receipt waits for the portal's code before using the kiosk's
  std::string holidays_file = "assets/holidays/vn.json";
  std::string places_file = "assets/places/vn-2025-07-01.csv";  // provinces and communes for the address picker
  std::string card_reader = "auto";  // "auto": the reader with a card; "none": no card reading; else a reader's name
  // Document capture (docs/documents.md): "none", "auto" (the first SANE device) or a SANE device name.
  std::string scanner = "none";
  std::map<std::string, std::string> scanner_options;  // further SANE options by name ("source": "Flatbed")
  int scanner_timeout_seconds = 60;                    // a page that has not arrived by then is a stalled scanner
  std::string csca_file;             // CSCA certificates (PEM or ICAO master list) for passive authentication
  CardTrust card_invalid = CardTrust::Reject;      // cardTrust.invalid: the signature check failed
  CardTrust card_unverified = CardTrust::Prefill;  // cardTrust.unverified: no CSCA store to check against
  std::string survey_file = "assets/survey/default.json";  // the satisfaction survey (relative: data root)
  std::string metrics_dir;  // node_exporter's textfile collector folder; empty: no metrics file
  // "Cần giúp đỡ" also rings the centre's own signal: a command (argv) and/or an HTTP hook.
  std::vector<std::string> help_command;
  std::string help_url;
  std::string staff_group = "motcua-staff";  // may use the outbox's control socket (motcua outbox retry)
};

// The centre's name in lang, or in the first language it has.
const std::string& center_name(const KioskConfig& c, const std::string& lang);

struct ConfigError : std::runtime_error { using std::runtime_error::runtime_error; };

// Parses text from `origin` (a file name used in messages). Unknown keys are errors:
// a typo must not silently fall back to a default.
KioskConfig parse_config(const std::string& json_text, const std::string& origin);
KioskConfig load_config(const std::string& path);

}  // namespace motcua
