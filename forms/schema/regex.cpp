#include "forms/schema/regex.h"

#include "forms/text.h"

#include <utf8proc.h>

#include <cstdint>

namespace motcua::schema {

namespace {

constexpr size_t kMaxProgram = 20000;  // counted repeats expand; beyond this the pattern is refused
constexpr int kMaxGroupDepth = 64;     // the parser and the compiler recurse once per nested group

struct ClassItem {
  enum Kind { Range, Digit, NotDigit, Word, NotWord, Space, NotSpace, Prop, NotProp } kind;
  char32_t lo = 0, hi = 0;
  uint32_t categories = 0;  // bit per utf8proc category, for \p{...}
};

struct CharClass {
  std::vector<ClassItem> items;
  bool negated = false;
  uint64_t ascii[2] = {0, 0};  // the answer for each ASCII character, filled once compiled
};

enum Op : uint8_t { CHAR, ANY, CLASS, SPLIT, JMP, MATCH, AT_START, AT_END, WORD_B, NOT_WORD_B, LOOK };

struct Inst {
  Op op;
  uint32_t a = 0, b = 0;  // CHAR: code point; CLASS/LOOK: index; SPLIT: targets; JMP: target; LOOK b: negate
};

struct Node {
  enum Kind { Empty, Char, Any, Class, Cat, Alt, Repeat, Assert, Look } kind;
  char32_t ch = 0;
  int cls = -1;
  std::vector<Node> kids;
  int min = 0, max = -1;  // Repeat; max -1 = unbounded
  Op assertion = AT_START;
  bool negate = false;
};

bool is_line_terminator(char32_t c) { return c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029; }
bool is_word(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; }
bool is_space(char32_t c) {
  if (c == ' ' || (c >= '\t' && c <= '\r') || c == 0xA0 || c == 0xFEFF || c == 0x2028 || c == 0x2029) return true;
  return c > 0x7F && utf8proc_category(static_cast<utf8proc_int32_t>(c)) == UTF8PROC_CATEGORY_ZS;
}

uint32_t bit(int category) { return 1u << category; }

uint32_t categories_named(const std::string& name) {
  using namespace std;
  const uint32_t L = bit(UTF8PROC_CATEGORY_LU) | bit(UTF8PROC_CATEGORY_LL) | bit(UTF8PROC_CATEGORY_LT) |
                     bit(UTF8PROC_CATEGORY_LM) | bit(UTF8PROC_CATEGORY_LO);
  const uint32_t M = bit(UTF8PROC_CATEGORY_MN) | bit(UTF8PROC_CATEGORY_MC) | bit(UTF8PROC_CATEGORY_ME);
  const uint32_t N = bit(UTF8PROC_CATEGORY_ND) | bit(UTF8PROC_CATEGORY_NL) | bit(UTF8PROC_CATEGORY_NO);
  const uint32_t P = bit(UTF8PROC_CATEGORY_PC) | bit(UTF8PROC_CATEGORY_PD) | bit(UTF8PROC_CATEGORY_PS) |
                     bit(UTF8PROC_CATEGORY_PE) | bit(UTF8PROC_CATEGORY_PI) | bit(UTF8PROC_CATEGORY_PF) |
                     bit(UTF8PROC_CATEGORY_PO);
  const uint32_t S = bit(UTF8PROC_CATEGORY_SM) | bit(UTF8PROC_CATEGORY_SC) | bit(UTF8PROC_CATEGORY_SK) |
                     bit(UTF8PROC_CATEGORY_SO);
  const uint32_t Z = bit(UTF8PROC_CATEGORY_ZS) | bit(UTF8PROC_CATEGORY_ZL) | bit(UTF8PROC_CATEGORY_ZP);
  const uint32_t C = bit(UTF8PROC_CATEGORY_CC) | bit(UTF8PROC_CATEGORY_CF) | bit(UTF8PROC_CATEGORY_CS) |
                     bit(UTF8PROC_CATEGORY_CO) | bit(UTF8PROC_CATEGORY_CN);
  struct Entry { const char* a; const char* b; uint32_t mask; };
  const Entry table[] = {
      {"L", "Letter", L}, {"Lu", "Uppercase_Letter", bit(UTF8PROC_CATEGORY_LU)},
      {"Ll", "Lowercase_Letter", bit(UTF8PROC_CATEGORY_LL)}, {"Lt", "Titlecase_Letter", bit(UTF8PROC_CATEGORY_LT)},
      {"Lm", "Modifier_Letter", bit(UTF8PROC_CATEGORY_LM)}, {"Lo", "Other_Letter", bit(UTF8PROC_CATEGORY_LO)},
      {"M", "Mark", M}, {"Mn", "Nonspacing_Mark", bit(UTF8PROC_CATEGORY_MN)},
      {"Mc", "Spacing_Mark", bit(UTF8PROC_CATEGORY_MC)}, {"Me", "Enclosing_Mark", bit(UTF8PROC_CATEGORY_ME)},
      {"N", "Number", N}, {"Nd", "Decimal_Number", bit(UTF8PROC_CATEGORY_ND)}, {"digit", "digit", bit(UTF8PROC_CATEGORY_ND)},
      {"Nl", "Letter_Number", bit(UTF8PROC_CATEGORY_NL)}, {"No", "Other_Number", bit(UTF8PROC_CATEGORY_NO)},
      {"P", "Punctuation", P}, {"S", "Symbol", S}, {"Z", "Separator", Z},
      {"Zs", "Space_Separator", bit(UTF8PROC_CATEGORY_ZS)}, {"C", "Other", C}, {"Cc", "Control", bit(UTF8PROC_CATEGORY_CC)},
  };
  for (auto& e : table)
    if (name == e.a || name == e.b || name == std::string("General_Category=") + e.a ||
        name == std::string("gc=") + e.a)
      return e.mask;
  return 0;
}

bool class_matches_slowly(const CharClass& c, char32_t ch);

bool class_matches(const CharClass& c, char32_t ch) {
  if (ch < 128) return (c.ascii[ch >> 6] >> (ch & 63)) & 1;
  return class_matches_slowly(c, ch);
}

// Fills the ASCII table, which answers most characters of most form fields.
void tabulate_ascii(CharClass& c) {
  for (char32_t ch = 0; ch < 128; ++ch)
    if (class_matches_slowly(c, ch)) c.ascii[ch >> 6] |= uint64_t{1} << (ch & 63);
}

bool class_matches_slowly(const CharClass& c, char32_t ch) {
  bool in = false;
  for (auto& it : c.items) {
    switch (it.kind) {
      case ClassItem::Range: in = ch >= it.lo && ch <= it.hi; break;
      case ClassItem::Digit: in = ch >= '0' && ch <= '9'; break;
      case ClassItem::NotDigit: in = !(ch >= '0' && ch <= '9'); break;
      case ClassItem::Word: in = is_word(ch); break;
      case ClassItem::NotWord: in = !is_word(ch); break;
      case ClassItem::Space: in = is_space(ch); break;
      case ClassItem::NotSpace: in = !is_space(ch); break;
      case ClassItem::Prop:
      case ClassItem::NotProp: {
        bool has = it.categories & bit(utf8proc_category(static_cast<utf8proc_int32_t>(ch)));
        in = it.kind == ClassItem::Prop ? has : !has;
        break;
      }
    }
    if (in) break;
  }
  return in != c.negated;
}

class Parser {
 public:
  Parser(const std::u32string& p, std::vector<CharClass>& classes) : p_(p), classes_(classes) {}

