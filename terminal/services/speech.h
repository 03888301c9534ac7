// Read-aloud: offline Vietnamese and English speech with espeak-ng.
// Rules: speech never blocks the UI (a worker thread synthesises and plays); a new utterance
// cancels the one in progress, news waits for it; what was said is kept in memory for this
// session only.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace motcua {

class AudioSink {
 public:
  virtual ~AudioSink() = default;
  // Replaces what is playing, or (after) plays once it ends.
  virtual void play(const std::vector<int16_t>& samples, int rate, bool after = false) = 0;
  virtual void stop() = 0;
};

// The default sound card through SDL2; nullptr when there is none.
std::unique_ptr<AudioSink> make_sdl2_audio_sink(int rate);
// Each utterance as DIR/utterance-N.wav (headless kiosks, tests).
std::unique_ptr<AudioSink> make_wav_sink(std::string dir);
// output: "sdl2", "file:DIR" or "none".
std::unique_ptr<AudioSink> make_audio_sink(const std::string& output, int rate);

class Speaker {
 public:
  // voice_vi: vi, vi-VN-x-central or vi-VN-x-south; output as for make_audio_sink.
  Speaker(std::string voice_vi, std::string output);
  // Plays into the sink make_sink returns for espeak's sample rate (tests: a recording sink).
  Speaker(std::string voice_vi, std::function<std::unique_ptr<AudioSink>(int rate)> make_sink);
  ~Speaker();
  Speaker(const Speaker&) = delete;
  Speaker& operator=(const Speaker&) = delete;

  void say(std::string text, const std::string& lang);
  // After what is being said (news that must not cut a screen's reading short): joins an
  // utterance still waiting, else plays once the current one ends.
  void say_next(std::string text, const std::string& lang);
  void stop();
  void set_volume(int percent);  // 0-100

  // For tests and the session wipe.
  std::vector<std::string> history() const;
  void clear_history();
  bool busy() const { return busy_; }
  size_t samples_played() const { return samples_played_; }

 private:
  void run();

  std::string voice_vi_;
  std::function<std::unique_ptr<AudioSink>(int rate)> make_sink_;
  mutable std::mutex m_;
  std::condition_variable cv_;
  std::string pending_text_, pending_lang_;
  bool has_pending_ = false, quit_ = false;
  bool pending_after_ = false;  // the waiting text plays after the current one (say_next)
  bool silence_ = false;        // stop(): the worker clears what the sound card still holds
  std::vector<std::string> history_;
  std::atomic<unsigned> generation_{0};
  std::atomic<int> volume_{80};
  std::atomic<bool> busy_{false};
  std::atomic<size_t> samples_played_{0};
  std::thread worker_;  // last: its thread reads every member above from its first step
};

// A code read one character at a time: "HK-0042" → "H K, 0 0 4 2".
std::string spelled(const std::string& code);

}  // namespace motcua
