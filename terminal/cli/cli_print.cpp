#include "terminal/cli/cli_print.h"

#include <ctime>
#include <fstream>
#include <ostream>

#include <nlohmann/json.hpp>

#include "devices/printer/documents.h"
#include "devices/printer/layout.h"
#include "devices/printer/transport.h"
#include "terminal/core/config.h"
#include "terminal/core/input.h"
#include "terminal/core/locale.h"
#include "terminal/services/queue_numbers.h"

namespace motcua {

using nlohmann::json;

const char* kPrintHelp = R"(Printing:
  motcua print receipt DOSSIER.json --to TARGET [--profile NAME] [--png PREVIEW.png] [--lang vi|en]
  motcua print ticket TICKET.json --to TARGET [--state QUEUE.json] [options]
  motcua print apology NOTICE.json --to TARGET [options]
  motcua print checklist LIST.json --to TARGET [options]   the papers to bring (docs/printing.md)
      TARGET: file:PATH | usb:/dev/usb/lp0 | tcp:HOST:9100 | cups:QUEUE
      profiles: 80mm (default), 80mm-raster, 80mm-512, 58mm
      a ticket without "number" takes the next one for its "prefix" from --state
      (default $MOTCUA_DATA_DIR/queue.json, else queue.json in the state folder); numbers restart daily
      output: one JSON line {"status": "printed"|"sent"|"not confirmed"|"failed", "printed", ...}
      "printed" only when the printer confirmed it processed the whole job (tcp, two-way usb);
      file: and cups: targets, which cannot answer, say "sent"
      exit 0 printed or sent, 1 not printed or not confirmed (reason on stderr), 2 unusable input
      a ticket whose job never reached the printer gives its number back
)";

namespace {

using Unusable = InputError;

}  // namespace

int print_command(const std::vector<std::string>& args, const std::string& data_root, std::ostream& out,
                  std::ostream& err) {
  try {
    if (args.empty() || args[0] == "--help") {
      (args.empty() ? err : out) << kPrintHelp;
      return args.empty() ? 2 : 0;
    }
    const std::string kind = args[0];
    if (kind != "receipt" && kind != "ticket" && kind != "apology" && kind != "checklist") throw Unusable("print: unknown document '" + kind + "'");
    std::string file, target, png, lang = "vi", profile_name = "80mm", state;
    if (const char* d = std::getenv("MOTCUA_DATA_DIR")) state = std::string(d) + "/queue.json";
    else state = default_state_dir() + "/queue.json";
    for (size_t i = 1; i < args.size(); ++i) {
      const std::string& a = args[i];
      auto value = [&]() {
        if (i + 1 >= args.size()) throw Unusable(a + " needs a value");
        return args[++i];
      };
      if (a == "--to") target = value();
      else if (a == "--png") png = value();
      else if (a == "--lang") lang = value();
      else if (a == "--profile") profile_name = value();
      else if (a == "--state") state = value();
      else if (!a.empty() && a[0] == '-') throw Unusable("print: unknown option '" + a + "'");
      else if (file.empty()) file = a;
      else throw Unusable("print: one document file at a time");
    }
    if (file.empty()) throw Unusable("print " + kind + ": give the document's JSON file");
    if (target.empty()) throw Unusable("print " + kind + ": give --to file:PATH|usb:DEVICE|tcp:HOST:PORT|cups:QUEUE");
    if (lang != "vi" && lang != "en") throw Unusable("--lang: expected vi or en");
    const printer::Profile* profile = printer::find_profile(profile_name);
    if (!profile) throw Unusable("--profile: unknown \"" + profile_name + "\" (80mm, 80mm-raster, 80mm-512, 58mm)");

    json input = read_json_file(file);
    json fields;
    std::string number;  // taken from the queue state for this job: given back if nothing is printed
    bool took_number = false;
    const std::string today = local_time("%Y-%m-%d");
    auto give_back = [&] {
      try {
        if (!number.empty() && QueueNumbers(state).give_back(number, today)) number.clear();
      } catch (const QueueStateError& e) {
        err << "motcua: " << e.what() << "\n";
      }
    };
    try {
      if (kind == "ticket" && input.is_object()) {
        if (!input.contains("issuedAt")) input["issuedAt"] = local_time("%Y-%m-%dT%H:%M:%S");
        if (!input.contains("number")) {
          if (!input.contains("prefix") || !input["prefix"].is_string()) throw printer::DocumentError("field \"prefix\": required to number the ticket");
          json probe = input;  // every other field is checked before a number is taken
          probe["number"] = "A000";
          printer::ticket_fields(probe, lang);
          number = QueueNumbers(state).next(input["prefix"].get<std::string>(), input.value("priority", false), today);
          input["number"] = number;
          took_number = true;
        }
      }
      fields = kind == "receipt" ? printer::receipt_fields(input, lang)
             : kind == "ticket" ? printer::ticket_fields(input, lang)
             : kind == "checklist" ? printer::checklist_fields(input, lang)
                                : printer::apology_fields(input, lang);
    } catch (const printer::DocumentError& e) {
      give_back();
      throw Unusable(file + ": " + e.what());
    } catch (const QueueStateError& e) {
      throw Unusable(e.what());
    }

    std::vector<uint8_t> job;
    try {
      Strings strings = Strings::load(data_root + "/locales", {lang});
      json layout = read_json_file(data_root + "/assets/print/" + kind + ".json");
      printer::TextRenderer renderer;
      std::vector<std::string> notes;
      auto parts = printer::lay_out(layout, fields, [&](const std::string& key) { return strings.get(lang, key); }, *profile,
                                    renderer, &notes);
      for (auto& n : notes) err << "motcua: note: " << kind << ": " << n << "\n";
      job = printer::escpos_job(parts, *profile);
      if (!png.empty() && !printer::write_png(printer::picture(parts, profile->width_dots), png))
        throw Unusable(png + ": cannot write the preview");
    } catch (...) {
      give_back();
      throw;
    }

    std::unique_ptr<printer::Transport> transport;
    try {
      transport = printer::open_transport(target);
    } catch (const printer::PrintError& e) {
      give_back();
      err << "motcua: " << e.what() << "\n";
      return 1;
    }
    printer::PrintOutcome outcome = printer::print_job(*transport, job, profile->confirm);
    if (outcome.nothing_sent) give_back();
    json summary = {{"status", printer::delivery_name(outcome.delivery)}, {"printed", outcome.printed()},
                    {"bytes", job.size()}, {"target", transport->describe()}};
    if (fields.contains("number")) summary[took_number && number.empty() ? "numberReturned" : "number"] = fields["number"];
    if (!outcome.problem.empty()) summary["problem"] = outcome.problem;
    if (outcome.paper_near_end) summary["paperNearEnd"] = true;
    out << summary.dump() << "\n";
    bool ok = outcome.delivery == printer::Delivery::Printed || outcome.delivery == printer::Delivery::Sent;
    if (!ok) err << "motcua: " << transport->describe() << ": " << printer::delivery_name(outcome.delivery) << ": " << outcome.problem << "\n";
    return ok ? 0 : 1;
  } catch (const Unusable& e) {
    err << "motcua: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {  // fonts, layouts: the installation is broken
    err << "motcua: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace motcua