  Node parse() {
    Node n = alternation();
    if (i_ < p_.size()) fail(p_[i_] == ')' ? "unmatched ')'" : "unexpected character");
    return n;
  }

 private:
  [[noreturn]] void fail(const std::string& why) {
    throw RegexError(why + " at position " + std::to_string(i_));
  }
  bool more() const { return i_ < p_.size(); }
  char32_t peek() const { return p_[i_]; }
  bool eat(char32_t c) {
    if (more() && p_[i_] == c) { ++i_; return true; }
    return false;
  }

  Node alternation() {
    Node first = sequence();
    if (!more() || peek() != '|') return first;
    Node alt{Node::Alt};
    alt.kids.push_back(std::move(first));
    while (eat('|')) alt.kids.push_back(sequence());
    return alt;
  }

  Node sequence() {
    Node cat{Node::Cat};
    while (more() && peek() != '|' && peek() != ')') cat.kids.push_back(quantified());
    return cat;
  }

  Node quantified() {
    Node atom_node = atom();
    for (;;) {
      int min, max;
      size_t save = i_;
      if (eat('*')) { min = 0; max = -1; }
      else if (eat('+')) { min = 1; max = -1; }
      else if (eat('?')) { min = 0; max = 1; }
      else if (more() && peek() == '{' && braces(min, max)) {}
      else { i_ = save; return atom_node; }
      if (atom_node.kind == Node::Assert || atom_node.kind == Node::Look) fail("nothing to repeat");
      eat('?');  // lazy: the same language for a yes/no match
      Node r{Node::Repeat};
      r.min = min;
      r.max = max;
      r.kids.push_back(std::move(atom_node));
      atom_node = std::move(r);
    }
  }

