#include <doctest/doctest.h>

#include <algorithm>

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
  CHECK(ids(c.find("", "KHAI SINH")).front() == "khai-sinh");  // khai-tu follows: "khai" alone
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

TEST_CASE("a list inside a list's item is refused on load, not drawn and then dropped from the dossier") {
  auto doc = minimal_package("x", "X", "ho_tich");
  auto inner = nlohmann::json::parse(R"({"type": "repeat", "scope": "/pets", "elements": [
    {"type": "control", "scope": "/kind", "label": {"vi": "Loài"}}]})");
  doc["ui"]["steps"][0]["elements"].push_back({{"type", "repeat"}, {"scope", "/members"}, {"elements", {
      {{"type", "control"}, {"scope", "/name"}, {"label", {{"vi", "Tên"}}}},
      {{"type", "group"}, {"elements", {inner}}}}}});
  std::string e = package_error(doc);
  CHECK(e.find("f.json") != std::string::npos);
  CHECK(e.find("/ui/steps/0/elements/1/elements/1/elements/0") != std::string::npos);
  CHECK(e.find("repeat inside a repeat") != std::string::npos);
  // One level, as every bundled list is, still loads.
  doc["ui"]["steps"][0]["elements"][1]["elements"].erase(1);
  CHECK(package_error(doc).empty());
}

TEST_CASE("search takes the words in any order, tolerates missing words and one typo per word, ranked") {
  Catalog c = Catalog::load(root + "/assets/forms");
  auto first = [&](std::string_view q) {
    auto found = c.find("", q);
    return found.empty() ? std::string("(none)") : found.front()->id;
  };
  CHECK(first("sinh khai") == "khai-sinh");                  // any order
  CHECK(first("dang ky khai sinh cho con trai") == "khai-sinh");  // words no title has
  CHECK(first("khia sinh") == "khai-sinh");                  // two letters swapped
  CHECK(first("khai sinnh") == "khai-sinh");                 // a letter too many
  CHECK(first("thuog tru") == "thuong-tru");                 // a letter missing
  CHECK(first("hon nham") == "xac-nhan-hon-nhan");           // a letter wrong
  // A word the catalog has is taken as typed: "khai" is not "khẩu" (hộ khẩu) one letter away.
  CHECK(c.find("cu_tru", "khai").empty());
  CHECK(first("thuogn") == "thuong-tru");                    // a typo in the word still being typed
  CHECK(first("ly lich") == "ly-lich-tu-phap");
  // Short syllables get no typo: a whole "kho" is not "hộ" (one letter fewer).
  CHECK(ids(c.find("", "kho ")).empty());
  // More words matched rank first: "khai" alone also fits khai-tu, but "khai sinh" fits both words.
  auto both = ids(c.find("", "dang ky khai sinh"));
  REQUIRE(both.size() >= 2);
  CHECK(both.front() == "khai-sinh");
  CHECK(std::find(both.begin(), both.end(), "khai-tu") != both.end());
  // Fewer than half the words matched is no match while a procedure has half...
  auto half = ids(c.find("", "giay doc xyz"));
  CHECK(half == std::vector<std::string>{"xac-nhan-hon-nhan"});  // not every name with "giấy"
  // ...and when none has, the closest still show rather than nothing; no word at all: nothing.
  CHECK(ids(c.find("", "giay xyz qwe")).size() >= 3);
  CHECK(ids(c.find("", "xyz qwe")).empty());
  // Only the word being typed may be a beginning: "ha noi" is not "cửa hàng" nor "hộ".
  CHECK(ids(c.find("", "ha noi")).empty());
  CHECK(first("ho kinh d") == "ho-kinh-doanh");
  // The category still filters.
  CHECK(c.find("cu_tru", "sinh khai").empty());
}

TEST_CASE("everyday names in meta.synonyms find the procedure people mean") {
  Catalog c = Catalog::load(root + "/assets/forms");
  REQUIRE(c.problems.empty());
  auto first = [&](std::string_view q) {
    auto found = c.find("", q);
    return found.empty() ? std::string("(none)") : found.front()->id;
  };
  CHECK(first("giay khai sinh cho con") == "khai-sinh");
  CHECK(first("hộ khẩu") == "thuong-tru");
  CHECK(first("nhap ho khau") == "thuong-tru");
  CHECK(first("cư trú") == "thuong-tru");
  CHECK(first("giấy độc thân") == "xac-nhan-hon-nhan");
  CHECK(first("Giấy Độc Thân") == "xac-nhan-hon-nhan");
  CHECK(first("giay doc tha") == "xac-nhan-hon-nhan");
  CHECK(first("báo tử") == "khai-tu");
  CHECK(first("giay phep kinh doanh") == "ho-kinh-doanh");
  CHECK(first("police check") == "ly-lich-tu-phap");
  CHECK(first("single status certificate") == "xac-nhan-hon-nhan");
  // Without the names none of these words is in a title.
  Catalog bare;
  for (auto* f : c.find("", "")) {
    forms::FormPackage copy = *f;
    copy.synonyms.clear();
    bare.add(std::move(copy));
  }
  auto bare_first = [&](std::string_view q) {
    auto found = bare.find("", q);
    return found.empty() ? std::string("(none)") : found.front()->id;
  };
  CHECK(bare_first("hộ khẩu") != "thuong-tru");
  CHECK(bare_first("nhập khẩu") != "thuong-tru");
  CHECK(bare_first("police check") == "(none)");
  CHECK(bare_first("giay khai sinh cho con") == "khai-sinh");  // the title's words alone rank it, too
}

TEST_CASE("a centre's own package brings its own everyday names") {
  Catalog c = Catalog::load(root + "/assets/forms");
  REQUIRE(c.form("cap-lai-can-cuoc") == nullptr);  // no bundled procedure issues ID cards
  auto before = c.find("", "làm lại căn cước");  // only "làm" of a birth-registration name fits
  CHECK((before.empty() || before.front()->id == "khai-sinh"));
  auto doc = minimal_package("cap-lai-can-cuoc", "Cấp lại thẻ căn cước", "cu_tru");
  doc["meta"]["synonyms"] = {{"vi", {"làm lại căn cước", "mất căn cước", "làm lại chứng minh thư"}}};
  c.add(forms::parse_package(doc, "cap-lai-can-cuoc.json"));
  REQUIRE(!c.find("", "làm lại căn cước").empty());
  CHECK(c.find("", "làm lại căn cước").front()->id == "cap-lai-can-cuoc");
  CHECK(c.find("", "lam lai chung minh thu").front()->id == "cap-lai-can-cuoc");
  CHECK(c.find("", "mat can cuoc").front()->id == "cap-lai-can-cuoc");
}

TEST_CASE("meta.synonyms must be lists of text per language") {
  auto doc = minimal_package("x", "Thủ tục", "ho_tich");
  doc["meta"]["synonyms"] = {{"vi", "giấy độc thân"}};
  CHECK(package_error(doc).find("/meta/synonyms/vi") != std::string::npos);
  doc["meta"]["synonyms"] = {{"vi", {"giấy", 3}}};
  CHECK(package_error(doc).find("/meta/synonyms/vi/1") != std::string::npos);
  doc["meta"]["synonyms"] = {{"vi", {"giấy đ\u0301ộc thân"}}};
  CHECK(package_error(doc).empty());
}
