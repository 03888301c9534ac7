// Throw-away credentials for a demo or test portal, made with OpenSSL: a CA, a TLS certificate
// for 127.0.0.1/localhost signed by it, the RSA key pair dossiers are sealed with, an Ed25519
// key pair for catalog signatures and a kiosk token. Never for production: real portals get
// their keys from the province's PKI.
#pragma once
#include <string>

namespace motcua::intake {

struct CredentialFiles {
  std::string ca_cert, tls_cert, tls_key;         // TLS
  std::string envelope_public, envelope_private;  // dossier envelopes (RSA-3072)
  std::string catalog_public, catalog_private;    // catalog signatures (Ed25519)
  std::string kiosk_token;                        // a random bearer token (file)
};

// Writes the files into dir (created if needed) unless they are all there already.
CredentialFiles make_demo_credentials(const std::string& dir);

// A server configuration using these credentials, with KIOSK-01 known by the demo token.
struct IntakeConfig;
IntakeConfig demo_intake_config(const CredentialFiles& keys, const std::string& db_path);

}  // namespace motcua::intake