  // {n}, {n,}, {n,m}; anything else is a literal '{' (Annex B).
  bool braces(int& min, int& max) {
    size_t save = i_;
    ++i_;
    auto number = [&](int& out) {
      size_t start = i_;
      long v = 0;
      while (more() && peek() >= '0' && peek() <= '9') { v = std::min(v * 10 + (peek() - '0'), 100000L); ++i_; }
      out = static_cast<int>(v);
      return i_ > start;
    };
    if (!number(min)) { i_ = save; return false; }
    max = min;
    if (eat(',')) { if (!number(max)) max = -1; }
    if (!eat('}')) { i_ = save; return false; }
    if (max >= 0 && max < min) fail("numbers out of order in {} quantifier");
    if (min > 1000 || max > 1000) fail("repeat count above 1000");
    return true;
  }

  Node atom() {
    char32_t c = p_[i_++];
    switch (c) {
      case '.': return Node{Node::Any};
      case '^': { Node n{Node::Assert}; n.assertion = AT_START; return n; }
      case '$': { Node n{Node::Assert}; n.assertion = AT_END; return n; }
      case '(': return group();
      case '[': return char_class();
      case '\\': return escape();
      case '*': case '+': case '?': fail("nothing to repeat");
      case '{': {
        int a, b;
        --i_;
        if (braces(a, b)) fail("nothing to repeat");
        ++i_;
        return literal('{');
      }
      default: return literal(c);
    }
  }

  Node literal(char32_t c) {
    Node n{Node::Char};
    n.ch = c;
    return n;
  }

  Node group() {
    if (++depth_ > kMaxGroupDepth) fail("groups nested deeper than " + std::to_string(kMaxGroupDepth));
    Node n;
    if (eat('?')) {
      if (eat(':')) {
        n = alternation();
      } else if (eat('=') || (more() && peek() == '!')) {
        bool negate = eat('!');
        n = Node{Node::Look};
        n.negate = negate;
        n.kids.push_back(alternation());
      } else if (eat('<')) {
        if (more() && (peek() == '=' || peek() == '!')) fail("lookbehind is not supported");
        while (more() && peek() != '>') ++i_;  // named group: the name does not matter here
        if (!eat('>')) fail("unterminated group name");
        n = alternation();
      } else {
        fail("unknown group syntax");
      }
    } else {
      n = alternation();
    }
    if (!eat(')')) fail("missing ')'");
    --depth_;
    return n;
  }

