#include <doctest/doctest.h>

#include "terminal/core/config.h"

using namespace motcua;

namespace {
std::string error_of(const std::string& text) {
  try {
    parse_config(text, "kiosk.json");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("an empty configuration gives working defaults") {
  KioskConfig c = parse_config("{}", "kiosk.json");
  CHECK(c.locales.front() == "vi");
  CHECK(c.more_time_seconds >= 20);
  CHECK(c.center_name.count("vi") == 1);
  CHECK(c.center_name.count("en") == 1);
}

TEST_CASE("values are read and normalised") {
  KioskConfig c = parse_config(R"({"kioskId": "HN-01", "idleSeconds": 60, "moreTimeSeconds": 25,
      "locales": ["vi"], "centerName": {"vi": "Trung tâm Hoa\u0300n Kiếm"}, "minTouchMm": 18.5})", "kiosk.json");
  CHECK(c.kiosk_id == "HN-01");
  CHECK(c.idle_seconds == 60);
  CHECK(c.more_time_seconds == 25);
  CHECK(c.min_touch_mm == doctest::Approx(18.5));
  CHECK(c.center_name.at("vi") == "Trung tâm Hoàn Kiếm");
}

TEST_CASE("bad configurations name the file and the key") {
  std::string e = error_of(R"({"idelSeconds": 60})");
  CHECK(e.find("kiosk.json") != std::string::npos);
  CHECK(e.find("unknown key \"idelSeconds\"") != std::string::npos);
  CHECK(e.find("idleSeconds") != std::string::npos);  // lists what it knows

  e = error_of(R"({"moreTimeSeconds": 10})");
  CHECK(e.find("\"moreTimeSeconds\"") != std::string::npos);
  CHECK(e.find("20") != std::string::npos);

  e = error_of(R"({"idleSeconds": "ninety"})");
  CHECK(e.find("\"idleSeconds\"") != std::string::npos);
  CHECK(e.find("\"ninety\"") != std::string::npos);

  e = error_of(R"({"locales": ["vi", "km"]})");
  CHECK(e.find("centerName") != std::string::npos);
  CHECK(e.find("km") != std::string::npos);

  CHECK(error_of("{\"kioskId\": ").find("invalid JSON") != std::string::npos);
  CHECK(error_of("[]").find("object") != std::string::npos);
}

TEST_CASE("portal, survey, staff and keyboard settings are checked before the kiosk starts") {
  KioskConfig c = parse_config(R"({"endpoint": "https://portal.example.vn/", "portalToken": "t", "envelopeKeyFile": "k.pem",
                                   "tonePlacement": "classic", "portalWaitSeconds": 2, "catalogSyncMinutes": 15,
                                   "exportDir": "/media/usb0"})",
                               "kiosk.json");
  CHECK(c.endpoint == "https://portal.example.vn");  // no trailing slash: paths are appended
  CHECK(c.tone_placement == TonePlacement::Classic);
  CHECK(c.portal_wait_seconds == 2);
  CHECK(c.catalog_sync_minutes == 15);
  CHECK(c.export_dir == "/media/usb0");
  CHECK(parse_config("{}", "kiosk.json").tone_placement == TonePlacement::Modern);
  CHECK(error_of(R"({"endpoint": "http://portal.example.vn", "portalToken": "t", "envelopeKeyFile": "k"})").find("https://") != std::string::npos);
  CHECK(error_of(R"({"endpoint": "https://portal.example.vn"})").find("portalToken") != std::string::npos);
  CHECK(error_of(R"({"tonePlacement": "new"})").find("\"tonePlacement\"") != std::string::npos);
  CHECK(error_of(R"({"portalWaitSeconds": 60})").find("0 to 30") != std::string::npos);
  CHECK(error_of(R"({"staff": [{"id": "CB-01", "pin": "1234"}]})").find("hash") != std::string::npos);
}

TEST_CASE("cardTrust: what an invalid or unverified card means, checked and named") {
  KioskConfig d = parse_config("{}", "kiosk.json");
  CHECK(d.card_invalid == CardTrust::Reject);       // default: a failed signature is not used
  CHECK(d.card_unverified == CardTrust::Prefill);   // default: no CSCA store, prefilled but editable
  KioskConfig c = parse_config(R"({"cardTrust": {"invalid": "prefill", "unverified": "lock"}})", "kiosk.json");
  CHECK(c.card_invalid == CardTrust::Prefill);
  CHECK(c.card_unverified == CardTrust::Lock);
  CHECK(parse_config(R"({"cardTrust": {"unverified": "reject"}})", "kiosk.json").card_unverified == CardTrust::Reject);
  CHECK(error_of(R"({"cardTrust": {"invalid": "lock"}})").find("key \"cardTrust.invalid\": expected \"reject\" or \"prefill\"") !=
        std::string::npos);
  CHECK(error_of(R"({"cardTrust": {"unverified": "yes"}})").find("cardTrust.unverified") != std::string::npos);
  CHECK(error_of(R"({"cardTrust": {"valid": "reject"}})").find("\"valid\"") != std::string::npos);
  CHECK(error_of(R"({"cardTrust": "reject"})").find("key \"cardTrust\"") != std::string::npos);
}

TEST_CASE("PIN hashes below 200,000 or above 10,000,000 iterations are refused with the reason") {
  std::string salt_and_hash = "$00112233445566778899aabbccddeeff$" + std::string(64, '0');
  for (const char* iterations : {"10000", "4294967297", "99999999999999999999"}) {
    std::string err = error_of(std::string(R"({"staff": [{"id": "CB-01", "pin": "pbkdf2-sha256$)") + iterations + salt_and_hash + "\"}]}");
    CAPTURE(err);
    CHECK(err.find("kiosk.json: key \"staff\"") == 0);
    CHECK(err.find("200000 to 10000000 iterations") != std::string::npos);
  }
  CHECK(error_of(R"({"staff": [{"id": "CB-01", "pin": "pbkdf2-sha256$200000)" + salt_and_hash + "\"}]}").empty());
}

TEST_CASE("helpSignal: a command and an http hook are read, anything else is refused by name") {
  KioskConfig c = parse_config(R"({"helpSignal": {"command": ["/usr/local/bin/ring", "desk-2"], "url": "http://10.0.0.5/help"}})", "kiosk.json");
  CHECK(c.help_command == std::vector<std::string>{"/usr/local/bin/ring", "desk-2"});
  CHECK(c.help_url == "http://10.0.0.5/help");
  CHECK(error_of(R"({"helpSignal": {"url": "ftp://x"}})").find("helpSignal.url") != std::string::npos);
  CHECK(error_of(R"({"helpSignal": {"command": []}})").find("helpSignal.command") != std::string::npos);
  CHECK(error_of(R"({"helpSignal": {"bell": true}})").find("\"bell\"") != std::string::npos);
  CHECK(error_of(R"({"helpSignal": "ring"})").find("helpSignal") != std::string::npos);
}

TEST_CASE("declarationPrinter: an A4 CUPS queue or a folder, anything else refused by name") {
  CHECK(parse_config("{}", "kiosk.json").declaration_printer.empty());
  CHECK(parse_config(R"({"declarationPrinter": "cups:A4-quay-3"})", "kiosk.json").declaration_printer == "cups:A4-quay-3");
  CHECK(parse_config(R"({"declarationPrinter": "file:/srv/to-khai"})", "kiosk.json").declaration_printer == "file:/srv/to-khai");
  for (const char* bad : {R"({"declarationPrinter": "tcp:10.0.0.5:9100"})", R"({"declarationPrinter": "cups:"})",
                          R"({"declarationPrinter": 3})"}) {
    std::string e = error_of(bad);
    CAPTURE(bad);
    CHECK(e.find("kiosk.json") != std::string::npos);
    CHECK(e.find("\"declarationPrinter\"") != std::string::npos);
  }
}

TEST_CASE("scanner: none by default, a SANE device or a V4L2 camera with its options and a timeout, anything else refused by name") {
  KioskConfig none = parse_config("{}", "kiosk.json");
  CHECK(none.scanner == "none");
  CHECK(none.scanner_timeout_seconds == 60);
  KioskConfig c = parse_config(
      R"({"scanner": "genesys:libusb:001:004", "scannerOptions": {"source": "Flatbed", "lamp-off-time": 5, "preview": false},
          "scannerTimeoutSeconds": 90})",
      "kiosk.json");
  CHECK(c.scanner == "genesys:libusb:001:004");
  CHECK(c.scanner_options == std::map<std::string, std::string>{{"lamp-off-time", "5"}, {"preview", "false"}, {"source", "Flatbed"}});
  CHECK(c.scanner_timeout_seconds == 90);
  KioskConfig camera = parse_config(R"({"scanner": "v4l2:/dev/video0", "scannerOptions": {"rotate": 90}})", "kiosk.json");
  CHECK(camera.scanner == "v4l2:/dev/video0");
  CHECK(camera.scanner_options == std::map<std::string, std::string>{{"rotate", "90"}});
  for (const char* bad : {R"({"scanner": ""})", R"({"scannerOptions": ["source"]})", R"({"scannerOptions": {"source": null}})",
                          R"({"scannerTimeoutSeconds": 0})", R"({"scanner": "v4l2:video0"})", R"({"scanner": "v4l2:"})"}) {
    std::string e = error_of(bad);
    CAPTURE(bad);
    CHECK(e.find("kiosk.json") != std::string::npos);
    CHECK(e.find("\"scanner") != std::string::npos);
  }
}
