#include "terminal/services/speech.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>

#include "terminal/services/espeak_library.h"

namespace motcua {

namespace {

// espeak-ng keeps global state: it is started once per process, never terminated (its
// terminate call waits forever in synchronous mode), and used under one lock.
std::mutex g_espeak;
std::vector<int16_t>* g_buffer = nullptr;
const std::atomic<unsigned>* g_generation = nullptr;
unsigned g_started = 0;

int collect(short* wav, int n, espeak_EVENT*) {
  if (g_generation && g_generation->load() != g_started) return 1;  // cancelled: stop synthesis
  if (wav && n > 0 && g_buffer) g_buffer->insert(g_buffer->end(), wav, wav + n);
  return 0;
}

class WavSink : public AudioSink {
 public:
  explicit WavSink(std::string dir) : dir_(std::move(dir)) { std::filesystem::create_directories(dir_); }
  void play(const std::vector<int16_t>& s, int rate, bool) override {  // each utterance its own file
    std::ofstream out(dir_ + "/utterance-" + std::to_string(++count_) + ".wav", std::ios::binary);
    auto u32 = [&](uint32_t v) { out.write(reinterpret_cast<const char*>(&v), 4); };
    auto u16 = [&](uint16_t v) { out.write(reinterpret_cast<const char*>(&v), 2); };
    uint32_t bytes = static_cast<uint32_t>(s.size() * 2);
    out.write("RIFF", 4); u32(36 + bytes); out.write("WAVEfmt ", 8); u32(16); u16(1); u16(1);
    u32(static_cast<uint32_t>(rate)); u32(static_cast<uint32_t>(rate * 2)); u16(2); u16(16);
    out.write("data", 4); u32(bytes);
    out.write(reinterpret_cast<const char*>(s.data()), static_cast<std::streamsize>(bytes));
  }
  void stop() override {}

