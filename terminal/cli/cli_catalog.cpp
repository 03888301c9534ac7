#include "terminal/cli/cli_catalog.h"

#include <cstdlib>
#include <fstream>
#include <ostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "forms/lint.h"
#include "terminal/services/catalog_sync.h"
#include "terminal/core/config.h"
#include "terminal/core/input.h"
#include "terminal/services/submission.h"

namespace motcua {

const char* kCatalogHelp = R"(Catalog (signed form packages from the portal):
  motcua catalog sign FILE.json... --key CATALOG-PRIVATE.pem
      writes FILE.json.sig (Ed25519 over the file's bytes, base64) beside each file
  motcua catalog verify FILE.json... --key CATALOG-PUBLIC.pem
      checks each signature and lints each form package (categories.json is only signed)
      exit 0 all good, 1 a signature or lint error, 2 unusable input
  motcua catalog sync [--config FILE]
      pulls the portal's catalog now (ETag), checks and installs it in DATA_DIR/catalog;
      a failure keeps the last good catalog. Exit 0 installed or unchanged, 1 failed, 2 bad config.
)";

namespace {

int fail(std::ostream& err, const std::string& msg) {
  err << "motcua catalog: " << msg << "\n";
  return 2;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open file");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

int catalog_command(const std::vector<std::string>& args, const std::string& data_root, std::ostream& out,
                    std::ostream& err) {
  if (args.empty()) return fail(err, "expected sign, verify or sync\n" + std::string(kCatalogHelp));
  std::string command = args[0], key_path, config_path;
  if (const char* c = std::getenv("MOTCUA_CONFIG")) config_path = c;
  std::vector<std::string> files;
  for (size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--key" || args[i] == "--config") {
      if (i + 1 >= args.size()) return fail(err, args[i] + " needs a value");
      std::string& target = args[i] == "--key" ? key_path : config_path;
      target = args[++i];
    } else if (args[i].rfind("--", 0) == 0) {
      return fail(err, "unknown option " + args[i]);
    } else {
      files.push_back(args[i]);
    }
  }
  try {
    if (command == "sign" || command == "verify") {
      if (key_path.empty()) return fail(err, command + " needs --key");
      if (files.empty()) return fail(err, command + " needs at least one FILE.json");
      std::string key = slurp(key_path);
      if (command == "sign") {
        for (auto& f : files) {
          std::ofstream(f + ".sig") << sign_bytes(slurp(f), key) << "\n";
          out << f << ".sig written\n";
        }
        return 0;
      }
      nlohmann::json schema = read_json_file(data_root + "/assets/schemas/form-package.schema.json");
      int bad = 0;
      for (auto& f : files) {
        std::string bytes = slurp(f), sig;
        std::getline(std::ifstream(f + ".sig"), sig);
        if (sig.empty() || !verify_bytes(bytes, sig, key)) {
          out << f << ": signature INVALID or missing (" << f << ".sig)\n";
          ++bad;
          continue;
        }
        int errors = 0;
        if (std::filesystem::path(f).filename() != "categories.json") {
          auto doc = nlohmann::json::parse(bytes, nullptr, false);
          if (doc.is_discarded()) throw InputError(f + ": invalid JSON");
          for (auto& issue : forms::lint_package(doc, schema))
            if (issue.error) {
              out << f << ": lint: " << issue.pointer << ": " << issue.message << "\n";
              ++errors;
            }
        }
        if (errors) ++bad;
        else out << f << ": signature valid" << (errors ? "" : ", lint clean") << "\n";
      }
      return bad ? 1 : 0;
    }
    if (command != "sync") return fail(err, "unknown command " + command);
    KioskConfig config;
    if (!config_path.empty()) config = load_config(config_path);
    if (config.endpoint == "demo") return fail(err, "the configuration names no portal (\"endpoint\" is \"demo\")");
    if (config.catalog_key_file.empty()) return fail(err, "the configuration has no \"catalogKeyFile\"");
    CatalogSync sync(portal_options(config, data_root), slurp(resolve(config.catalog_key_file, data_root)),
                     config.data_dir + "/catalog", data_root);
    CatalogSyncResult r = sync.sync_once();
    using O = CatalogSyncResult::Outcome;
    if (r.outcome == O::Failed) {
      out << "catalog sync failed; the last good catalog stays in use\n";
      for (auto& p : r.problems) out << "  " << p << "\n";
      return 1;
    }
    out << (r.outcome == O::Installed ? "installed " + std::to_string(r.files) + " files as " : "unchanged: ") << r.version << "\n";
    return 0;
  } catch (const std::exception& e) {
    return fail(err, e.what());
  }
}

}  // namespace motcua