  Node class_node(CharClass c) {
    tabulate_ascii(c);
    classes_.push_back(std::move(c));
    Node n{Node::Class};
    n.cls = static_cast<int>(classes_.size() - 1);
    return n;
  }

  // An escape that names a set (\d, \p{L}...), or 0 when it is a single character.
  bool set_escape(char32_t c, ClassItem& item) {
    switch (c) {
      case 'd': item.kind = ClassItem::Digit; return true;
      case 'D': item.kind = ClassItem::NotDigit; return true;
      case 'w': item.kind = ClassItem::Word; return true;
      case 'W': item.kind = ClassItem::NotWord; return true;
      case 's': item.kind = ClassItem::Space; return true;
      case 'S': item.kind = ClassItem::NotSpace; return true;
      case 'p': case 'P': {
        if (!eat('{')) fail("\\p needs {name}");
        std::string name;
        while (more() && peek() != '}') name += static_cast<char>(p_[i_++]);
        if (!eat('}')) fail("unterminated \\p{");
        item.categories = categories_named(name);
        if (!item.categories) fail("unknown Unicode property \"" + name + "\"");
        item.kind = c == 'p' ? ClassItem::Prop : ClassItem::NotProp;
        return true;
      }
      default: return false;
    }
  }

  char32_t hex(int digits) {
    char32_t v = 0;
    for (int k = 0; k < digits; ++k) {
      if (!more()) fail("incomplete hex escape");
      char32_t h = p_[i_++];
      int d = (h >= '0' && h <= '9') ? h - '0' : (h >= 'a' && h <= 'f') ? h - 'a' + 10 : (h >= 'A' && h <= 'F') ? h - 'A' + 10 : -1;
      if (d < 0) fail("bad hex digit");
      v = v * 16 + static_cast<char32_t>(d);
    }
    return v;
  }

  // A single-character escape after '\'.
  char32_t char_escape(char32_t c) {
    switch (c) {
      case 't': return '\t';
      case 'n': return '\n';
      case 'r': return '\r';
      case 'v': return '\v';
      case 'f': return '\f';
      case '0': return 0;
      case 'x': return hex(2);
      case 'c': {
        if (!more()) fail("incomplete \\c");
        return p_[i_++] % 32;
      }
      case 'u': {
        if (eat('{')) {
          char32_t v = 0;
          while (more() && peek() != '}') { v = v * 16 + hex(1); if (v > 0x10FFFF) fail("code point too large"); }
          if (!eat('}')) fail("unterminated \\u{");
          return v;
        }
        char32_t v = hex(4);
        // A surrogate pair written as two escapes is one code point.
        if (v >= 0xD800 && v <= 0xDBFF && i_ + 5 < p_.size() && p_[i_] == '\\' && p_[i_ + 1] == 'u') {
          size_t save = i_;
          i_ += 2;
          char32_t lo = hex(4);
          if (lo >= 0xDC00 && lo <= 0xDFFF) return 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
          i_ = save;
        }
        return v;
      }
      default:
        if (c >= '1' && c <= '9') fail("backreferences are not supported");
        if (c == 'k') fail("named backreferences are not supported");
        return c;  // identity escape: \. \/ \\ \[ ...
    }
  }

  Node escape() {
    if (!more()) fail("pattern ends with '\\'");
    char32_t c = p_[i_++];
    if (c == 'b' || c == 'B') {
      Node n{Node::Assert};
      n.assertion = c == 'b' ? WORD_B : NOT_WORD_B;
      return n;
    }
    ClassItem item{};
    if (set_escape(c, item)) {
      CharClass cc;
      cc.items.push_back(item);
      return class_node(std::move(cc));
    }
    return literal(char_escape(c));
  }

