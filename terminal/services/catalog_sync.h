// The catalog the kiosk offers comes from the portal: pulled when online (ETag), every file
// checked against its SHA-256 and its Ed25519 signature, every form linted, the whole set
// loaded once, and only then made current. A failure keeps the last good catalog.
// Rule: the kiosk switches catalogs only between sessions (Kiosk checks at the attract screen).
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "terminal/services/outbox/portal_client.h"

namespace motcua {

// Ed25519 over a file's exact bytes; the signature travels as base64 (FILE.sig).
std::string sign_bytes(const std::string& bytes, const std::string& private_key_pem);
bool verify_bytes(const std::string& bytes, const std::string& signature_b64, const std::string& public_key_pem);

// The index GET /v1/catalog answers, checked before any file is fetched (docs/limits.md).
inline constexpr size_t kMaxCatalogFiles = 1000;
inline constexpr size_t kMaxCatalogBytes = 64u << 20;  // all files of one catalog together

struct CatalogEntry {
  std::string name, href, sha256, signature;
};

struct CatalogIndex {
  std::string version;
  std::vector<CatalogEntry> files;
};

// Throws InputError "catalog index: files[N].FIELD: ..." for anything outside the bounds: depth,
// counts, string lengths, names that are not plain FILE.json, hrefs that leave the portal.
CatalogIndex parse_catalog_index(std::string_view body);

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
  // Never throws: whatever goes wrong (the portal, the disk) is a Failed result with its problem,
  // since this runs on the kiosk's watcher thread, where an exception would end the kiosk.
  CatalogSyncResult sync_once();

  // The folder of the current synced catalog, or "" when none was ever installed.
  static std::string current_dir(const std::string& dir);

 private:
  CatalogSyncResult sync();

  outbox::PortalClient client_;
  std::string key_pem_, dir_, data_root_;
};

}  // namespace motcua
