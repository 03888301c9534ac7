#include "tests/intake/credentials.h"
#include "tests/intake/intake_server.h"

#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <memory>
#include <stdexcept>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

namespace motcua::intake {

namespace {

using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using Cert = std::unique_ptr<X509, decltype(&X509_free)>;

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("credentials: ") + what);
}

bool exists(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0;
}

void write_pem(const std::string& path, const std::function<int(BIO*)>& writer) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_file(path.c_str(), "w"), BIO_free);
  check(bio && writer(bio.get()) == 1, "cannot write a PEM file");
  ::chmod(path.c_str(), 0600);
}

void add_ext(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  check(ext != nullptr, "bad certificate extension");
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

Cert make_cert(EVP_PKEY* key, const char* cn, X509* issuer, EVP_PKEY* issuer_key, bool ca) {
  Cert cert(X509_new(), X509_free);
  X509_set_version(cert.get(), 2);
  unsigned char serial[16];
  RAND_bytes(serial, sizeof serial);
  serial[0] &= 0x7f;
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 60L * 60 * 24 * 825);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("MotCua demo portal"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(cn), -1, -1, 0);
  X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : name);
  X509* iss = issuer ? issuer : cert.get();
  if (ca) {
    add_ext(cert.get(), iss, NID_basic_constraints, "critical,CA:TRUE");
    add_ext(cert.get(), iss, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    add_ext(cert.get(), iss, NID_basic_constraints, "critical,CA:FALSE");
    add_ext(cert.get(), iss, NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost");
    add_ext(cert.get(), iss, NID_ext_key_usage, "serverAuth");
  }
  add_ext(cert.get(), iss, NID_subject_key_identifier, "hash");
  check(X509_sign(cert.get(), issuer_key ? issuer_key : key, EVP_sha256()) > 0, "cannot sign a certificate");
  return cert;
}

}  // namespace

CredentialFiles make_demo_credentials(const std::string& dir) {
  ::mkdir(dir.c_str(), 0700);
  CredentialFiles f{dir + "/ca.pem", dir + "/tls-cert.pem", dir + "/tls-key.pem", dir + "/envelope-public.pem",
                    dir + "/envelope-private.pem", dir + "/catalog-public.pem", dir + "/catalog-private.pem",
                    dir + "/kiosk-token"};
  if (exists(f.ca_cert) && exists(f.tls_cert) && exists(f.tls_key) && exists(f.envelope_public) &&
      exists(f.envelope_private) && exists(f.catalog_public) && exists(f.catalog_private) && exists(f.kiosk_token))
    return f;

  Key ca_key(EVP_EC_gen("P-256"), EVP_PKEY_free), tls_key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  Key envelope(EVP_RSA_gen(3072), EVP_PKEY_free);
  Key catalog(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"), EVP_PKEY_free);
  check(ca_key && tls_key && envelope && catalog, "key generation failed");
  Cert ca = make_cert(ca_key.get(), "MotCua demo CA", nullptr, nullptr, true);
  Cert tls = make_cert(tls_key.get(), "127.0.0.1", ca.get(), ca_key.get(), false);

  write_pem(f.ca_cert, [&](BIO* b) { return PEM_write_bio_X509(b, ca.get()); });
  write_pem(f.tls_cert, [&](BIO* b) { return PEM_write_bio_X509(b, tls.get()); });
  write_pem(f.tls_key, [&](BIO* b) { return PEM_write_bio_PrivateKey(b, tls_key.get(), nullptr, nullptr, 0, nullptr, nullptr); });
  write_pem(f.envelope_public, [&](BIO* b) { return PEM_write_bio_PUBKEY(b, envelope.get()); });
  write_pem(f.envelope_private, [&](BIO* b) { return PEM_write_bio_PrivateKey(b, envelope.get(), nullptr, nullptr, 0, nullptr, nullptr); });
  write_pem(f.catalog_public, [&](BIO* b) { return PEM_write_bio_PUBKEY(b, catalog.get()); });
  write_pem(f.catalog_private, [&](BIO* b) { return PEM_write_bio_PrivateKey(b, catalog.get(), nullptr, nullptr, 0, nullptr, nullptr); });
  unsigned char raw[24];
  RAND_bytes(raw, sizeof raw);
  std::string token;
  for (unsigned char c : raw) {
    char hex[3];
    std::snprintf(hex, sizeof hex, "%02x", c);
    token += hex;
  }
  std::ofstream(f.kiosk_token) << token << "\n";
  ::chmod(f.kiosk_token.c_str(), 0600);
  return f;
}

IntakeConfig demo_intake_config(const CredentialFiles& keys, const std::string& db_path) {
  IntakeConfig c;
  c.db_path = db_path;
  c.tls_cert = keys.tls_cert;
  c.tls_key = keys.tls_key;
  c.envelope_private_key = keys.envelope_private;
  std::string token;
  std::getline(std::ifstream(keys.kiosk_token), token);
  c.kiosks = {{"KIOSK-01", token}};
  return c;
}

}  // namespace motcua::intake
