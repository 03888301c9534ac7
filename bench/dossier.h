// A 60-field dossier schema and a valid instance, shaped like a birth registration
// (declarant, child, mother, father, residence, request), for the validator benchmarks.
#pragma once
#include <nlohmann/json.hpp>

namespace motcua::bench {

inline nlohmann::json person_schema() {
  return nlohmann::json::parse(R"({
    "type": "object",
    "properties": {
      "fullName": {"type": "string", "minLength": 2, "maxLength": 100},
      "dateOfBirth": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
      "sex": {"type": "string", "enum": ["Nam", "Nữ"]},
      "ethnicity": {"type": "string", "maxLength": 50},
      "nationality": {"type": "string", "maxLength": 50},
      "idNumber": {"type": "string", "pattern": "^[0-9]{12}$"},
      "placeOfResidence": {"type": "string", "maxLength": 200},
      "phone": {"type": "string", "pattern": "^0[0-9]{9}$"},
      "email": {"type": "string", "format": "email", "maxLength": 100},
      "occupation": {"type": "string", "maxLength": 100}
    },
    "required": ["fullName", "dateOfBirth", "idNumber"]
  })");
}

inline nlohmann::json dossier_schema(const char* dialect) {
  nlohmann::json s = {{"$schema", dialect}, {"type", "object"}, {"properties", nlohmann::json::object()}};
  for (const char* who : {"declarant", "child", "mother", "father", "witness"}) s["properties"][who] = person_schema();
  s["properties"]["request"] = nlohmann::json::parse(R"({
    "type": "object",
    "properties": {
      "agency": {"type": "string", "minLength": 3}, "province": {"type": "string"}, "ward": {"type": "string"},
      "copies": {"type": "integer", "minimum": 0, "maximum": 10}, "fee": {"type": "number", "minimum": 0},
      "deliveryMethod": {"type": "string", "enum": ["counter", "post", "online"]},
      "relationship": {"type": "string", "maxLength": 50}, "note": {"type": "string", "maxLength": 500},
      "consent": {"type": "boolean", "const": true}, "submittedAt": {"type": "string", "format": "date-time"}
    },
    "required": ["agency", "copies", "consent"]
  })");
  s["required"] = {"declarant", "child", "request"};
  return s;
}

inline nlohmann::json person(const char* name, const char* id) {
  return {{"fullName", name}, {"dateOfBirth", "1990-05-17"}, {"sex", "Nữ"}, {"ethnicity", "Kinh"},
          {"nationality", "Việt Nam"}, {"idNumber", id}, {"placeOfResidence", "Số 12 phố Hàng Bạc, phường Hoàn Kiếm, Hà Nội"},
          {"phone", "0912345678"}, {"email", "lan.nguyen@example.vn"}, {"occupation", "Giáo viên"}};
}

inline nlohmann::json dossier() {
  return {{"declarant", person("Nguyễn Thị Lan", "001190012345")}, {"child", person("Trần Minh An", "001224000001")},
          {"mother", person("Nguyễn Thị Lan", "001190012345")}, {"father", person("Trần Văn Bình", "001088054321")},
          {"witness", person("Lê Văn Cường", "001075011111")},
          {"request", {{"agency", "UBND phường Hoàn Kiếm"}, {"province", "Hà Nội"}, {"ward", "Hoàn Kiếm"},
                       {"copies", 2}, {"fee", 0}, {"deliveryMethod", "counter"}, {"relationship", "Mẹ"},
                       {"note", "Không"}, {"consent", true}, {"submittedAt", "2026-11-21T09:30:00+07:00"}}}};
}

}  // namespace motcua::bench
