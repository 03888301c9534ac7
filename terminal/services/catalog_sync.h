// The catalog the kiosk offers comes from the portal: pulled when online (ETag), every file
// checked against its SHA-256 and its Ed25519 signature, every form linted, the whole set
// loaded once, and only then made current. A failure keeps the last good catalog.
// Rule: the kiosk switches catalogs only between sessions (Kiosk checks at the attract screen).
#pragma once
#include <string>
#include <vector>

#include "terminal/services/outbox/portal_client.h"

namespace motcua {

// Ed25519 over a file's exact bytes; the signature travels as base64 (FILE.sig).
std::string sign_bytes(const std::string& bytes, const std::string& private_key_pem);
bool verify_bytes(const std::string& bytes, const std::string& signature_b64, const std::string& public_key_pem);

struct CatalogSyncResult {
  enum class Outcome { Unchanged, Installed, Failed } outcome = Outcome::Failed;
  std::string version;                // the catalog now current
  int files = 0;
  std::vector<std::string> problems;  // Failed: what was wrong, file by file
};

class CatalogSync {
 public:
  // dir: the kiosk's catalog folder (DATA_DIR/catalog); data_root: where the package schema lives.
  CatalogSync(outbox::PortalOptions portal, std::string catalog_key_pem, std::string dir, std::string data_root);
  CatalogSyncResult sync_once();

  // The folder of the current synced catalog, or "" when none was ever installed.
  static std::string current_dir(const std::string& dir);

 private:
  outbox::PortalClient client_;
  std::string key_pem_, dir_, data_root_;
};

}  // namespace motcua
