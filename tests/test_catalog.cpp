#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "terminal/core/catalog.h"

using namespace motcua;

namespace {

const std::string root = MOTCUA_SOURCE_ROOT;

nlohmann::json minimal_package(const std::string& id, const std::string& title_vi, const std::string& category) {
  auto doc = nlohmann::json::parse(R"({
    "meta": {"id": "", "version": "1.0.0", "procedureCode": "9.999", "category": "", "title": {},
             "processingDays": 3, "locales": ["vi"]},
    "schema": {"type": "object"},
    "ui": {"steps": [{"id": "s", "title": {"vi": "Bước"}, "elements": [
      {"type": "control", "scope": "/name", "label": {"vi": "Tên"}}]}]}
  })");
  doc["meta"]["id"] = id;
  doc["meta"]["category"] = category;
  doc["meta"]["title"]["vi"] = title_vi;
  return doc;
}

std::vector<std::string> ids(const std::vector<const forms::FormPackage*>& v) {
  std::vector<std::string> out;
  for (auto* f : v) out.push_back(f->id);
  return out;
}

std::string package_error(nlohmann::json doc) {
  try {
    forms::parse_package(doc, "f.json");
  } catch (const forms::PackageError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("the bundled catalog loads without problems") {
  Catalog c = Catalog::load(root + "/assets/forms");
  CHECK(c.problems.empty());
  CHECK(c.size() >= 3);
  CHECK(c.categories().size() >= 3);
  REQUIRE(c.form("khai-sinh") != nullptr);
  CHECK(c.form("khai-sinh")->title.in("en") == "Birth registration");
  CHECK(c.form("khai-sinh")->steps.size() >= 2);
}

TEST_CASE("search ignores diacritics and matches any language or the code") {
  Catalog c = Catalog::load(root + "/assets/forms");
  c.add(forms::parse_package(minimal_package("hn", "Cấp giấy phép tại Hà Nội", "tu_phap"), "hn.json"));
  CHECK(ids(c.find("", "ha noi")) == std::vector<std::string>{"hn"});
  CHECK(ids(c.find("", "KHAI SINH")) == std::vector<std::string>{"khai-sinh"});
  CHECK(ids(c.find("", "khai sinh")) == ids(c.find("", "Khai Sinh")));
  CHECK(ids(c.find("", "birth")) == std::vector<std::string>{"khai-sinh"});
  CHECK(ids(c.find("", "1.001193")) == std::vector<std::string>{"khai-sinh"});
  CHECK(ids(c.find("cu_tru", "")) == std::vector<std::string>{"thuong-tru"});
  CHECK(c.find("cu_tru", "khai sinh").empty());
  CHECK(c.find("", "").size() == c.size());
}

TEST_CASE("a broken package is left out with a message naming file and pointer") {
  auto doc = minimal_package("x", "X", "ho_tich");
  doc["meta"].erase("id");
  std::string e = package_error(doc);
  CHECK(e.find("f.json") != std::string::npos);
  CHECK(e.find("/meta") != std::string::npos);
  CHECK(e.find("\"id\"") != std::string::npos);

  doc = minimal_package("x", "X", "ho_tich");
  doc["ui"]["steps"][0]["elements"][0]["scope"] = "name";
  CHECK(package_error(doc).find("/ui/steps/0/elements/0/scope") != std::string::npos);

  doc = minimal_package("x", "X", "ho_tich");
  doc["meta"]["processingDays"] = "three";
  CHECK(package_error(doc).find("/meta/processingDays") != std::string::npos);

  CHECK(Catalog::load("/nonexistent").problems.size() == 1);
}