  Node char_class() {
    CharClass cc;
    cc.negated = eat('^');
    // "[]" matches nothing and "[^]" anything, as in ECMA-262.
    while (more() && peek() != ']') {
      ClassItem item{};
      char32_t lo;
      if (!class_atom(lo, item)) { cc.items.push_back(item); continue; }
      if (more() && peek() == '-' && i_ + 1 < p_.size() && p_[i_ + 1] != ']') {
        ++i_;
        ClassItem other{};
        char32_t hi;
        if (!class_atom(hi, other)) {  // [a-\d]: '-' is literal (Annex B)
          cc.items.push_back({ClassItem::Range, lo, lo});
          cc.items.push_back({ClassItem::Range, '-', '-'});
          cc.items.push_back(other);
          continue;
        }
        if (hi < lo) fail("range out of order in character class");
        cc.items.push_back({ClassItem::Range, lo, hi});
      } else {
        cc.items.push_back({ClassItem::Range, lo, lo});
      }
    }
    if (!eat(']')) fail("missing ']'");
    return class_node(std::move(cc));
  }

  // One class member: returns true with a character, or false with a set item.
  bool class_atom(char32_t& ch, ClassItem& item) {
    char32_t c = p_[i_++];
    if (c != '\\') { ch = c; return true; }
    if (!more()) fail("pattern ends with '\\'");
    char32_t e = p_[i_++];
    if (set_escape(e, item)) return false;
    ch = e == 'b' ? 8 : e == '-' ? '-' : char_escape(e);
    return true;
  }

  const std::u32string& p_;
  std::vector<CharClass>& classes_;
  size_t i_ = 0;
  int depth_ = 0;
};

// The next code point of UTF-8 text at pos, decoded as text::code_points does (a bad byte is U+FFFD).
char32_t next_code_point(std::string_view text, size_t& pos) {
  auto b = static_cast<unsigned char>(text[pos]);
  if (b < 0x80) {
    ++pos;
    return b;
  }
  utf8proc_int32_t cp;
  utf8proc_ssize_t n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + pos),
                                        static_cast<utf8proc_ssize_t>(text.size() - pos), &cp);
  if (n < 0) { cp = 0xFFFD; n = 1; }
  pos += static_cast<size_t>(n);
  return static_cast<char32_t>(cp);
}

// One step of a straight pattern: a character, any character or a class, repeated min..max times.
struct Step {
  Op op;
  uint32_t a = 0;  // CHAR: code point; CLASS: index
  size_t min = 1, max = 1;
};

}  // namespace

struct Regex::Program {
  std::vector<Inst> code;
  std::vector<CharClass> classes;
  std::vector<Program> looks;  // lookahead bodies, each ending in MATCH
  // Most form patterns are straight: "^", single characters or classes each repeated a fixed
  // number of times (the last one may range), then "$" or nothing, as ^0[0-9]{9}$ or
  // ^[0-9A-Z]{6,20}$. Taking each step greedily is then exact, so they match in one pass
  // over the text with no threads and no copy of it; every other pattern runs on the Pike VM.
  bool straight = false;
  bool to_end = false;  // a straight pattern ending in "$"
  std::vector<Step> steps;

  void plan_straight(const Node& root) {
    if (root.kind != Node::Cat || root.kids.empty()) return;
    const auto& kids = root.kids;
    if (kids.front().kind != Node::Assert || kids.front().assertion != AT_START) return;
    size_t last = kids.size();
    to_end = last > 1 && kids.back().kind == Node::Assert && kids.back().assertion == AT_END;
    if (to_end) --last;
    for (size_t i = 1; i < last; ++i) {
      const Node* atom = &kids[i];
      Step step{CHAR};
      if (atom->kind == Node::Repeat) {
        step.min = static_cast<size_t>(atom->min);
        step.max = atom->max < 0 ? SIZE_MAX : static_cast<size_t>(atom->max);
        atom = &atom->kids[0];
      }
      if (step.min != step.max && i + 1 != last) return steps.clear();  // greedy would be wrong
      if (atom->kind == Node::Char) step.a = atom->ch;
      else if (atom->kind == Node::Any) step.op = ANY;
      else if (atom->kind == Node::Class) { step.op = CLASS; step.a = static_cast<uint32_t>(atom->cls); }
      else return steps.clear();
      steps.push_back(step);
    }
    straight = true;
  }

