// The kiosk's card reader: watches readers and card presence on its own thread (readers plugged
// in later, pcscd restarting), and runs each read on a thread of its own.
// Rule: the caller never blocks on the card. A card that stops answering becomes a Mute result
// after `answer_timeout`; the stuck read thread is left to end when the card or reader goes.
#pragma once
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "devices/card/card_error.h"
#include "devices/card/cccd_reader.h"

namespace motcua::card {

struct ReadOutcome {
  std::optional<CardRead> read;     // set on success
  std::optional<CardError> error;   // set on failure
};

// One read on its own thread with its own PC/SC context. Waits at most `answer_timeout` for
// each answer of the card; throws CardError as read_cccd() does, Mute when the card goes silent.
CardRead read_with_deadline(const std::string& wanted_reader, ReadRequest request,
                            std::chrono::milliseconds answer_timeout);

class CardService {
 public:
  struct Status {
    bool service = false;  // pcscd answers
    bool reader = false;   // at least one reader
    bool card = false;     // a card on the chosen reader
    std::string reader_name;
    unsigned long changes = 0;  // bumps on every presence change
  };

  // `wake` is called from the service's threads when the status or a read changes.
  CardService(std::string wanted_reader, std::function<void()> wake,
              std::chrono::milliseconds answer_timeout = std::chrono::seconds(5));
  ~CardService();
  CardService(const CardService&) = delete;
  CardService& operator=(const CardService&) = delete;

  Status status() const;
  // Starts reading the card now on the reader; the result arrives through take_outcome().
  void start_read(ReadRequest request);
  bool reading() const;
  float progress() const;
  std::optional<ReadOutcome> take_outcome();
  void discard();  // forget a running or finished read: its result is wiped when it arrives

 private:
  struct Shared;  // outlives this object while read threads finish
  static void watch(std::shared_ptr<Shared> s);

  std::shared_ptr<Shared> shared_;
  std::thread watcher_;
};

}  // namespace motcua::card
