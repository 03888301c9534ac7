#include "terminal/core/config.h"

#include "terminal/core/pin_hash.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "devices/printer/profile.h"
#include "devices/printer/vietqr.h"
#include "forms/json_input.h"
#include "forms/text.h"

namespace motcua {
namespace {

using nlohmann::json;

[[noreturn]] void bad(const std::string& origin, const std::string& key, const std::string& what,
                      const json& got) {
  throw ConfigError(origin + ": key \"" + key + "\": " + what + ", got " + got.dump());
}

// Range-checked before any narrowing: 4294967297 must be refused, not wrap to 1.
int whole(const json& v, const std::string& origin, const std::string& key, int lo, int hi) {
  bool in_range = v.is_number_unsigned()
                      ? v.get<unsigned long long>() <= static_cast<unsigned long long>(std::max(hi, 0)) &&
                            static_cast<long long>(v.get<unsigned long long>()) >= lo
                      : v.is_number_integer() && v.get<long long>() >= lo && v.get<long long>() <= hi;
  if (!in_range)
    bad(origin, key, "expected a whole number from " + std::to_string(lo) + " to " + std::to_string(hi), v);
  return v.get<int>();
}

double real(const json& v, const std::string& origin, const std::string& key, double lo, double hi) {
  if (!v.is_number() || v.get<double>() < lo || v.get<double>() > hi) {
    std::ostringstream range;
    range << "expected a number from " << lo << " to " << hi;
    bad(origin, key, range.str(), v);
  }
  return v.get<double>();
}

std::string nonempty_string(const json& v, const std::string& origin, const std::string& key) {
  if (!v.is_string() || v.get<std::string>().empty()) bad(origin, key, "expected a non-empty string", v);
  return text::nfc(v.get<std::string>());
}

// A configuration is a flat object of settings and small lists: 8 levels and 1 MiB are plenty.
constexpr size_t kMaxConfigDepth = 8;
constexpr size_t kMaxConfigBytes = 1u << 20;

}  // namespace

KioskConfig parse_config(const std::string& json_text, const std::string& origin) {
  json doc;
  try {
    doc = forms::parse_json(json_text, kMaxConfigDepth, kMaxConfigBytes);
  } catch (const forms::JsonInputError& e) {
    throw ConfigError(origin + ": " + e.what());
  }
  if (!doc.is_object()) throw ConfigError(origin + ": the configuration is a JSON object");

  KioskConfig c;
  using Reader = std::function<void(const json&, const std::string&)>;
  // A list of people who sign in with a PIN: ids and PIN hashes, never PINs.
  auto people = [&](const json& v, const std::string& k) {
    if (!v.is_array()) bad(origin, k, "expected a list of {\"id\": ..., \"pin\": \"pbkdf2-sha256$...\"}", v);
    std::vector<Volunteer> out;
    for (auto& entry : v) {
      if (!entry.is_object() || !entry.contains("id") || !entry.contains("pin"))
        bad(origin, k, "each entry is {\"id\": ..., \"pin\": ...}", entry);
      std::string pin = nonempty_string(entry["pin"], origin, k + ".pin");
      if (!well_formed_pin_hash(pin))
        bad(origin, k, "\"pin\" must be a hash made with `motcua staff hash-pin` (never the PIN itself) with " +
                                   std::to_string(kOldestPinIterations) + " to " + std::to_string(kMostPinIterations) + " iterations", entry["id"]);
      out.push_back({nonempty_string(entry["id"], origin, k + ".id"), pin});
    }
    return out;
  };
  const std::map<std::string, Reader> readers = {
      {"kioskId", [&](const json& v, const std::string& k) { c.kiosk_id = nonempty_string(v, origin, k); }},
      {"centerName", [&](const json& v, const std::string& k) {
         if (!v.is_object() || v.empty()) bad(origin, k, "expected texts per language, e.g. {\"vi\": \"...\"}", v);
         c.center_name.clear();
         for (auto& [lang, s] : v.items()) c.center_name[lang] = nonempty_string(s, origin, k + "." + lang);
       }},
      {"locales", [&](const json& v, const std::string& k) {
         if (!v.is_array() || v.empty()) bad(origin, k, "expected a non-empty list such as [\"vi\", \"en\"]", v);
         c.locales.clear();
         for (auto& l : v) c.locales.push_back(nonempty_string(l, origin, k));
       }},
      {"idleSeconds", [&](const json& v, const std::string& k) { c.idle_seconds = whole(v, origin, k, 15, 3600); }},
      // Section 508 407.5 and WCAG 2.2.1: at least 20 s to ask for more time.
      {"moreTimeSeconds", [&](const json& v, const std::string& k) { c.more_time_seconds = whole(v, origin, k, 20, 600); }},
      {"thankYouSeconds", [&](const json& v, const std::string& k) { c.thank_you_seconds = whole(v, origin, k, 3, 600); }},
      {"minTouchMm", [&](const json& v, const std::string& k) { c.min_touch_mm = real(v, origin, k, 7, 40); }},
      {"textMm", [&](const json& v, const std::string& k) { c.text_mm = real(v, origin, k, 4, 20); }},
      {"pixelsPerMm", [&](const json& v, const std::string& k) { c.pixels_per_mm = real(v, origin, k, 0, 40); }},
      {"formsDir", [&](const json& v, const std::string& k) { c.forms_dir = nonempty_string(v, origin, k); }},
      // Checked against the catalog at start (motcua exits 2 naming it when no such form loads).
      {"singleForm", [&](const json& v, const std::string& k) { c.single_form = nonempty_string(v, origin, k); }},
      {"dataDir", [&](const json& v, const std::string& k) { c.data_dir = nonempty_string(v, origin, k); }},
      {"printer", [&](const json& v, const std::string& k) { c.printer = nonempty_string(v, origin, k); }},
      {"declarationPrinter", [&](const json& v, const std::string& k) {
         c.declaration_printer = nonempty_string(v, origin, k);
         if ((c.declaration_printer.rfind("cups:", 0) != 0 && c.declaration_printer.rfind("file:", 0) != 0) || c.declaration_printer.size() < 6)
           bad(origin, k, "expected \"cups:QUEUE\" (an A4 queue) or \"file:DIR\"", v);
       }},
      {"endpoint", [&](const json& v, const std::string& k) {
         c.endpoint = nonempty_string(v, origin, k);
         if (c.endpoint != "demo" && c.endpoint.rfind("https://", 0) != 0)
           bad(origin, k, "expected \"demo\" or the portal's https:// address", v);
         while (c.endpoint.size() > 8 && c.endpoint.back() == '/') c.endpoint.pop_back();
       }},
      {"portalToken", [&](const json& v, const std::string& k) { c.portal_token = nonempty_string(v, origin, k); }},
      {"portalCaFile", [&](const json& v, const std::string& k) { c.portal_ca_file = nonempty_string(v, origin, k); }},
      {"envelopeKeyFile", [&](const json& v, const std::string& k) { c.envelope_key_file = nonempty_string(v, origin, k); }},
      {"catalogKeyFile", [&](const json& v, const std::string& k) { c.catalog_key_file = nonempty_string(v, origin, k); }},
      {"catalogSyncMinutes", [&](const json& v, const std::string& k) {
         c.catalog_sync_minutes = whole(v, origin, k, 1, 1440);
       }},
      {"tonePlacement", [&](const json& v, const std::string& k) {
         std::string p = nonempty_string(v, origin, k);
         if (p != "modern" && p != "classic") bad(origin, k, "expected \"modern\" (hoà, thuỷ) or \"classic\" (hòa, thủy)", v);
         c.tone_placement = p == "modern" ? TonePlacement::Modern : TonePlacement::Classic;
       }},
      {"surveyFile", [&](const json& v, const std::string& k) { c.survey_file = nonempty_string(v, origin, k); }},
      {"helpSignal", [&](const json& v, const std::string& k) {
         if (!v.is_object() || v.empty()) bad(origin, k, "expected {\"command\": [\"/path/to/program\", ...]} and/or {\"url\": \"http://...\"}", v);
         for (auto& [key, item] : v.items()) {
           if (key == "command") {
             if (!item.is_array() || item.empty()) bad(origin, k + ".command", "expected a program and its arguments, e.g. [\"/usr/local/bin/ring\", \"desk-2\"]", item);
             c.help_command.clear();
             for (auto& a : item) c.help_command.push_back(nonempty_string(a, origin, k + ".command"));
           } else if (key == "url") {
             c.help_url = nonempty_string(item, origin, k + ".url");
             if (c.help_url.rfind("http://", 0) != 0 && c.help_url.rfind("https://", 0) != 0)
               bad(origin, k + ".url", "expected an http:// or https:// address", item);
           } else {
             bad(origin, k, "expected only \"command\" and \"url\", found \"" + key + "\"", v);
           }
         }
       }},
      {"metricsDir", [&](const json& v, const std::string& k) { c.metrics_dir = nonempty_string(v, origin, k); }},
      {"staffGroup", [&](const json& v, const std::string& k) { c.staff_group = nonempty_string(v, origin, k); }},
      {"cardReader", [&](const json& v, const std::string& k) { c.card_reader = nonempty_string(v, origin, k); }},
      {"cscaFile", [&](const json& v, const std::string& k) { c.csca_file = nonempty_string(v, origin, k); }},
      {"scanner", [&](const json& v, const std::string& k) {
         c.scanner = nonempty_string(v, origin, k);
         if (c.scanner.rfind("v4l2:", 0) == 0 && c.scanner.rfind("v4l2:/", 0) != 0)
           bad(origin, k, "a camera is \"v4l2:\" and its device's full path, e.g. \"v4l2:/dev/video0\"", v);
       }},
      {"scannerOptions", [&](const json& v, const std::string& k) {
         if (!v.is_object()) bad(origin, k, "expected SANE options by name, e.g. {\"source\": \"Flatbed\"}", v);
         c.scanner_options.clear();
         for (auto& [name, value] : v.items()) {
           if (name.empty() || name.size() > 64) bad(origin, k, "an option name is 1 to 64 bytes", v);
           if (value.is_string()) c.scanner_options[name] = value.get<std::string>();
           else if (value.is_boolean()) c.scanner_options[name] = value.get<bool>() ? "true" : "false";
           else if (value.is_number()) c.scanner_options[name] = value.dump();
           else bad(origin, k + "." + name, "expected a text, a number or true/false", value);
         }
       }},
      {"scannerTimeoutSeconds", [&](const json& v, const std::string& k) { c.scanner_timeout_seconds = whole(v, origin, k, 5, 600); }},
      {"cardTrust", [&](const json& v, const std::string& k) {
         // A card whose signature fails is not the issuer's data: it is never locked in as such.
         if (!v.is_object()) bad(origin, k, "expected {\"invalid\": \"reject\", \"unverified\": \"prefill\"}", v);
         for (auto& [case_name, action] : v.items()) {
           std::string a = action.is_string() ? action.get<std::string>() : "";
           CardTrust t = a == "reject" ? CardTrust::Reject : a == "prefill" ? CardTrust::Prefill : CardTrust::Lock;
           if (case_name == "invalid" && (a == "reject" || a == "prefill")) c.card_invalid = t;
           else if (case_name == "unverified" && (a == "reject" || a == "prefill" || a == "lock")) c.card_unverified = t;
           else if (case_name == "invalid") bad(origin, k + ".invalid", "expected \"reject\" or \"prefill\"", action);
           else if (case_name == "unverified") bad(origin, k + ".unverified", "expected \"reject\", \"prefill\" or \"lock\"", action);
           else bad(origin, k, "expected only \"invalid\" and \"unverified\", found \"" + case_name + "\"", v);
         }
       }},
      {"placesFile", [&](const json& v, const std::string& k) { c.places_file = nonempty_string(v, origin, k); }},
      {"holidaysFile", [&](const json& v, const std::string& k) { c.holidays_file = nonempty_string(v, origin, k); }},
      {"portalWaitSeconds", [&](const json& v, const std::string& k) {
         if (!v.is_number() || v.get<double>() < 0 || v.get<double>() > 30) bad(origin, k, "expected seconds from 0 to 30", v);
         c.portal_wait_seconds = v.get<double>();
       }},
      {"printerProfile", [&](const json& v, const std::string& k) {
         c.printer_profile = nonempty_string(v, origin, k);
         if (!printer::find_profile(c.printer_profile)) bad(origin, k, "expected 80mm, 80mm-raster, 80mm-512 or 58mm", v);
       }},
      {"hotline", [&](const json& v, const std::string& k) { c.hotline = nonempty_string(v, origin, k); }},
      {"volunteers", [&](const json& v, const std::string& k) { c.volunteers = people(v, k); }},
      {"staff", [&](const json& v, const std::string& k) { c.staff = people(v, k); }},
      {"exportDir", [&](const json& v, const std::string& k) { c.export_dir = nonempty_string(v, origin, k); }},
      {"voice", [&](const json& v, const std::string& k) {
         c.voice = nonempty_string(v, origin, k);
         if (c.voice != "vi" && c.voice != "vi-VN-x-central" && c.voice != "vi-VN-x-south")
           bad(origin, k, "expected vi, vi-VN-x-central or vi-VN-x-south", v);
       }},
      {"speechOutput", [&](const json& v, const std::string& k) {
         c.speech_output = nonempty_string(v, origin, k);
         if (c.speech_output != "sdl2" && c.speech_output != "none" && c.speech_output.rfind("file:", 0) != 0)
           bad(origin, k, "expected sdl2, none or file:DIR", v);
       }},
      {"payment", [&](const json& v, const std::string& k) {
         if (!v.is_object() || !v.contains("bankBin") || !v.contains("account"))
           bad(origin, k, "expected {\"bankBin\": \"970436\", \"account\": \"...\"}", v);
         c.payment_bank_bin = nonempty_string(v["bankBin"], origin, k + ".bankBin");
         c.payment_account = nonempty_string(v["account"], origin, k + ".account");
         try {
           printer::build_vietqr({c.payment_bank_bin, c.payment_account, false, 1000, "TEST"});
         } catch (const printer::VietQrError& e) {
           bad(origin, k, e.what(), v);
         }
       }},
  };
  for (auto& [key, value] : doc.items()) {
    auto r = readers.find(key);
    if (r == readers.end()) {
      std::string known;
      for (auto& [k, _] : readers) known += (known.empty() ? "" : ", ") + k;
      throw ConfigError(origin + ": unknown key \"" + key + "\" (known keys: " + known + ")");
    }
    r->second(value, key);
  }
  if (c.endpoint != "demo" && (c.portal_token.empty() || c.envelope_key_file.empty()))
    throw ConfigError(origin + ": key \"endpoint\": a portal needs \"portalToken\" and \"envelopeKeyFile\" too");
  for (auto& lang : c.locales)
    if (!c.center_name.count(lang))
      throw ConfigError(origin + ": key \"centerName\": no text for locale \"" + lang + "\" listed in \"locales\"");
  return c;
}

const std::string& center_name(const KioskConfig& c, const std::string& lang) {
  auto it = c.center_name.find(lang);
  return it != c.center_name.end() ? it->second : c.center_name.begin()->second;
}

std::string default_state_dir() {
  if (const char* d = std::getenv("STATE_DIRECTORY"); d && *d) return std::string(d).substr(0, std::string(d).find(':'));
  if (const char* x = std::getenv("XDG_STATE_HOME"); x && *x == '/') return std::string(x) + "/motcua";
  if (const char* h = std::getenv("HOME"); h && *h == '/') return std::string(h) + "/.local/state/motcua";
  return "/var/lib/motcua";
}

KioskConfig load_config(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError(path + ": cannot open file");
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_config(ss.str(), path);
}

}  // namespace motcua
