#!/usr/bin/env python3
"""Writes the text seed corpora of the fuzzers from what the tests use: python3 seeds.py OUTDIR.
OUTDIR/TARGET/NAME for schema, regex, lint, expr, config, layout, catalog_index and survey, and the
files of tests/fuzz/seed_files/TARGET (mjpeg). The card seeds are written by fuzz_seed_cards
(tests/fuzz/seed_cards.cpp)."""
import json, pathlib, sys

out = pathlib.Path(sys.argv[1])
root = pathlib.Path(__file__).resolve().parents[2]


def put(target, name, data):
    d = out / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data if isinstance(data, bytes) else data.encode())


forms = sorted((root / "assets/forms").glob("*.json")) + sorted((root / "tests/fixtures").glob("*-form.json"))
patterns = set()


def collect(v):
    if isinstance(v, dict):
        for k, x in v.items():
            if k == "pattern" and isinstance(x, str):
                patterns.add(x)
            if k == "patternProperties" and isinstance(x, dict):
                patterns.update(x.keys())
            collect(x)
    elif isinstance(v, list):
        for x in v:
            collect(x)


for f in forms:
    text = f.read_text()
    put("lint", f.stem, text)
    doc = json.loads(text)
    collect(doc)
    if isinstance(doc, dict) and "schema" in doc:
        put("schema", f.stem, json.dumps(doc["schema"]) + "\0{}")
for f in sorted((root / "assets/schemas").glob("*.json")):
    collect(json.loads(f.read_text()))
for i, p in enumerate(sorted(patterns)):
    put("regex", f"form{i}", p + "\n0123456789 Nguyễn Văn An 2026-11-29")
for i, p in enumerate([r"^\d{12}$", r"(a|b)*c", r"(?=x)x+?", r"[^\p{L}]", r"a{2,5}", r"\bword\b", r"(?<name>a)\k<name>"]):
    put("regex", f"inline{i}", p + "\naaab word x")

# The JSON-Schema-Test-Suite, when a developer has it beside the repository (not in CI).
suite = root.parent / "shared/json-schema-test-suite/tests/draft2020-12"
n = 0
for f in sorted(suite.rglob("*.json")) if suite.exists() else []:
    for group in json.loads(f.read_text()):
        for t in group["tests"]:
            put("schema", f"suite{n}", json.dumps(group["schema"]) + "\0" + json.dumps(t["data"]))
            n += 1

dossier = {"child": {"fullName": "Nguyễn Văn An", "dateOfBirth": "2020-02-29"}, "fee": 50000, "count": 3,
           "declarant": {"idNumber": "001099012345"}}
for i, e in enumerate([
        {"age": {"var": "/child/dateOfBirth"}},
        {"+": [{"var": "/fee"}, {"*": [{"var": "/count"}, 1000]}]},
        {"round": [{"/": [{"var": "/fee"}, 3]}, 2]},
        {"if": [{">=": [{"age": {"var": "/child/dateOfBirth"}}, 18]}, "adult", "minor"]},
        {"concat": [{"var": "/child/fullName"}, " - ", {"coalesce": [{"var": "/missing"}, "?"]}]},
        {"and": [{"not": {"==": [{"var": "/count"}, 0]}}, {"or": [True, None]}]},
        {"-": [{"var": "/fee"}]}]):
    put("expr", f"e{i}", json.dumps(e) + "\0" + json.dumps(dossier))

configs = [
    {"kioskId": "HN-HK-02", "centerName": {"vi": "Trung tâm", "en": "Centre"}, "locales": ["vi", "en"],
     "idleSeconds": 90, "moreTimeSeconds": 30, "minTouchMm": 9, "textMm": 5, "formsDir": "assets/forms"},
    {"endpoint": "https://portal.example.vn/", "portalToken": "t", "envelopeKeyFile": "k.pem",
     "tonePlacement": "classic", "portalWaitSeconds": 2, "catalogSyncMinutes": 15, "exportDir": "/media/usb0"},
    {"staff": [{"id": "CB-01", "pin": "pbkdf2-sha256$200000$" + "a" * 32 + "$" + "b" * 64}],
     "payment": {"bankBin": "970436", "account": "0011004123456"}, "voice": "vi-VN-x-south",
     "speechOutput": "file:/tmp", "printerProfile": "58mm"},
]
for i, c in enumerate(configs):
    put("config", f"c{i}", json.dumps(c, ensure_ascii=False))

