#include "terminal/services/outbox/portal_client.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "terminal/services/curl_library.h"

namespace motcua::outbox {

namespace {

struct Sink {
  HttpResponse* r;
  size_t max_body;
  size_t header_bytes = 0;
};

size_t on_body(char* data, size_t size, size_t n, void* user) {
  Sink* s = static_cast<Sink*>(user);
  if (s->r->body.size() + size * n > s->max_body) {
    s->r->oversized = true;
    return 0;  // aborts the transfer
  }
  s->r->body.append(data, size * n);
  return size * n;
}

size_t on_header(char* data, size_t size, size_t n, void* sink) {
  Sink* s = static_cast<Sink*>(sink);
  s->header_bytes += size * n;
  if (s->header_bytes > kMaxHeaderBytes) {
    s->r->oversized = true;
    return 0;
  }
  void* user = &s->r->headers;
  std::string line(data, size * n);
  auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon), value = line.substr(colon + 1);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    auto trim = [](std::string& s) {
      while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
      while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.erase(s.begin());
    };
    trim(value);
    (*static_cast<std::map<std::string, std::string>*>(user))[name] = value;
  } else if (line.rfind("HTTP/", 0) == 0) {
    static_cast<std::map<std::string, std::string>*>(user)->clear();  // a new response (after 100 Continue)
  }
  return size * n;
}

// libcurl calls this about once a second even while nothing moves: a non-zero answer ends the request.
int on_progress(void* cancel, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<const std::atomic<bool>*>(cancel)->load() ? 1 : 0;
}

}  // namespace

std::string HttpResponse::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

bool HttpResponse::from_portal() const {
  std::string lower = kProtocolHeader;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return header(lower) == kProtocolVersion;
}

// libcurl is opened by the first request, not here: a kiosk with nothing to send starts without it.
PortalClient::PortalClient(PortalOptions options) : options_(std::move(options)) {}

PortalClient::~PortalClient() { drop_connection(); }

void PortalClient::drop_connection() {
  if (curl_) curl_easy_cleanup(static_cast<CURL*>(curl_));
  curl_ = nullptr;  // the next request opens a new one
}

HttpResponse PortalClient::get(const std::string& path, const std::map<std::string, std::string>& headers) {
  return request("GET", path, nullptr, headers);
}

HttpResponse PortalClient::post(const std::string& path, const std::string& body, const std::map<std::string, std::string>& headers) {
  return request("POST", path, &body, headers);
}

HttpResponse PortalClient::request(const std::string& method, const std::string& path, const std::string* body,
                                   const std::map<std::string, std::string>& headers) {
  HttpResponse r;
  if (!curl_) {
    try {
      curl_ = curl_easy_init();
    } catch (const std::runtime_error& e) {  // libcurl missing: as a network that is down, the dossier waits
      r.transport_error = e.what();
      return r;
    }
    if (!curl_) {
      r.transport_error = "libcurl did not start";
      return r;
    }
  }
  CURL* c = static_cast<CURL*>(curl_);
  curl_easy_reset(c);  // keeps the connection cache, forgets the last request's options
  std::string url = options_.url + path;
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");  // never plain HTTP, never a redirect elsewhere
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, options_.ca_file.c_str());
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, options_.connect_timeout_ms);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, options_.timeout_ms);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);  // a redirect is a captive portal, not the portal
  Sink sink{&r, options_.max_answer_bytes};
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &sink);
  if (options_.cancel) {
    if (options_.cancel->load()) {
      r.cancelled = true;
      r.transport_error = "stopping";
      return r;
    }
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, const_cast<std::atomic<bool>*>(options_.cancel));
  }
  curl_slist* list = nullptr;
  auto add = [&](const std::string& h) { list = curl_slist_append(list, h.c_str()); };
  add(std::string("Accept: application/json"));
  add(std::string(kProtocolHeader) + ": " + kProtocolVersion);
  if (!options_.token.empty()) add("Authorization: Bearer " + options_.token);
  if (!options_.kiosk_id.empty()) add("MotCua-Kiosk: " + options_.kiosk_id);
  for (auto& [k, v] : headers) add(k + ": " + v);
  if (body) {
    add("Content-Type: application/json");
    add("Expect:");  // no 100-continue round trip
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body->data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
  } else if (method != "GET") {
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
  }
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
  CURLcode rc = curl_easy_perform(c);
  curl_slist_free_all(list);
  if (rc != CURLE_OK) {
    if (r.oversized) drop_connection();  // the rest of that answer is still on the wire
    r.status = 0;
    r.headers.clear();
    r.body.clear();
    r.transport_error = curl_easy_strerror(rc);
    r.cancelled = rc == CURLE_ABORTED_BY_CALLBACK;
    return r;
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
  return r;
}

}  // namespace motcua::outbox