  bool run_straight(std::string_view text) const {
    size_t pos = 0;
    for (const Step& step : steps) {
      size_t count = 0;
      if (step.op == CLASS) {
        // ASCII bytes are one character each and the class's table answers them: no decoding.
        // A byte it refuses, or a non-ASCII one, is left to the loop below.
        const uint64_t* ascii = classes[step.a].ascii;
        while (count < step.max && pos < text.size()) {
          auto b = static_cast<unsigned char>(text[pos]);
          if (b >= 0x80 || !((ascii[b >> 6] >> (b & 63)) & 1)) break;
          ++pos;
          ++count;
        }
      }
      while (count < step.max && pos < text.size()) {
        size_t next = pos;
        char32_t c = next_code_point(text, next);
        bool ok = step.op == CHAR ? c == step.a : step.op == ANY ? !is_line_terminator(c) : class_matches(classes[step.a], c);
        if (!ok) break;
        pos = next;
        ++count;
      }
      if (count < step.min) return false;
    }
    return !to_end || pos == text.size();
  }

  void emit_node(const Node& n) {
    if (code.size() > kMaxProgram) throw RegexError("pattern too complex");
    switch (n.kind) {
      case Node::Empty: break;
      case Node::Char: code.push_back({CHAR, n.ch}); break;
      case Node::Any: code.push_back({ANY}); break;
      case Node::Class: code.push_back({CLASS, static_cast<uint32_t>(n.cls)}); break;
      case Node::Assert: code.push_back({n.assertion}); break;
      case Node::Cat: for (auto& k : n.kids) emit_node(k); break;
      case Node::Alt: {
        std::vector<size_t> jumps;
        for (size_t k = 0; k < n.kids.size(); ++k) {
          if (k + 1 == n.kids.size()) {  // the last alternative needs no split
            emit_node(n.kids[k]);
            break;
          }
          size_t split = code.size();
          code.push_back({SPLIT});
          code[split].a = static_cast<uint32_t>(code.size());
          emit_node(n.kids[k]);
          jumps.push_back(code.size());
          code.push_back({JMP});
          code[split].b = static_cast<uint32_t>(code.size());
        }
        for (size_t j : jumps) code[j].a = static_cast<uint32_t>(code.size());
        break;
      }
      case Node::Repeat: {
        for (int k = 0; k < n.min; ++k) emit_node(n.kids[0]);
        if (n.max < 0) {
          size_t split = code.size();
          code.push_back({SPLIT});
          code[split].a = static_cast<uint32_t>(code.size());
          emit_node(n.kids[0]);
          code.push_back({JMP, static_cast<uint32_t>(split)});
          code[split].b = static_cast<uint32_t>(code.size());
        } else {
          std::vector<size_t> splits;
          for (int k = n.min; k < n.max; ++k) {
            splits.push_back(code.size());
            code.push_back({SPLIT});
            code[splits.back()].a = static_cast<uint32_t>(code.size());
            emit_node(n.kids[0]);
          }
          for (size_t s : splits) code[s].b = static_cast<uint32_t>(code.size());
        }
        break;
      }
      case Node::Look: {
        Program body;
        body.classes = classes;  // bodies index the same classes
        body.emit_node(n.kids[0]);
        body.code.push_back({MATCH});
        looks.push_back(std::move(body));
        code.push_back({LOOK, static_cast<uint32_t>(looks.size() - 1), n.negate ? 1u : 0u});
        break;
      }
    }
  }

