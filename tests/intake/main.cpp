// motcua-intake: the reference intake server, for integrators, tests and the kiosk's demo run.
#include <cstdio>
#include <unistd.h>
#include <csignal>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/intake/credentials.h"
#include "tests/intake/intake_server.h"

namespace {

const char* kUsage = R"(usage:
  motcua-intake serve --dir DIR [--port N] [--catalog DIR] [--holidays FILE] [--fault SPEC]
      Serves the MotCua portal API (docs/api.md) over HTTPS on 127.0.0.1. DIR keeps the
      server's SQLite file and credentials; on first use a demo CA, TLS certificate, envelope
      and catalog keys, and kiosks.json ({"KIOSK-01": "<token>"}) are made there.
      --fault: delay=MS, drop, status=CODE, captive or trickle=MS, with optional :COUNT.
  motcua-intake status --dir DIR CODE STATUS [--reason TEXT] [--new-date YYYY-MM-DD]
      Moves a dossier on: received, processing, needs-documents, done or overdue.
Exit status: 0 ok, 2 unusable input.
)";

volatile std::sig_atomic_t stop_requested = 0;

int usage(const std::string& why) {
  std::fprintf(stderr, "motcua-intake: %s\n%s", why.c_str(), kUsage);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::fputs(kUsage, args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  std::string command = args[0], dir, catalog, holidays, fault, reason, new_date;
  int port = 0;
  std::vector<std::string> positional;
  for (size_t i = 1; i < args.size(); ++i) {
    auto value = [&](const char* name) -> std::string {
      if (i + 1 >= args.size()) throw std::invalid_argument(std::string(name) + " needs a value");
      return args[++i];
    };
    try {
      if (args[i] == "--dir") dir = value("--dir");
      else if (args[i] == "--port") port = std::stoi(value("--port"));
      else if (args[i] == "--catalog") catalog = value("--catalog");
      else if (args[i] == "--holidays") holidays = value("--holidays");
      else if (args[i] == "--fault") fault = value("--fault");
      else if (args[i] == "--reason") reason = value("--reason");
      else if (args[i] == "--new-date") new_date = value("--new-date");
      else if (args[i].rfind("--", 0) == 0) return usage("unknown option " + args[i]);
      else positional.push_back(args[i]);
    } catch (const std::exception& e) {
      return usage(e.what());
    }
  }
  if (dir.empty()) return usage("--dir is required");
  try {
    if (command == "status") {
      if (positional.size() != 2) return usage("status needs CODE and STATUS");
      motcua::intake::IntakeServer::set_status(dir + "/intake.sqlite", positional[0], positional[1], reason, new_date);
      std::printf("%s: %s\n", positional[0].c_str(), positional[1].c_str());
      return 0;
    }
    if (command != "serve") return usage("unknown command " + command);
    auto creds = motcua::intake::make_demo_credentials(dir);
    std::string kiosks_path = dir + "/kiosks.json";
    if (!std::ifstream(kiosks_path)) {
      std::string token;
      std::getline(std::ifstream(creds.kiosk_token), token);
      std::ofstream(kiosks_path) << nlohmann::json{{"KIOSK-01", token}}.dump(2) << "\n";
    }
    motcua::intake::IntakeConfig config;
    config.db_path = dir + "/intake.sqlite";
    config.tls_cert = creds.tls_cert;
    config.tls_key = creds.tls_key;
    config.envelope_private_key = creds.envelope_private;
    config.catalog_dir = catalog;
    config.holidays_file = holidays;
    config.port = port;
    nlohmann::json kiosks = nlohmann::json::parse(std::ifstream(kiosks_path), nullptr, false);
    if (!kiosks.is_object()) return usage(kiosks_path + ": expected {\"KIOSK-ID\": \"token\", ...}");
    for (auto& [id, token] : kiosks.items()) config.kiosks[id] = token.get<std::string>();
    motcua::intake::IntakeServer server(config);
    if (!fault.empty()) server.set_fault(motcua::intake::Fault::parse(fault));
    std::signal(SIGINT, [](int) { stop_requested = 1; });
    std::signal(SIGTERM, [](int) { stop_requested = 1; });
    int bound = server.start();
    std::printf("motcua-intake: serving https://127.0.0.1:%d (CA %s)\n", bound, creds.ca_cert.c_str());
    std::fflush(stdout);
    while (!stop_requested) pause();
    server.stop();
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "motcua-intake: %s\n", e.what());
    return 2;
  }
}
