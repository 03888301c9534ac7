#include "forms/schema/uri.h"

#include <cctype>
#include <string>
#include <vector>

namespace motcua::schema {

namespace {

struct Parts {
  std::string scheme, authority, path, query, fragment;
  bool has_scheme = false, has_authority = false, has_query = false, has_fragment = false;
};

Parts parse(std::string_view u) {
  Parts p;
  if (auto hash = u.find('#'); hash != std::string_view::npos) {
    p.has_fragment = true;
    p.fragment = u.substr(hash + 1);
    u = u.substr(0, hash);
  }
  if (auto q = u.find('?'); q != std::string_view::npos) {
    p.has_query = true;
    p.query = u.substr(q + 1);
    u = u.substr(0, q);
  }
  auto colon = u.find(':');
  auto slash = u.find('/');
  if (colon != std::string_view::npos && colon > 0 && (slash == std::string_view::npos || colon < slash)) {
    p.has_scheme = true;
    p.scheme = u.substr(0, colon);
    u = u.substr(colon + 1);
  }
  if (u.substr(0, 2) == "//") {
    p.has_authority = true;
    u = u.substr(2);
    auto end = u.find('/');
    p.authority = u.substr(0, end);
    u = end == std::string_view::npos ? std::string_view() : u.substr(end);
  }
  p.path = u;
  return p;
}

std::string remove_dot_segments(const std::string& path) {
  std::vector<std::string> out;
  bool absolute = !path.empty() && path[0] == '/';
  size_t i = absolute ? 1 : 0;
  bool trailing = false;
  while (i <= path.size()) {
    size_t end = path.find('/', i);
    if (end == std::string::npos) end = path.size();
    std::string seg = path.substr(i, end - i);
    trailing = false;
    if (seg == "..") { if (!out.empty()) out.pop_back(); trailing = true; }
    else if (seg == ".") { trailing = true; }
    else out.push_back(seg);
    i = end + 1;
  }
  std::string r = absolute ? "/" : "";
  for (size_t k = 0; k < out.size(); ++k) r += (k ? "/" : "") + out[k];
  if (trailing && (r.empty() || r.back() != '/')) r += '/';
  return r;
}

std::string compose(const Parts& p) {
  std::string r;
  if (p.has_scheme) r += p.scheme + ":";
  if (p.has_authority) r += "//" + p.authority;
  r += p.path;
  if (p.has_query) r += "?" + p.query;
  if (p.has_fragment) r += "#" + p.fragment;
  return r;
}

}  // namespace

std::string resolve_uri(std::string_view base_uri, std::string_view reference) {
  Parts r = parse(reference), b = parse(base_uri), t;
  if (r.has_scheme) {
    t = r;
    t.path = remove_dot_segments(r.path);
  } else {
    t.scheme = b.scheme;
    t.has_scheme = b.has_scheme;
    if (r.has_authority) {
      t.has_authority = true;
      t.authority = r.authority;
      t.path = remove_dot_segments(r.path);
      t.query = r.query;
      t.has_query = r.has_query;
    } else {
      t.has_authority = b.has_authority;
      t.authority = b.authority;
      if (r.path.empty()) {
        t.path = b.path;
        t.query = r.has_query ? r.query : b.query;
        t.has_query = r.has_query || b.has_query;
      } else {
        if (r.path[0] == '/') {
          t.path = remove_dot_segments(r.path);
        } else {
          std::string merged;
          if (b.has_authority && b.path.empty()) merged = "/" + r.path;
          else {
            auto last = b.path.rfind('/');
            merged = (last == std::string::npos ? "" : b.path.substr(0, last + 1)) + r.path;
          }
          t.path = remove_dot_segments(merged);
        }
        t.query = r.query;
        t.has_query = r.has_query;
      }
    }
  }
  t.fragment = r.fragment;
  t.has_fragment = r.has_fragment;
  return compose(t);
}

std::string strip_fragment(std::string_view uri) {
  return std::string(uri.substr(0, uri.find('#')));
}

std::string fragment_of(std::string_view uri) {
  auto h = uri.find('#');
  return h == std::string_view::npos ? std::string() : std::string(uri.substr(h + 1));
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string pointer_escape(std::string_view token) {
  std::string out;
  for (char c : token) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

std::string pointer_unescape(std::string_view token) {
  std::string out;
  for (size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '~' && i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
      out += token[i + 1] == '0' ? '~' : '/';
      ++i;
    } else {
      out += token[i];
    }
  }
  return out;
}

}  // namespace motcua::schema