  // A run's working lists; kept per thread between searches so a search allocates nothing.
  struct Scratch {
    std::u32string text;
    std::vector<uint32_t> clist, nlist, pending;
    std::vector<size_t> mark;
  };

  bool run(const std::u32string& text, size_t start, bool anchored) const {
    Scratch fresh;
    return run(text, start, anchored, fresh);
  }

  // Pike VM: every thread advances in lockstep, so time is O(text × program).
  bool run(const std::u32string& text, size_t start, bool anchored, Scratch& scratch) const {
    const size_t n = code.size();
    auto& clist = scratch.clist;
    auto& nlist = scratch.nlist;
    auto& mark = scratch.mark;
    clist.clear();
    nlist.clear();
    mark.assign(n, SIZE_MAX);
    clist.reserve(n);
    nlist.reserve(n);
    // The epsilon closure with an explicit stack: a chain of 20,000 SPLITs must not mean 20,000
    // frames. Only whether some thread matches counts, so the order threads are added in does not.
    auto& pending = scratch.pending;
    auto add = [&](std::vector<uint32_t>& list, uint32_t first, size_t i) {
      pending.assign(1, first);
      while (!pending.empty()) {
        uint32_t pc = pending.back();
        pending.pop_back();
        if (mark[pc] == i) continue;
        mark[pc] = i;
        const Inst& in = code[pc];
        switch (in.op) {
          case JMP: pending.push_back(in.a); break;
          case SPLIT: pending.push_back(in.b); pending.push_back(in.a); break;
          case AT_START: if (i == 0) pending.push_back(pc + 1); break;
          case AT_END: if (i == text.size()) pending.push_back(pc + 1); break;
          case WORD_B:
          case NOT_WORD_B: {
            bool before = i > 0 && is_word(text[i - 1]), after = i < text.size() && is_word(text[i]);
            if ((before != after) == (in.op == WORD_B)) pending.push_back(pc + 1);
            break;
          }
          case LOOK:
            if (looks[in.a].run(text, i, true) != (in.b != 0)) pending.push_back(pc + 1);
            break;
          default: list.push_back(pc);
        }
      }
    };
    for (size_t i = start;; ++i) {
      if (!anchored || i == start) add(clist, 0, i);
      if (clist.empty() && (anchored || i >= text.size())) return false;
      nlist.clear();
      for (uint32_t pc : clist) {
        const Inst& in = code[pc];
        if (in.op == MATCH) return true;
        if (i >= text.size()) continue;
        char32_t c = text[i];
        bool ok = (in.op == CHAR && c == in.a) || (in.op == ANY && !is_line_terminator(c)) ||
                  (in.op == CLASS && class_matches(classes[in.a], c));
        if (ok) add(nlist, pc + 1, i + 1);
      }
      if (i >= text.size()) return false;
      std::swap(clist, nlist);
    }
  }
};

Regex::Regex(std::string_view pattern) : source_(pattern), program_(std::make_unique<Program>()) {
  std::u32string p = text::code_points(pattern);
  Parser parser(p, program_->classes);
  Node root = parser.parse();
  program_->emit_node(root);
  program_->code.push_back({MATCH});
  if (program_->code.size() > kMaxProgram) throw RegexError("pattern too complex");
  program_->plan_straight(root);
}

Regex::~Regex() = default;
Regex::Regex(Regex&&) noexcept = default;
Regex& Regex::operator=(Regex&&) noexcept = default;

bool Regex::search(std::string_view utf8_text) const {
  if (program_->straight) return program_->run_straight(utf8_text);
  thread_local Program::Scratch scratch;  // lookaheads run with their own (Program::run above)
  scratch.text.clear();
  for (size_t pos = 0; pos < utf8_text.size();) scratch.text.push_back(next_code_point(utf8_text, pos));
  return program_->run(scratch.text, 0, false, scratch);
}

}  // namespace motcua::schema
