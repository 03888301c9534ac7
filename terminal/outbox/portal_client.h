// HTTPS to the province's portal gateway (docs/api.md), with libcurl. Certificate checks are
// always on; a private CA is given as a file. One client per thread (it keeps its connection).
// Rule: every answer must carry the protocol header, or it did not come from the portal
// (a captive portal's 200 page, a proxy's error page).
#pragma once
#include <map>
#include <string>

namespace motcua::outbox {

constexpr const char* kProtocolHeader = "MotCua-Protocol";
constexpr const char* kProtocolVersion = "1";

struct HttpResponse {
  long status = 0;                             // 0: no HTTP answer at all
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  std::string transport_error;                 // DNS, connect, TLS, timeout: why there is no answer
  bool from_portal() const;                    // carries our protocol header
  std::string header(const std::string& lower_name) const;
};

struct PortalOptions {
  std::string url;      // https://host[:port] (no trailing slash)
  std::string token;    // this kiosk's bearer token
  std::string ca_file;  // empty: the system's CAs
  std::string kiosk_id;
  long connect_timeout_ms = 5000;
  long timeout_ms = 30000;
};

class PortalClient {
 public:
  explicit PortalClient(PortalOptions options);
  ~PortalClient();
  PortalClient(const PortalClient&) = delete;
  PortalClient& operator=(const PortalClient&) = delete;

  HttpResponse get(const std::string& path, const std::map<std::string, std::string>& headers = {});
  HttpResponse post(const std::string& path, const std::string& body, const std::map<std::string, std::string>& headers = {});
  const PortalOptions& options() const { return options_; }

 private:
  HttpResponse request(const std::string& method, const std::string& path, const std::string* body,
                       const std::map<std::string, std::string>& headers);
  PortalOptions options_;
  void* curl_;
};

}  // namespace motcua::outbox
