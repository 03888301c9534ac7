// The dossier in words, line by line, as the review screen shows it and the answers sheet prints
// it: only what the form's rules keep (steps that apply, elements shown), an option's label rather
// than its code, dates as Vietnamese papers write them. One walk, so paper and screen never differ.
// The values are personal data: callers keep the lines no longer than a frame or a print job.
#pragma once
#include <string>
#include <vector>

#include "terminal/core/locale.h"
#include "terminal/core/session.h"

namespace motcua {

struct AnswerLine {
  enum class Kind {
    Step,    // a step's title; `step` is its index (the review's "Sửa" button)
    Repeat,  // a list's label
    Item,    // "Mục 1" inside a list
    Answer,  // a question and what was answered; value empty: not answered (an empty list too)
  };
  Kind kind;
  int depth = 0;  // how many lists deep: items and their answers are indented by it
  int step = -1;
  std::string label;
  std::string value;
};

std::vector<AnswerLine> answer_lines(const Session& session, const Strings& strings);

// A list's words for one item, named by the repeat's itemLabel when it has one: "Thành viên 2",
// "+ Thêm thành viên", "Xoá thành viên này"; else "Mục 2", "+ Thêm một mục", "Xoá mục này".
enum class RepeatWord { Item, Add, Remove };
std::string repeat_word(const Strings& strings, const std::string& lang, const forms::Element& repeat, RepeatWord word, int number = 0);

}  // namespace motcua
