// HTTPS to the province's portal gateway (docs/api.md), with libcurl. Certificate checks are
// always on; a private CA is given as a file. One client per thread (it keeps its connection).
// Rule: every answer must carry the protocol header, or it did not come from the portal
// (a captive portal's 200 page, a proxy's error page).
#pragma once
#include <atomic>
#include <map>
#include <string>

namespace motcua::outbox {

constexpr const char* kProtocolHeader = "MotCua-Protocol";
constexpr const char* kProtocolVersion = "1";
// The largest answer read (every documented answer is under 4 KiB; catalog files come through
// CatalogSync's own limit); a longer one is cut off and counts as a protocol error.
constexpr size_t kMaxAnswerBytes = 1024 * 1024;
constexpr size_t kMaxHeaderBytes = 64 * 1024;

struct HttpResponse {
  long status = 0;                             // 0: no HTTP answer at all
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  std::string transport_error;                 // DNS, connect, TLS, timeout: why there is no answer
  bool oversized = false;                      // status 0 because the answer ran over max_answer_bytes
  bool cancelled = false;                      // status 0 because the owner is stopping (PortalOptions::cancel)
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
  size_t max_answer_bytes = kMaxAnswerBytes;
  // Set by the owner when it stops: a request in flight ends within about a second instead of at
  // its timeout. Outlives every client made with these options.
  const std::atomic<bool>* cancel = nullptr;
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
  // Closes the kept-alive connection: after an answer that was not for the request, what is
  // still buffered on it (a doubled answer) must never be read as the next request's answer.
  void drop_connection();

 private:
  HttpResponse request(const std::string& method, const std::string& path, const std::string* body,
                       const std::map<std::string, std::string>& headers);
  PortalOptions options_;
  void* curl_ = nullptr;  // opened by the first request
};

}  // namespace motcua::outbox