 private:
  std::string dir_;
  int count_ = 0;
};

class NullSink : public AudioSink {
 public:
  void play(const std::vector<int16_t>&, int, bool) override {}
  void stop() override {}
};

}  // namespace

std::unique_ptr<AudioSink> make_wav_sink(std::string dir) { return std::make_unique<WavSink>(std::move(dir)); }

std::unique_ptr<AudioSink> make_audio_sink(const std::string& output, int rate) {
  if (output.rfind("file:", 0) == 0) return make_wav_sink(output.substr(5));
  if (output == "sdl2")
    if (auto sink = make_sdl2_audio_sink(rate)) return sink;
  return std::make_unique<NullSink>();
}

std::string spelled(const std::string& code) {
  std::string out;
  for (char c : code) {
    if (c == '-' || c == '.' || c == '/') { out += ", "; continue; }
    if (!out.empty() && out.back() != ' ') out += ' ';
    out += c;
  }
  return out;
}

Speaker::Speaker(std::string voice_vi, std::string output)
    : Speaker(std::move(voice_vi), [output = std::move(output)](int rate) { return make_audio_sink(output, rate); }) {}

Speaker::Speaker(std::string voice_vi, std::function<std::unique_ptr<AudioSink>(int rate)> make_sink)
    : voice_vi_(std::move(voice_vi)), make_sink_(std::move(make_sink)), worker_([this] { run(); }) {}

Speaker::~Speaker() {
  {
    std::lock_guard<std::mutex> l(m_);
    quit_ = true;
  }
  ++generation_;
  cv_.notify_all();
  worker_.join();
}

void Speaker::say(std::string text, const std::string& lang) {
  {
    std::lock_guard<std::mutex> l(m_);
    pending_text_ = std::move(text);
    pending_lang_ = lang;
    has_pending_ = true;
    pending_after_ = false;
    busy_ = true;
    history_.push_back(pending_text_);
    // Cancels the utterance being synthesised or played; under the lock, so the worker cannot
    // take this text with the generation before it and then cancel it.
    ++generation_;
  }
  cv_.notify_all();
}

void Speaker::say_next(std::string text, const std::string& lang) {
  {
    std::lock_guard<std::mutex> l(m_);
    history_.push_back(text);
    if (has_pending_) {
      pending_text_.append(". ").append(text);
    } else {
      pending_text_ = std::move(text);
      pending_lang_ = lang;
      pending_after_ = true;
      has_pending_ = true;
    }
    busy_ = true;
  }
  std::fill(text.begin(), text.end(), '\0');
  cv_.notify_all();  // the generation stays: nothing being said is cancelled
}

void Speaker::stop() {
  {
    std::lock_guard<std::mutex> l(m_);
    has_pending_ = pending_after_ = false;
    silence_ = true;  // what the sound card still holds goes too: the next visitor must not hear it
    ++generation_;
  }
  cv_.notify_all();
}

void Speaker::set_volume(int percent) { volume_ = std::clamp(percent, 0, 100); }

std::vector<std::string> Speaker::history() const {
  std::lock_guard<std::mutex> l(m_);
  return history_;
}

void Speaker::clear_history() {
  std::lock_guard<std::mutex> l(m_);
  for (auto& h : history_) std::fill(h.begin(), h.end(), '\0');
  history_.clear();
}

// Starts espeak-ng once; false when the library or its data is missing.
bool espeak_ready(int& rate) {
  static int sample_rate = 0;
  static bool ok = [] {
    if (!espeak::library_error().empty()) {
      std::fprintf(stderr, "motcua: read-aloud unavailable: %s\n", espeak::library_error().c_str());
      return false;
    }
    espeak_ng_InitializePath(nullptr);
    bool started = espeak_ng_Initialize(nullptr) == ENS_OK &&
                   espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, 0, nullptr) == ENS_OK;
    if (started) {
      sample_rate = espeak_ng_GetSampleRate();
      espeak_SetSynthCallback(collect);
    } else {
      std::fprintf(stderr, "motcua: read-aloud unavailable: espeak-ng could not start (espeak-ng-data missing?)\n");
    }
    return started;
  }();
  rate = ok ? sample_rate : 22050;
  return ok;
}

void Speaker::run() {
  int rate;
  bool ok;
  {
    std::lock_guard<std::mutex> l(g_espeak);
    ok = espeak_ready(rate);
  }
  std::unique_ptr<AudioSink> sink = make_sink_(rate);
  std::vector<int16_t> samples;
  for (;;) {
    std::string text, lang;
    unsigned started;
    bool after, silenced;
    {
      std::unique_lock<std::mutex> l(m_);
      cv_.wait(l, [&] { return quit_ || has_pending_ || silence_; });
      if (quit_) break;
      silenced = silence_;
      silence_ = false;
      if (!has_pending_) {  // stopped, nothing new to say
        busy_ = false;
        l.unlock();
        sink->stop();
        continue;
      }
      text = std::move(pending_text_);
      pending_text_.clear();
      lang = pending_lang_;
      after = pending_after_;
      has_pending_ = pending_after_ = false;
      started = generation_;
    }
    if (!after || silenced) sink->stop();
    samples.clear();
    if (ok) {
      std::lock_guard<std::mutex> l(g_espeak);
      g_buffer = &samples;
      g_generation = &generation_;
      g_started = started;
      espeak_ng_SetVoiceByName(lang == "en" ? "en" : voice_vi_.c_str());
      espeak_Synth(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, nullptr, nullptr);
      g_buffer = nullptr;
      g_generation = nullptr;
    }
    std::fill(text.begin(), text.end(), '\0');
    if (generation_ == started && !samples.empty()) {
      int vol = volume_;
      for (auto& s : samples) s = static_cast<int16_t>(s * vol / 100);
      sink->play(samples, rate, after);
      samples_played_ += samples.size();
    }
    std::lock_guard<std::mutex> l(m_);
    if (!has_pending_) busy_ = false;
  }
  sink->stop();
}

}  // namespace motcua
