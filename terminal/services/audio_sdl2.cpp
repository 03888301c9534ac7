// SDL2 audio output for read-aloud: queued playback, cleared when a new utterance starts (news
// is queued after what is playing).
#include <SDL.h>

#include "terminal/services/speech.h"

namespace motcua {

namespace {

class Sdl2Sink : public AudioSink {
 public:
  explicit Sdl2Sink(SDL_AudioDeviceID dev) : dev_(dev) { SDL_PauseAudioDevice(dev_, 0); }
  ~Sdl2Sink() override {
    SDL_CloseAudioDevice(dev_);
    SDL_QuitSubSystem(SDL_INIT_AUDIO);
  }
  void play(const std::vector<int16_t>& s, int, bool after) override {
    if (!after) SDL_ClearQueuedAudio(dev_);
    SDL_QueueAudio(dev_, s.data(), static_cast<Uint32>(s.size() * sizeof(int16_t)));
  }
  void stop() override { SDL_ClearQueuedAudio(dev_); }

 private:
  SDL_AudioDeviceID dev_;
};

}  // namespace

std::unique_ptr<AudioSink> make_sdl2_audio_sink(int rate) {
  if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) return nullptr;
  SDL_AudioSpec want{}, have{};
  want.freq = rate;
  want.format = AUDIO_S16SYS;
  want.channels = 1;
  want.samples = 2048;
  SDL_AudioDeviceID dev = SDL_OpenAudioDevice(nullptr, 0, &want, &have, 0);
  if (dev == 0) {
    SDL_QuitSubSystem(SDL_INIT_AUDIO);
    return nullptr;
  }
  return std::make_unique<Sdl2Sink>(dev);
}

}  // namespace motcua