receipt = {"centerName": "Trung tâm Phục vụ hành chính công phường Hoàn Kiếm", "kioskId": "HN-HK-02",
           "procedureName": "Đăng ký khai sinh", "dossierCode": "HK-20261121-0042",
           "receivedAt": "2026-11-21T09:30:00+07:00", "appointmentAt": "2026-11-24T14:00:00+07:00",
           "resultDelivery": "Nhận trực tiếp tại quầy số 3", "idNumber": "001190012345", "fee": 50000,
           "feePaid": False, "hotline": "1900 1234",
           "payment": {"bankBin": "970436", "account": "0011004123456", "purpose": "HK-20261121-0042"}}
ticket = {"centerName": "Trung tâm Phục vụ hành chính công", "service": "Hộ tịch", "number": "A012",
          "counterGroup": "3", "waiting": 7, "issuedAt": "2026-11-21T08:05:00+07:00", "priority": False}
apology = {"centerName": "Trung tâm Phục vụ hành chính công phường Hoàn Kiếm", "dossierCode": "HK-20261101-0007",
           "procedureName": "Cấp Phiếu lý lịch tư pháp", "receivedAt": "2026-11-01T10:00:00+07:00",
           "oldAppointmentAt": "2026-11-15T14:00:00+07:00", "newAppointmentAt": "2026-11-22T14:00:00+07:00",
           "reason": "Cần xác minh thêm thông tin tại cơ quan công an"}
# First byte: kind (0 receipt, 1 ticket, 2 apology), +4 English, +8 the 58 mm profile.
for name, kind, doc in [("receipt", 0, receipt), ("ticket", 1, ticket), ("apology", 2, apology)]:
    for extra in (0, 4, 8):
        put("layout", f"{name}{extra}", bytes([kind + extra]) + json.dumps(doc, ensure_ascii=False).encode())
# The catalog index as the reference intake server answers it (tests/intake/intake_server.cpp).
files = [{"name": f.name, "sha256": "0" * 64, "size": 1234, "signature": "A" * 86 + "==",
          "href": "/v1/catalog/files/" + f.name} for f in sorted((root / "assets/forms").glob("*.json"))]
put("catalog_index", "bundled", json.dumps({"files": files, "version": "0123456789abcdef"}))
put("catalog_index", "one", json.dumps({"version": "v-1.2_3", "files": files[:1]}))
put("catalog_index", "no-href", json.dumps({"version": "1", "files": [{k: v for k, v in files[0].items() if k != "href"}]}))

for f in sorted((root / "assets/survey").glob("*.json")):
    put("survey", f.stem, f.read_text())
put("survey", "minimal", json.dumps({"id": "t", "version": "7", "levels": [
    {"value": 5, "face": "happy", "label": {"vi": "Tốt", "en": "Good"}},
    {"value": -1, "face": "sad", "label": {"vi": "Kém", "en": "Poor"}}],
    "criteria": [{"id": "overall", "title": {"vi": "Chung?", "en": "Overall?"}},
                 {"id": "speed", "ask": ["submit"], "title": {"vi": "Nhanh?", "en": "Fast?"}}]}, ensure_ascii=False))

# Binary seeds kept as files: a camera's frames for mjpeg.
for f in sorted((root / "tests/fuzz/seed_files").glob("*/*")):
    put(f.parent.name, f.name, f.read_bytes())

print(f"fuzz seeds: {sum(1 for _ in out.rglob('*') if _.is_file())} files in {out}")
