#include "terminal/services/catalog_sync.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "forms/lint.h"
#include "terminal/core/catalog.h"
#include "terminal/core/input.h"
#include "terminal/services/outbox/envelope.h"

namespace motcua {

namespace fs = std::filesystem;

namespace {

using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

Key read_key(const std::string& pem, bool is_private) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  EVP_PKEY* k = is_private ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr)
                           : PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
  if (!k || EVP_PKEY_get_base_id(k) != EVP_PKEY_ED25519) {
    EVP_PKEY_free(k);
    throw InputError(is_private ? "not a PEM Ed25519 private key" : "not a PEM Ed25519 public key");
  }
  return Key(k, EVP_PKEY_free);
}

void write_file(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  if (!out) throw std::runtime_error(path.string() + ": cannot write");
}

bool safe_name(const std::string& name) {
  return !name.empty() && name.find('/') == std::string::npos && name.find("..") == std::string::npos &&
         name.size() > 5 && name.compare(name.size() - 5, 5, ".json") == 0;
}

}  // namespace

std::string sign_bytes(const std::string& bytes, const std::string& private_key_pem) {
  Key key = read_key(private_key_pem, true);
  MdCtx ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  unsigned char sig[64];
  size_t len = sizeof sig;
  if (EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), sig, &len, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()) != 1)
    throw InputError("Ed25519 signing failed");
  return outbox::base64({reinterpret_cast<char*>(sig), len});
}

bool verify_bytes(const std::string& bytes, const std::string& signature_b64, const std::string& public_key_pem) {
  Key key = read_key(public_key_pem, false);
  std::string sig;
  try {
    sig = outbox::unbase64(signature_b64);
  } catch (const outbox::EnvelopeError&) {
    return false;
  }
  MdCtx ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  return EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) == 1 &&
         EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                          reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()) == 1;
}

CatalogSync::CatalogSync(outbox::PortalOptions portal, std::string catalog_key_pem, std::string dir, std::string data_root)
    : client_(std::move(portal)), key_pem_(std::move(catalog_key_pem)), dir_(std::move(dir)), data_root_(std::move(data_root)) {
  read_key(key_pem_, false);  // refuse a bad key now, not at the first sync
}

std::string CatalogSync::current_dir(const std::string& dir) {
  std::error_code ec;
  fs::path link = fs::path(dir) / "current";
  if (!fs::is_symlink(link, ec)) return "";
  fs::path target = fs::read_symlink(link, ec);
  if (ec) return "";
  return (fs::path(dir) / target).string();
}

CatalogSyncResult CatalogSync::sync_once() {
  CatalogSyncResult r;
  std::error_code ec;
  fs::create_directories(dir_, ec);
  std::string etag;
  std::getline(std::ifstream(dir_ + "/etag"), etag);
  std::string current = current_dir(dir_);
  std::map<std::string, std::string> headers;
  if (!etag.empty() && !current.empty()) headers["If-None-Match"] = etag;
  outbox::HttpResponse index = client_.get("/v1/catalog", headers);
  if (index.status == 0) {
    r.problems.push_back("network: " + index.transport_error);
    return r;
  }
  if (!index.from_portal()) {
    r.problems.push_back("HTTP " + std::to_string(index.status) + " without the protocol header (captive portal?)");
    return r;
  }
  if (index.status == 304) {
    r.outcome = CatalogSyncResult::Outcome::Unchanged;
    r.version = fs::path(current).filename().string();
    return r;
  }
  auto doc = nlohmann::json::parse(index.body, nullptr, false);
  if (index.status != 200 || !doc.is_object() || !doc.contains("files") || !doc["files"].is_array() ||
      !doc.value("version", nlohmann::json()).is_string()) {
    r.problems.push_back("catalog index: HTTP " + std::to_string(index.status) + ", expected {version, files: [...]}");
    return r;
  }
  std::string version = doc["version"].get<std::string>();
  if (version.find_first_not_of("0123456789abcdefABCDEF-_.") != std::string::npos || version.empty()) {
    r.problems.push_back("catalog index: unusable version \"" + version + "\"");
    return r;
  }
  nlohmann::json package_schema = read_json_file(data_root_ + "/assets/schemas/form-package.schema.json");
  fs::path staging = fs::path(dir_) / ("staging-" + version);
  fs::remove_all(staging, ec);
  fs::create_directories(staging);
  for (auto& f : doc["files"]) {
    std::string name = f.value("name", "");
    if (!safe_name(name)) {
      r.problems.push_back("catalog index: unusable file name \"" + name + "\"");
      continue;
    }
    outbox::HttpResponse file = client_.get(f.value("href", "/v1/catalog/files/" + name));
    if (file.status != 200 || !file.from_portal()) {
      r.problems.push_back(name + ": HTTP " + std::to_string(file.status) + (file.transport_error.empty() ? "" : " " + file.transport_error));
      continue;
    }
    if (outbox::sha256_hex(file.body) != f.value("sha256", "")) {
      r.problems.push_back(name + ": SHA-256 differs from the index");
      continue;
    }
    if (!verify_bytes(file.body, f.value("signature", ""), key_pem_)) {
      r.problems.push_back(name + ": signature does not verify with the catalog key");
      continue;
    }
    if (name != "categories.json") {
      auto package = nlohmann::json::parse(file.body, nullptr, false);
      if (package.is_discarded()) {
        r.problems.push_back(name + ": not JSON");
        continue;
      }
      for (auto& issue : forms::lint_package(package, package_schema))
        if (issue.error) r.problems.push_back(name + ": lint: " + issue.pointer + ": " + issue.message);
    }
    write_file(staging / name, file.body);
    ++r.files;
  }
  if (r.problems.empty()) {
    Catalog loaded = Catalog::load(staging.string());
    for (auto& p : loaded.problems) r.problems.push_back(p);
    if (loaded.size() == 0) r.problems.push_back("the catalog holds no form");
  }
  if (!r.problems.empty()) {
    fs::remove_all(staging, ec);
    return r;  // the last good catalog stays current
  }
  fs::path installed = fs::path(dir_) / ("v-" + version);
  fs::remove_all(installed, ec);
  fs::rename(staging, installed);
  // Swap the "current" link atomically: a kiosk starting now sees the old set or the new one.
  fs::path tmp_link = fs::path(dir_) / "current.tmp";
  fs::remove(tmp_link, ec);
  fs::create_directory_symlink(installed.filename(), tmp_link);
  fs::rename(tmp_link, fs::path(dir_) / "current");
  write_file(fs::path(dir_) / "etag", index.header("etag") + "\n");
  // Keep the new catalog and the one before it; older ones go.
  std::string previous = current.empty() ? "" : fs::path(current).filename().string();
  for (auto& e : fs::directory_iterator(dir_)) {
    std::string n = e.path().filename().string();
    if (n.rfind("v-", 0) == 0 && n != installed.filename().string() && n != previous) fs::remove_all(e.path(), ec);
  }
  r.outcome = CatalogSyncResult::Outcome::Installed;
  r.version = installed.filename().string();
  return r;
}

}  // namespace motcua
