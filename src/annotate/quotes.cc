#include "annotate/quotes.h"

#include <algorithm>
#include <array>
#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "annotate/doc_tokens.h"
#include "annotate/name_tokens.h"
#include "core/text.h"
#include "lexicon/outlets.h"
#include "lexicon/romanization.h"
#include "lexicon/titles.h"
#include "lexicon/tokens.h"

namespace echotrace {
namespace {

using annotate_internal::NameToken;

constexpr std::string_view kOpenDouble = "\xE2\x80\x9C";   // “
constexpr std::string_view kCloseDouble = "\xE2\x80\x9D";  // ”
constexpr std::string_view kOpenSingle = "\xE2\x80\x98";   // ‘
constexpr std::string_view kCloseSingle = "\xE2\x80\x99";  // ’

constexpr std::array<std::string_view, 30> kSpeechVerbs = {
    "adding",   "saying",   "noting",   "stressing", "stating",    "warning",    "said",       "says",
    "say",      "stressed", "noted",    "added",     "emphasized", "emphasised", "underlined", "declared",
    "stated",   "warned",   "insisted", "explained", "affirmed",   "reiterated", "announced",  "claimed",
    "asserted", "told",     "reported", "wrote",     "asked",      "continued"};
constexpr std::array<std::string_view, 14> kClauseStarts = {"the", "it",    "he",   "she", "they", "there", "his",
                                                            "its", "their", "this", "a",   "an",   "we",    "all"};
constexpr std::array<std::string_view, 10> kTimeWords = {"monday",   "tuesday", "wednesday", "thursday", "friday",
                                                         "saturday", "sunday",  "yesterday", "today",    "again"};

// Verbs of speech frames that do not introduce a reported clause but still
// make their subject the source of the quoted words ("KCNA called Kim Jong Un
// a 'great successor'", "state media hailed him as ...").
constexpr auto kFrameVerbs = std::to_array<std::string_view>(
    {"called", "calling", "hailed", "hailing", "described", "describing", "dubbed", "vowed", "urged", "accused",
     "threatened", "denounced", "slammed", "branded", "labelled", "labeled", "quoted", "quoting", "mentioned",
     "promised", "pledged", "argued", "complained", "criticized", "criticised", "condemned", "demanded", "questioned",
     "acknowledged", "admitted", "suggested", "boasted", "asking", "refuted", "rebutted", "denied", "rejected",
     "dismissed", "blasted", "lambasted", "ridiculed", "mocked", "claiming", "insisting", "slamming", "criticizing",
     "referred", "referring", "spoken", "spoke", "speaking", "talked", "singled", "praised", "lauded", "termed",
     "defined", "characterized", "characterised",
     // Headlines speak in the present tense ("North Korea threatens Seoul with a 'sea of fire'").
     "threatens", "warns", "vows", "urges", "accuses", "slams", "hails", "blasts", "denounces", "pledges", "promises",
     "claims", "insists", "demands", "brands", "dubs"});
// Words right before a name that make it an object, not a speaker: a
// preposition, or a frame verb whose object the name is ("called Kim Jong
// Un", "of Kim Jong Un", "told Lavrov").
// ("after", "before" and "as" are left out: they also open a clause, "after
// Biden announced", "as Kim said".)
constexpr auto kObjectMarkers = std::to_array<std::string_view>(
    {"of",     "to",     "with",    "by",      "for",     "at",    "from",    "about",     "against", "upon",
     "on",     "under",  "during",  "in",      "into",    "over",  "through", "via",       "among",   "between",
     "within", "called", "calling", "hailed",  "hailing", "named", "naming",  "described", "dubbed",  "praised",
     "urged",  "told",   "accused", "branded", "his",     "her",   "their"});

// Words that may stand between such a marker and the name ("of late leader
// Kim Jong Il", "called the young Kim").
constexpr auto kBeforeNameFillers =
    std::to_array<std::string_view>({"the", "late", "leader", "young", "a", "an", "new", "then", "ruling", "official",
                                     "state-run", "powerful", "former", "influential", "younger", "top"});
// Words after "the" that refer back to the last outlet named ("the paper
// said", "said the report", "the KCNA dispatch").
constexpr auto kOutletAnaphors =
    std::to_array<std::string_view>({"agency", "paper", "newspaper", "editorial", "commentary", "daily", "report"});
// People who speak for the body named after "of"/"for" ("a spokesperson for
// the Foreign Ministry said"): the body is then the speaker, not an object.
constexpr auto kSpokesWords = std::to_array<std::string_view>(
    {"spokesperson", "spokesman", "spokeswoman", "official", "officials", "statement", "spokespeople"});
// Descriptions of DPRK state media that name no outlet ("state media said",
// "on state television"): speaker or channel "state-media".
constexpr std::array<std::pair<std::string_view, std::string_view>, 9> kStateMediaPhrases = {{
    {"state", "media"},
    {"state-run", "media"},
    {"state-controlled", "media"},
    {"official", "media"},
    {"state", "television"},
    {"state", "tv"},
    {"state-run", "television"},
    {"state", "broadcaster"},
    {"propaganda", "outlets"},
}};
constexpr std::string_view kStateMediaId = "state-media";
// Conjunctions after a quote that open another clause: a speaker named after
// them speaks there, not for the quote ("KCNA called it a 'striking
// demonstration', while Kim said ...").
constexpr auto kClauseConjunctions = std::to_array<std::string_view>({"while", "whereas", "but", "although", "though"});
// Words before a name that put it in an aside: no antecedent for "he".
constexpr auto kAsideWords = std::to_array<std::string_view>(
    {"late", "grandfather", "father", "grandmother", "mother", "founder", "predecessor"});
// Words of a person's role or title that say she is a woman.
constexpr auto kFemaleWords =
    std::to_array<std::string_view>({"sister", "wife", "daughter", "mother", "ms", "mrs", "miss", "spokeswoman",
                                     "chairwoman", "madam", "woman", "first lady", "lady"});
// Auxiliaries that make a speech verb passive.
constexpr auto kPassiveAuxiliaries = std::to_array<std::string_view>({"was", "were", "is", "are", "been", "being"});

template <size_t N>
bool Contains(const std::array<std::string_view, N>& table, std::string_view word) {
  return std::find(table.begin(), table.end(), word) != table.end();
}

// True when `lower` is one of kSpeechVerbs, by hash.
bool IsSpeechVerb(std::string_view lower) {
  static const std::unordered_set<std::string_view> verbs(kSpeechVerbs.begin(), kSpeechVerbs.end());
  return lower.size() >= 3 && lower.size() <= 10 && verbs.count(lower) > 0;
}

// For each first letter, a bit per word length of the speech verbs (and
// "made", "pointed"): most words fail this before any lowering or hashing.
constexpr std::array<uint16_t, 26> kVerbShapes = [] {
  std::array<uint16_t, 26> shapes{};
  for (std::string_view verb : kSpeechVerbs) shapes[verb[0] - 'a'] |= static_cast<uint16_t>(1u << verb.size());
  shapes['m' - 'a'] |= 1u << 4;  // made (clear)
  shapes['p' - 'a'] |= 1u << 7;  // pointed (out)
  return shapes;
}();

bool MayBeSpeechVerb(std::string_view word) {
  if (word.size() < 3 || word.size() > 10) return false;
  char first = word[0];
  if (first >= 'A' && first <= 'Z') first = static_cast<char>(first - 'A' + 'a');
  if (first < 'a' || first > 'z') return false;
  return (kVerbShapes[first - 'a'] >> word.size()) & 1u;
}

bool IsLetter(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80; }
bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\t'; }

struct Segment {
  uint32_t open = 0, close = 0;  // positions of the marks (close = end of block when unclosed)
  uint32_t begin = 0, end = 0;   // the words inside
  size_t block = 0;
  bool closed = true;
  bool continues = false;  // continues an unclosed quote of the previous block
};

struct Block {
  uint32_t begin = 0, end = 0;
  bool title = false;  // the headline
};

// Quote segments of one block, top-level only.
void ScanBlock(std::string_view text, const Block& b, size_t block_index, bool continuing, std::vector<Segment>* out) {
  enum class Open { kNone, kCurly, kStraight, kSingle };
  Open open = Open::kNone;
  Segment current;
  const auto start = [&](uint32_t at, size_t mark, Open kind) {
    open = kind;
    current = Segment{};
    current.open = at;
    current.begin = static_cast<uint32_t>(at + mark);
    current.block = block_index;
  };
  const auto finish = [&](uint32_t at, size_t mark) {
    current.close = at;
    current.end = at;
    (void)mark;
    out->push_back(current);
    open = Open::kNone;
  };
  for (uint32_t i = b.begin; i < b.end;) {
    const char lead = text[i];
    if (lead != '"' && lead != '\'' && lead != '\xE2') {  // no quote mark starts here
      ++i;
      continue;
    }
    const std::string_view rest = text.substr(i, b.end - i);
    const bool at_word_start = i == b.begin || IsSpace(text[i - 1]) || text[i - 1] == '(' || text[i - 1] == '[';
    // Curly marks facing the wrong way are common in scraped pages: a mark is
    // read by where it stands. A letter after it opens ("”due to illness”"),
    // a space or punctuation after it closes ("... ignored “,"); a closing
    // mark right after an opening one doubles it ("“”There ...").
    const bool letter_after = rest.size() > 3 && (IsLetter(static_cast<unsigned char>(rest[3])) || rest[3] == '[');
    if (rest.substr(0, 3) == kOpenDouble) {
      if (open == Open::kNone || open == Open::kSingle) {
        start(i, 3, Open::kCurly);
      } else if (open == Open::kCurly && !letter_after && i > current.begin) {
        finish(i, 3);
      }
      i += 3;
    } else if (rest.substr(0, 3) == kCloseDouble) {
      if (open == Open::kCurly && i > current.begin) {
        finish(i, 3);
      } else if (open == Open::kCurly) {
        current.begin = i + 3;  // "“”There": a doubled opening
      } else if (open == Open::kNone && at_word_start && letter_after) {
        start(i, 3, Open::kCurly);
      }
      i += 3;
    } else if (rest[0] == '"') {
      // Straight marks do not say which way they face: the context does. An
      // opening-looking mark while a quote is open means the earlier one was
      // never closed (it is dropped), so one stray mark cannot invert every
      // quote after it.
      const bool space_before = i == b.begin || IsSpace(text[i - 1]) || text[i - 1] == '(' || text[i - 1] == '[';
      const bool space_after = i + 1 >= b.end || IsSpace(text[i + 1]);
      const bool looks_open = space_before && !space_after;
      const bool looks_close = !space_before;
      if (open == Open::kStraight) {
        if (looks_close || !looks_open) {
          finish(i, 1);
        } else {
          start(i, 1, Open::kStraight);
        }
      } else if (open == Open::kNone && !(looks_close && !looks_open && space_after)) {
        start(i, 1, Open::kStraight);
      }
      i += 1;
    } else if (rest.substr(0, 3) == kOpenSingle) {
      if (open == Open::kNone) start(i, 3, Open::kSingle);
      i += 3;
    } else if (rest[0] == '\'' && open == Open::kNone && at_word_start && rest.size() > 1 &&
               IsLetter(static_cast<unsigned char>(rest[1]))) {
      start(i, 1, Open::kSingle);
      i += 1;
    } else if (open == Open::kSingle && (rest[0] == '\'' || rest.substr(0, 3) == kCloseSingle)) {
      const size_t mark = rest[0] == '\'' ? 1 : 3;
      const bool word_end = i + mark >= b.end || !IsLetter(static_cast<unsigned char>(text[i + mark]));
      if (word_end && i > current.begin && !IsSpace(text[i - 1])) finish(i, mark);
      i += static_cast<uint32_t>(mark);
    } else {
      ++i;
    }
  }
  if (open == Open::kCurly || open == Open::kStraight) {
    current.close = b.end;
    current.end = b.end;
    current.closed = false;
    out->push_back(current);
  }
  // A block that starts inside a quote left open by the previous block and
  // closes it before opening another ("...the Party.”" after "says: “The ...").
  if (continuing) {
    const size_t first_in_block =
        std::find_if(out->begin(), out->end(), [&](const Segment& s) { return s.block == block_index; }) - out->begin();
    const std::string_view body = text.substr(b.begin, b.end - b.begin);
    const size_t close = body.find(kCloseDouble);
    const size_t open_at = body.find(kOpenDouble);
    if (close != std::string_view::npos && (open_at == std::string_view::npos || close < open_at)) {
      Segment s;
      s.open = b.begin;
      s.begin = b.begin;
      s.close = s.end = static_cast<uint32_t>(b.begin + close);
      s.block = block_index;
      s.continues = true;
      out->insert(out->begin() + static_cast<std::ptrdiff_t>(first_in_block), s);
    } else if (first_in_block < out->size() && (*out)[first_in_block].open == b.begin) {
      (*out)[first_in_block].continues = true;
    }
  }
}

// Trims spaces, trailing ",;:" and one final "." (not an ellipsis).
void Trim(std::string_view text, Segment* s) {
  while (s->begin < s->end && IsSpace(text[s->begin])) ++s->begin;
  while (s->end > s->begin &&
         (IsSpace(text[s->end - 1]) || text[s->end - 1] == ',' || text[s->end - 1] == ';' || text[s->end - 1] == ':')) {
    --s->end;
  }
  if (s->end > s->begin && text[s->end - 1] == '.' && !(s->end >= s->begin + 2 && text[s->end - 2] == '.')) --s->end;
  while (s->end > s->begin && (IsSpace(text[s->end - 1]) || text[s->end - 1] == ',')) --s->end;
}

size_t CountWords(std::string_view s) {
  size_t words = 0;
  bool in_word = false;
  for (char c : s) {
    const bool letter = IsLetter(static_cast<unsigned char>(c)) || (c >= '0' && c <= '9');
    if (letter && !in_word) ++words;
    // "government's" and "Flu-V" are one word each.
    in_word = letter || (in_word && (c == '\'' || c == '-'));
  }
  return words;
}

// Most words of four letters or more (and capitalized three-letter ones) capitalized: a title ("On Eliminating
// Formalism ...").
// DPRK titles of laws and works also start "On " + a lowercase word ("On
// amending and supplementing the Law of the DPRK on Road Traffic").
bool LooksLikeTitle(std::string_view s) {
  if (s.size() > 4 && s.substr(0, 3) == "On " && s[3] >= 'a' && s[3] <= 'z') return true;
  size_t content = 0, capitalized = 0;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && !IsLetter(static_cast<unsigned char>(s[i]))) ++i;
    const size_t start = i;
    while (i < s.size() && (IsLetter(static_cast<unsigned char>(s[i])) || s[i] == '-' || s[i] == '\'')) ++i;
    const bool capital = i > start && s[start] >= 'A' && s[start] <= 'Z';
    if (i - start >= 4 || (i - start == 3 && capital)) {
      ++content;
      if (s[start] >= 'A' && s[start] <= 'Z') ++capitalized;
    }
  }
  return content >= 2 && capitalized * 10 >= content * 8;
}

std::string Insertions(std::string_view s) {
  std::string list;
  const auto add = [&](std::string_view piece) {
    if (!list.empty()) list.push_back(';');
    list.append(piece);
  };
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '(' || s[i] == '[') {
      const char close = s[i] == '(' ? ')' : ']';
      const size_t end = s.find(close, i);
      if (end != std::string_view::npos && end - i <= 40) {
        add(s.substr(i, end - i + 1));
        i = end;
      }
    } else if (s.substr(i, 3) == "\xE2\x80\xA6") {
      add(s.substr(i, 3));
      i += 2;
    } else if (s.substr(i, 3) == "...") {
      add("...");
      i += 2;
    }
  }
  return list;
}

struct Context {
  const Document& doc;
  const std::vector<Span>& entities;
  std::vector<Block> blocks;
  std::vector<uint32_t> sentence_starts;  // sorted
  std::vector<NameToken> tokens;          // all blocks
  std::vector<Segment> segments;          // quote segments, in text order
  std::vector<std::string> female;        // sorted ids of persons the text calls women ("his sister", "Ms")
  // The last body (organization, outlet, place) credited with a quote, for
  // an "it said" whose antecedent is a short form ("the General Staff").
  std::string last_body_speaker;

  std::string_view Text(uint32_t b, uint32_t e) const { return std::string_view(doc.text).substr(b, e - b); }
  std::string Lower(const NameToken& t) const { return AsciiLower(Text(t.begin, t.end)); }
  // True when token `t` is `lower` in any case; no allocation.
  bool Is(const NameToken& t, std::string_view lower) const {
    if (t.end - t.begin != lower.size()) return false;
    for (size_t i = 0; i < lower.size(); ++i) {
      char ch = doc.text[t.begin + i];
      if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
      if (ch != lower[i]) return false;
    }
    return true;
  }
  bool IsPronounToken(const NameToken& t) const { return Is(t, "he") || Is(t, "she"); }
  uint32_t SentenceStart(uint32_t pos) const {
    auto it = std::upper_bound(sentence_starts.begin(), sentence_starts.end(), pos);
    return it == sentence_starts.begin() ? 0 : *(it - 1);
  }
  uint32_t SentenceEnd(uint32_t pos) const {
    auto it = std::upper_bound(sentence_starts.begin(), sentence_starts.end(), pos);
    return it == sentence_starts.end() ? static_cast<uint32_t>(doc.text.size()) : *it;
  }
  bool InsideQuote(uint32_t pos) const {
    auto it = std::upper_bound(segments.begin(), segments.end(), pos,
                               [](uint32_t p, const Segment& s) { return p < s.open; });
    return it != segments.begin() && pos < (it - 1)->close;
  }
  size_t BlockOf(uint32_t pos) const {
    auto it =
        std::upper_bound(blocks.begin(), blocks.end(), pos, [](uint32_t p, const Block& b) { return p < b.begin; });
    return it == blocks.begin() ? 0 : static_cast<size_t>(it - blocks.begin() - 1);
  }
};

// Sentence starts: each block start, and after ". ", "? ", "! " outside quotes (a
// terminator inside a quote followed by the closing mark ends the sentence
// only when a capital follows).
void FindSentences(Context* c) {
  const std::string& text = c->doc.text;
  for (const Block& b : c->blocks) {
    c->sentence_starts.push_back(b.begin);
    // A dateline ("SEOUL (Reuters) - ", "Pyongyang, May 3 (KCNA) -- ") is a sentence of its own.
    const std::string_view head = c->Text(b.begin, std::min(b.end, b.begin + 100));
    for (std::string_view dash : {") - ", ") -- ", ") \xE2\x80\x94 ", ") \xE2\x80\x93 "}) {
      const size_t at = head.find(dash);
      if (at != std::string_view::npos) {
        c->sentence_starts.push_back(static_cast<uint32_t>(b.begin + at + dash.size()));
        break;
      }
    }
    for (uint32_t i = b.begin; i + 1 < b.end; ++i) {
      const char ch = text[i];
      if (ch != '.' && ch != '?' && ch != '!') continue;
      uint32_t j = i + 1;
      // Closing marks right after the terminator belong to the sentence.
      while (j < b.end && (text[j] == '"' || text[j] == '\'' || text[j] == ')')) ++j;
      while (j + 3 <= b.end && (c->Text(j, j + 3) == kCloseDouble || c->Text(j, j + 3) == kCloseSingle)) j += 3;
      if (j >= b.end || text[j] != ' ') continue;
      uint32_t k = j;
      while (k < b.end && text[k] == ' ') ++k;
      if (k >= b.end) continue;
      const auto next = static_cast<unsigned char>(text[k]);
      const bool capital = (next >= 'A' && next <= 'Z') || next == '"' || next >= 0x80 || (next >= '0' && next <= '9');
      // "Mr. Kim", "U.S. Army": a single capital or title before the dot is no sentence end.
      const bool abbreviation =
          ch == '.' && i >= 2 && (text[i - 2] == '.' || text[i - 2] == ' ') && text[i - 1] >= 'A' && text[i - 1] <= 'Z';
      // A terminator right before a closing mark ends the quote and the sentence.
      const bool closes_quote = j > i + 1;
      if (capital && !abbreviation && (closes_quote || !c->InsideQuote(i))) c->sentence_starts.push_back(k);
    }
  }
  std::sort(c->sentence_starts.begin(), c->sentence_starts.end());
}

// How many entities a reference ("he", "the paper", "the premier") looks back
// over: bounds the cost per reference.
constexpr size_t kLookBack = 64;

// Places that speak for a government when they are a sentence's subject
// ("North Korea said", "Washington has said").
constexpr std::array<std::string_view, 12> kSpeakingPlaces = {
    "dprk", "rok", "us", "china", "russia", "japan", "pyongyang", "seoul", "washington", "beijing", "moscow", "tokyo"};

struct Speaker {
  std::string id, text;
  bool outlet = false;
  uint32_t at = 0;
  uint32_t end = 0;  // end of the mention; 0: unknown (then `at` stands for it)
  // A place that speaks only through the unnamed people or body it owns
  // ("North Korea's officials said"): a source named with "according to"
  // in the same sentence outranks it.
  bool through_possessive = false;
};

Speaker FromEntity(const Context& c, const Span& e) {
  return Speaker{e.key, std::string(c.doc.SpanText(e)), e.label == "outlet", e.begin, e.end};
}

bool IsStateOutlet(std::string_view id) {
  if (id == kStateMediaId) return true;
  const Outlet* outlet = FindOutletByName(id);
  return outlet != nullptr && outlet->state_media;
}

// Index of the first token that begins at or after `pos`.
size_t TokenAt(const Context& c, uint32_t pos) {
  return static_cast<size_t>(std::lower_bound(c.tokens.begin(), c.tokens.end(), pos,
                                              [](const NameToken& tok, uint32_t p) { return tok.begin < p; }) -
                             c.tokens.begin());
}

bool IsObjectMention(const Context& c, uint32_t begin, uint32_t end);

// A person, an outlet or a body that is no object ("but the Joint Chiefs of
// Staff said") starts at `pos`: another possible subject. A place, or a name
// after "of" ("Kim, director of the WPK Central Committee, said", "Kim Yo
// Jong, the sister of Kim Jong Un, said"), may sit in an apposition.
bool StartsSpeakerEntity(const Context& c, uint32_t pos) {
  const auto e = std::lower_bound(c.entities.begin(), c.entities.end(), pos,
                                  [](const Span& x, uint32_t p) { return x.begin < p; });
  if (e == c.entities.end() || e->begin != pos || e->label == "place") return false;
  return !IsObjectMention(c, e->begin, e->end);
}

// True when the mention [begin, end) is an object or a possessor rather than
// a possible speaker: "of Kim Jong Un", "called Kim Jong Un", "Kim Il Sung's
// 100th birthday", "told Lavrov", "his uncle Jang" is not (a kinship noun
// breaks the chain).
bool IsObjectMention(const Context& c, uint32_t begin, uint32_t end) {
  const std::string_view after = c.Text(end, std::min<uint32_t>(end + 4, static_cast<uint32_t>(c.doc.text.size())));
  if (after.substr(0, 2) == "'s" || after.substr(0, 4) == "\xE2\x80\x99s") return true;
  size_t t = TokenAt(c, begin);
  for (int k = 0; k < 4 && t > 0 && t < c.tokens.size(); ++k, --t) {
    if (!c.tokens[t].joined || c.tokens[t].sentence_start) return false;
    const NameToken& previous = c.tokens[t - 1];
    if (previous.end - previous.begin > 10) return false;
    const std::string word = c.Lower(previous);
    if (Contains(kObjectMarkers, word)) {
      const bool spokes = (word == "of" || word == "for") && t >= 2 && c.tokens[t - 1].joined &&
                          Contains(kSpokesWords, c.Lower(c.tokens[t - 2]));
      return !spokes;
    }
    // Capitalized titles and a few lowercase modifiers ("of the ruling
    // Workers' Party") may stand between; any other word ends the walk
    // ("Joint Chiefs of Staff chairman Jung said").
    if (!Contains(kBeforeNameFillers, word) && !previous.capitalized) return false;
  }
  return false;
}

bool IsSpeechOrFrameVerb(const Context& c, const NameToken& t) {
  if (!t.lower || t.end - t.begin > 10) return false;
  const std::string word = c.Lower(t);
  return IsSpeechVerb(word) || Contains(kFrameVerbs, word);
}

// True when a speech or frame verb has the mention [begin, end) as subject:
// one follows within 24 words of its sentence, before any quote or other
// name ("Lee, a professor at Yonsei University, said"), or one stands right
// before it ("said Lee", "said North Korean leader Kim").
bool MentionSpeaks(const Context& c, uint32_t begin, uint32_t end) {
  const uint32_t sentence_end = c.SentenceEnd(begin);
  size_t t = TokenAt(c, end);
  for (int k = 0; k < 24 && t < c.tokens.size() && c.tokens[t].begin < sentence_end; ++k, ++t) {
    if (c.InsideQuote(c.tokens[t].begin) || StartsSpeakerEntity(c, c.tokens[t].begin)) break;
    if (IsSpeechOrFrameVerb(c, c.tokens[t])) return true;
  }
  size_t b = TokenAt(c, begin);
  for (int k = 0; k < 5 && b > 0 && !c.tokens[b].sentence_start; ++k) {
    --b;
    // Inverted only after a quote or comma (", said Lee"); "KCNA said leader
    // Kim presided" opens a clause.
    if (IsSpeechOrFrameVerb(c, c.tokens[b])) return !c.tokens[b].joined || c.tokens[b].sentence_start;
    if (!c.tokens[b].capitalized && !Contains(kBeforeNameFillers, c.Lower(c.tokens[b]))) break;
  }
  return false;
}

// "state media", "state television" in [begin, end), outside quotes: the
// unnamed state outlet.
std::optional<Speaker> StateMediaIn(const Context& c, uint32_t begin, uint32_t end) {
  for (size_t t = TokenAt(c, begin); t + 1 < c.tokens.size() && c.tokens[t + 1].begin < end; ++t) {
    if (!c.tokens[t + 1].joined || c.InsideQuote(c.tokens[t].begin)) continue;
    for (const auto& [first, second] : kStateMediaPhrases) {
      if (c.Is(c.tokens[t], first) && c.Is(c.tokens[t + 1], second)) {
        return Speaker{std::string(kStateMediaId), std::string(c.Text(c.tokens[t].begin, c.tokens[t + 1].end)), true,
                       c.tokens[t].begin, c.tokens[t + 1].end};
      }
    }
  }
  return std::nullopt;
}

// True when a "he"/"she" outside quotes lies in [begin, end).
bool PronounBetween(const Context& c, uint32_t begin, uint32_t end) {
  auto t = std::lower_bound(c.tokens.begin(), c.tokens.end(), begin,
                            [](const NameToken& tok, uint32_t p) { return tok.begin < p; });
  for (; t != c.tokens.end() && t->begin < end; ++t) {
    if (c.IsPronounToken(*t) && !c.InsideQuote(t->begin)) return true;
  }
  return false;
}

// "the news agency", "the paper", "the editorial" in [begin, end): the
// nearest outlet named before `begin`, if any.
std::optional<Speaker> OutletAnaphor(const Context& c, uint32_t begin, uint32_t end) {
  auto t = std::lower_bound(c.tokens.begin(), c.tokens.end(), begin,
                            [](const NameToken& tok, uint32_t p) { return tok.begin < p; });
  for (; t != c.tokens.end() && t->begin < end; ++t) {
    if (!t->lower || t->end - t->begin > 10 || !Contains(kOutletAnaphors, c.Lower(*t))) continue;
    if (t == c.tokens.begin()) continue;
    const bool after_news = c.Is(*(t - 1), "news");
    if (!c.Is(*(t - 1), "the") && !after_news) continue;
    // The nearest outlet before `begin`, looking back over a bounded number of entities.
    const auto first_after = std::lower_bound(c.entities.begin(), c.entities.end(), begin,
                                              [](const Span& e, uint32_t p) { return e.begin < p; });
    for (size_t n = static_cast<size_t>(first_after - c.entities.begin()), seen = 0; n-- > 0 && seen < kLookBack;
         ++seen) {
      const Span& e = c.entities[n];
      if (e.label == "outlet") {
        return Speaker{e.key, std::string(c.Text((after_news ? t - 2 : t - 1)->begin, t->end)), true, t->begin, t->end};
      }
    }
  }
  return std::nullopt;
}

// A name followed by "'s" or right after "late" or a kinship word ("his
// grandfather Kim Il Sung", "the late Kim Jong Il").
bool IsPossessiveOrAside(const Context& c, const Span& e) {
  const std::string_view after = c.Text(e.end, std::min<uint32_t>(e.end + 4, static_cast<uint32_t>(c.doc.text.size())));
  if (after.substr(0, 2) == "'s" || after.substr(0, 4) == "\xE2\x80\x99s") return true;
  size_t t = TokenAt(c, e.begin);
  for (int k = 0; k < 2 && t > 0 && t < c.tokens.size() && c.tokens[t].joined && !c.tokens[t].sentence_start;
       ++k, --t) {
    const NameToken& previous = c.tokens[t - 1];
    if (previous.end - previous.begin <= 12 && Contains(kAsideWords, c.Lower(previous))) return true;
  }
  return false;
}

// The person a pronoun at `pos` refers to: the nearest preceding person
// entity that is the first person of its sentence.
std::optional<Speaker> ResolvePronoun(const Context& c, uint32_t pos, bool by_gender = true) {
  const bool she = c.Text(pos, std::min<uint32_t>(pos + 3, static_cast<uint32_t>(c.doc.text.size()))).size() == 3 &&
                   (c.doc.text[pos] == 's' || c.doc.text[pos] == 'S');
  std::optional<Speaker> fallback;
  const auto first_after = std::lower_bound(c.entities.begin(), c.entities.end(), pos,
                                            [](const Span& e, uint32_t p) { return e.begin < p; });
  for (size_t n = static_cast<size_t>(first_after - c.entities.begin()), seen = 0; n-- > 0 && seen < kLookBack;
       ++seen) {
    const Span& e = c.entities[n];
    if (e.label != "person" || c.InsideQuote(e.begin)) continue;
    // Gender from the text ("his sister", "Ms"): "he" is no woman; "she" is
    // the nearest woman, else (the gazetteer has no gender) the nearest person.
    const bool female = std::binary_search(c.female.begin(), c.female.end(), e.key);
    if (by_gender && !she && female) continue;
    if (by_gender && she && !female) continue;
    // Never into a possessive or a historical aside ("his grandfather Kim Il
    // Sung's birthday", "the late leader").
    if (IsPossessiveOrAside(c, e)) continue;
    const uint32_t sentence = c.SentenceStart(e.begin);
    bool first_in_sentence = !PronounBetween(c, sentence, e.begin);
    for (size_t m = n; first_in_sentence && m-- > 0;) {
      if (c.entities[m].begin < sentence) break;
      if (c.entities[m].label == "person") first_in_sentence = false;
    }
    if (!fallback) fallback = FromEntity(c, e);
    if (first_in_sentence) return FromEntity(c, e);
  }
  if (!fallback && she && by_gender) return ResolvePronoun(c, pos, false);
  return fallback;
}

// "the premier", "the minister": the nearest person before `pos` whose role
// names that title. `t` is the token of the title word, after "the".
std::optional<Speaker> ResolveTitle(const Context& c, std::vector<NameToken>::const_iterator t) {
  const uint32_t length = t->end - t->begin;
  if (!t->lower || length < 5 || length > 11 || t == c.tokens.begin() || !c.Is(*(t - 1), "the")) return std::nullopt;
  const std::string title = c.Lower(*t);
  if (!lexicon::IsTitleHead(title)) return std::nullopt;
  const auto first_after = std::lower_bound(c.entities.begin(), c.entities.end(), t->begin,
                                            [](const Span& e, uint32_t p) { return e.begin < p; });
  for (size_t n = static_cast<size_t>(first_after - c.entities.begin()), seen = 0; n-- > 0 && seen < kLookBack;
       ++seen) {
    const Span& e = c.entities[n];
    if (e.label != "person" || c.InsideQuote(e.begin)) continue;
    if (AsciiLower(e.Attr("role")).find(title) != std::string::npos) {
      return Speaker{e.key, std::string(c.Text((t - 1)->begin, t->end)), false, (t - 1)->begin, t->end};
    }
  }
  return std::nullopt;
}

// The first entity of the sentence starting at `sentence` if it is a place
// that speaks for a government ("North Korea on Sunday accused ...").
std::optional<Speaker> SpeakingPlace(const Context& c, uint32_t sentence, uint32_t end) {
  auto e = std::lower_bound(c.entities.begin(), c.entities.end(), sentence,
                            [](const Span& x, uint32_t p) { return x.begin < p; });
  for (int seen = 0; e != c.entities.end() && e->begin < end && seen < 6; ++e, ++seen) {
    if (e->label != "place" || !Contains(kSpeakingPlaces, e->key) || c.InsideQuote(e->begin)) continue;
    if (IsObjectMention(c, e->begin, e->end)) {
      // "Japan's Defense Ministry said" speaks for Japan; "North Korea's Kim" does not.
      const auto next = e + 1;
      const bool possessive_body =
          (e->end + 1 < c.doc.text.size() && c.doc.text[e->end] == '\'') ||
          c.Text(e->end, std::min<uint32_t>(e->end + 3, static_cast<uint32_t>(c.doc.text.size()))) == "\xE2\x80\x99";
      const bool before_person = next != c.entities.end() && next->label == "person" && next->begin <= e->end + 5;
      if (!possessive_body || before_person || !MentionSpeaks(c, e->begin, e->end)) continue;
      // "North Korea's state media called ...": the media speak, not the country.
      const uint32_t after_possessive = e->end + 5;
      if (std::optional<Speaker> media = StateMediaIn(c, e->end, std::min(after_possessive + 20, end));
          media && media->at <= after_possessive) {
        return media;
      }
      Speaker place = FromEntity(c, *e);
      // "South Korea's military said": the body the possessive names.
      if (const std::string_view body = e->Attr("body"); !body.empty()) {
        place.id = std::string(body);
        size_t last = TokenAt(c, e->end);
        if (last + 1 < c.tokens.size() && c.tokens[last + 1].joined && c.tokens[last + 1].lower &&
            !IsSpeechOrFrameVerb(c, c.tokens[last + 1])) {
          ++last;  // "foreign ministry"
        }
        if (last < c.tokens.size()) place.text = std::string(c.Text(e->begin, c.tokens[last].end));
        return place;
      }
      place.through_possessive = true;
      return place;
    }
    if (seen == 0 || MentionSpeaks(c, e->begin, e->end)) return FromEntity(c, *e);
  }
  return std::nullopt;
}

// The body an "it" that speaks refers to ("..., it said", "It also warned"):
// the nearest earlier organization, outlet or speaking place that was a
// speaker itself (the subject of a speech verb or the first name of its
// sentence), outside quotes and not an object.
std::optional<Speaker> ResolveIt(const Context& c, uint32_t pos) {
  const auto first_after = std::lower_bound(c.entities.begin(), c.entities.end(), pos,
                                            [](const Span& e, uint32_t p) { return e.begin < p; });
  for (size_t n = static_cast<size_t>(first_after - c.entities.begin()), seen = 0; n-- > 0 && seen < kLookBack;
       ++seen) {
    const Span& e = c.entities[n];
    if (e.label == "person") break;  // a person in between: only the last quoted body may be meant
    const bool body =
        e.label == "org" || e.label == "outlet" || (e.label == "place" && Contains(kSpeakingPlaces, e.key));
    if (!body || c.InsideQuote(e.begin) || IsObjectMention(c, e.begin, e.end)) continue;
    if (MentionSpeaks(c, e.begin, e.end)) return FromEntity(c, e);
  }
  if (!c.last_body_speaker.empty()) return Speaker{c.last_body_speaker, "it", false, pos, pos};
  return std::nullopt;
}

// Plural nouns of people who speak for a body named after "of"/"for"
// ("Representatives of the regime", "officials of the ministry").
constexpr auto kPluralSpokesNouns =
    std::to_array<std::string_view>({"representatives", "officials", "spokespeople", "spokesmen", "delegates", "envoys",
                                     "diplomats", "leaders", "authorities", "members", "negotiators"});
// "the regime", "the North Korean regime", "the Pyongyang regime": in news
// on the DPRK, its government. Words that make it another one's ("the South
// Korean regime", "the Yoon regime" are skipped by checking for "South").
constexpr std::string_view kRegimeWord = "regime";
constexpr std::string_view kDprkId = "dprk";

// The body a phrase at token `t` names: an org, outlet or speaking place
// entity starting there, or "the [...] regime" (not "South ...").
std::optional<Speaker> BodyAt(const Context& c, size_t t) {
  if (t >= c.tokens.size()) return std::nullopt;
  size_t k = t;
  if (c.Is(c.tokens[k], "the")) ++k;
  if (k >= c.tokens.size()) return std::nullopt;
  const auto e = std::lower_bound(c.entities.begin(), c.entities.end(), c.tokens[k].begin,
                                  [](const Span& x, uint32_t p) { return x.begin < p; });
  if (e != c.entities.end() && e->begin == c.tokens[k].begin &&
      (e->label == "org" || e->label == "outlet" || (e->label == "place" && Contains(kSpeakingPlaces, e->key)))) {
    return FromEntity(c, *e);
  }
  for (size_t m = k; m < c.tokens.size() && m <= k + 3; ++m) {
    if (m > k && !c.tokens[m].joined) break;
    if (c.Is(c.tokens[m], "south")) break;
    if (c.Is(c.tokens[m], kRegimeWord)) {
      return Speaker{std::string(kDprkId), std::string(c.Text(c.tokens[t].begin, c.tokens[m].end)), false,
                     c.tokens[t].begin, c.tokens[m].end};
    }
    if (m > k && !c.tokens[m].capitalized) break;  // only names before "regime" ("the North Korean regime")
  }
  return std::nullopt;
}

// The antecedent of a plural "they" that speaks at token `they`: the subject
// of one of the three sentences before it (in its block or the one before)
// that is a body, or people who speak for one ("Representatives of the
// regime ... . So far they have spoken of '...'"). A person is never the
// antecedent of "they".
std::optional<Speaker> ResolvePlural(const Context& c, size_t they) {
  const uint32_t pos = c.tokens[they].begin;
  const size_t block = c.BlockOf(pos);
  const uint32_t from = c.blocks[block > 0 ? block - 1 : 0].begin;
  uint32_t sentence = c.SentenceStart(pos);
  for (int back = 0; back < 3 && sentence > from; ++back) {
    sentence = c.SentenceStart(sentence - 1);
    size_t t = TokenAt(c, sentence);
    if (t >= c.tokens.size() || c.InsideQuote(c.tokens[t].begin)) continue;
    if (c.Is(c.tokens[t], "the") || c.Is(c.tokens[t], "some") || c.Is(c.tokens[t], "senior")) ++t;
    if (t + 2 < c.tokens.size() && c.tokens[t].end - c.tokens[t].begin <= 16 &&
        Contains(kPluralSpokesNouns, c.Lower(c.tokens[t])) &&
        (c.Is(c.tokens[t + 1], "of") || c.Is(c.tokens[t + 1], "for"))) {
      if (std::optional<Speaker> body = BodyAt(c, t + 2)) return body;
    }
    if (std::optional<Speaker> body = BodyAt(c, TokenAt(c, sentence))) {
      if (!IsObjectMention(c, body->at, body->end) && MentionSpeaks(c, body->at, body->end)) return body;
    }
  }
  return std::nullopt;
}

// "the General Staff said": a short form, "the" and capitalized words that
// are no entity, of a body named earlier in full ("The General Staff of the
// Korean People's Army"). `t` is the token of "the".
std::optional<Speaker> ResolveShortName(const Context& c, std::vector<NameToken>::const_iterator t) {
  if (!c.Is(*t, "the")) return std::nullopt;
  auto last = t + 1;
  if (last == c.tokens.end() || !last->joined || !last->capitalized || StartsSpeakerEntity(c, last->begin)) {
    return std::nullopt;
  }
  const auto at = std::lower_bound(c.entities.begin(), c.entities.end(), last->begin,
                                   [](const Span& e, uint32_t p) { return e.begin < p; });
  if (at != c.entities.end() && at->begin == last->begin) return std::nullopt;  // a known name already
  while (last + 1 != c.tokens.end() && (last + 1)->joined && (last + 1)->capitalized && last - t < 3) ++last;
  const std::string_view words = c.Text((t + 1)->begin, last->end);
  for (size_t n = static_cast<size_t>(at - c.entities.begin()), seen = 0; n-- > 0 && seen < kLookBack; ++seen) {
    const Span& e = c.entities[n];
    if (e.label != "org") continue;
    // The full name as written may start before the entity ("The General Staff of the KPA").
    const uint32_t from = e.begin >= words.size() + 8 ? e.begin - static_cast<uint32_t>(words.size()) - 8 : 0;
    const std::string_view around = c.Text(from, e.end);
    if (around.find(words) != std::string_view::npos) {
      return Speaker{e.key, std::string(c.Text(t->begin, last->end)), false, t->begin, last->end};
    }
  }
  return std::nullopt;
}

// First person or pronoun in [begin, end) outside quotes, and the first outlet.
void ScanRegion(const Context& c, uint32_t begin, uint32_t end, std::optional<Speaker>* person,
                std::optional<Speaker>* outlet, std::optional<Speaker>* org = nullptr) {
  if (begin >= end) return;
  auto e = std::lower_bound(c.entities.begin(), c.entities.end(), begin,
                            [](const Span& s, uint32_t p) { return s.begin < p; });
  std::optional<Speaker> first_entity_person;
  for (; e != c.entities.end() && e->begin < end; ++e) {
    if (c.InsideQuote(e->begin)) continue;
    // The originating state outlet beats a foreign relay ("Yonhap reported, citing KCNA").
    if (e->label == "outlet" && (!*outlet || (!IsStateOutlet((*outlet)->id) && IsStateOutlet(e->key)))) {
      *outlet = FromEntity(c, *e);
    }
    if ((e->label == "person" || e->label == "org") && IsObjectMention(c, e->begin, e->end)) continue;
    if (e->label == "person" && !first_entity_person) first_entity_person = FromEntity(c, *e);
    if (org && e->label == "org" && !*org) *org = FromEntity(c, *e);
  }
  if (!*outlet) *outlet = OutletAnaphor(c, begin, end);
  if (!*outlet) *outlet = StateMediaIn(c, begin, end);
  auto t = std::lower_bound(c.tokens.begin(), c.tokens.end(), begin,
                            [](const NameToken& tok, uint32_t p) { return tok.begin < p; });
  for (; t != c.tokens.end() && t->begin < end; ++t) {
    if (first_entity_person && t->begin > first_entity_person->at) break;
    if (c.InsideQuote(t->begin)) continue;
    if (c.IsPronounToken(*t)) {
      std::optional<Speaker> resolved = ResolvePronoun(c, t->begin);
      if (resolved) {
        resolved->text = std::string(c.Text(t->begin, t->end));
        resolved->at = t->begin;
        resolved->end = t->end;
        *person = resolved;
        return;
      }
    }
    if (std::optional<Speaker> titled = ResolveTitle(c, t)) {
      *person = titled;
      return;
    }
    if (org != nullptr && !*org && c.Is(*t, "the")) {
      std::optional<Speaker> body = ResolveShortName(c, t);
      if (body && MentionSpeaks(c, body->at, body->end)) *org = body;
    }
    // "they have spoken of '...'": a body, never a person.
    if (org != nullptr && !*org && c.Is(*t, "they") && MentionSpeaks(c, t->begin, t->end)) {
      if (std::optional<Speaker> body = ResolvePlural(c, static_cast<size_t>(t - c.tokens.begin()))) {
        body->text = std::string(c.Text(t->begin, t->end));
        body->at = t->begin;
        body->end = t->end;
        *org = body;
      }
    }
    if (org != nullptr && !*org && c.Is(*t, "it") && MentionSpeaks(c, t->begin, t->end)) {
      if (std::optional<Speaker> body = ResolveIt(c, t->begin)) {
        body->text = std::string(c.Text(t->begin, t->end));
        body->at = t->begin;
        body->end = t->end;
        if (body->outlet) {
          if (!*outlet) *outlet = body;
        } else {
          *org = body;
        }
      }
    }
  }
  if (first_entity_person) *person = first_entity_person;
}

struct Attribution {
  std::string speaker, speaker_text, channel;
  bool found = false;
  bool narrated = false;  // the speaker is a name near the quote without a speech verb of its own
  bool body = false;      // the speaker is an organization, outlet or place, not a person
  bool spoke = false;     // the speaker is the subject of a speech verb or frame of the quote's sentence
};

// True when the outlet mention at `s` follows "according to" ("according to
// the state-run Korean Central News Agency").
bool AfterAccordingTo(const Context& c, const Speaker& s) {
  size_t t = TokenAt(c, s.at);
  for (int k = 0; k < 5 && t > 1 && c.tokens[t].joined && !c.tokens[t].sentence_start; ++k, --t) {
    const NameToken& previous = c.tokens[t - 1];
    if (c.Is(previous, "to")) return c.Is(c.tokens[t - 2], "according");
    if (!previous.capitalized && !Contains(kBeforeNameFillers, c.Lower(previous)) && !c.Is(previous, "state-owned")) {
      return false;
    }
  }
  return false;
}

Attribution Attribute(const Context& c, uint32_t before_begin, uint32_t before_end, uint32_t after_begin,
                      uint32_t after_end) {
  std::optional<Speaker> after_person, after_outlet, after_org, before_person, before_outlet, before_org;
  ScanRegion(c, after_begin, after_end, &after_person, &after_outlet, &after_org);
  ScanRegion(c, before_begin, before_end, &before_person, &before_outlet, &before_org);
  Attribution a;
  const std::optional<Speaker>& outlet = after_outlet ? after_outlet : before_outlet;
  if (outlet) a.channel = outlet->id;
  // The speaker is the subject of a speech verb or frame ("Lee, a
  // professor, said", "said the report", "KCNA called Kim Jong Un ..."): a
  // person or body that speaks comes first, then a place that is the
  // sentence's subject ("North Korea on Sunday accused ..."), then the outlet
  // that narrates ("Kim 'expressed great satisfaction', KCNA said"); only
  // then a person or body named near the quote without a verb of its own.
  for (std::optional<Speaker>* after : {&after_person, &after_org}) {
    if (!*after) continue;
    for (size_t t = TokenAt(c, after_begin); t < c.tokens.size() && c.tokens[t].begin < (*after)->at; ++t) {
      if (c.tokens[t].lower && Contains(kClauseConjunctions, c.Lower(c.tokens[t]))) {
        after->reset();
        break;
      }
    }
  }
  const auto speaks = [&](const std::optional<Speaker>& s) {
    return s && MentionSpeaks(c, s->at, s->end != 0 ? s->end : s->at + 1);
  };
  const std::optional<Speaker>* chosen = nullptr;
  for (const std::optional<Speaker>* candidate : {&after_person, &before_person, &after_org, &before_org}) {
    if (speaks(*candidate)) {
      chosen = candidate;
      break;
    }
  }
  std::optional<Speaker> place;
  if (chosen == nullptr) place = SpeakingPlace(c, before_begin, before_end);
  // "North Korea's officials called for '...', according to KCNA": the
  // source named with "according to" outranks a place speaking through
  // people it does not name.
  if (place && place->through_possessive && outlet && AfterAccordingTo(c, *outlet)) place.reset();
  if (chosen == nullptr && !place && !outlet) {
    chosen = after_person ? &after_person : before_person ? &before_person : after_org ? &after_org : nullptr;
  }
  if (chosen != nullptr) {
    a.speaker = (*chosen)->id;
    a.speaker_text = (*chosen)->text;
    a.found = true;
    a.narrated = !speaks(*chosen);
    a.spoke = !a.narrated;
    a.body = chosen == &after_org || chosen == &before_org;
  } else if (place) {
    a.speaker = place->id;
    a.speaker_text = place->text;
    a.found = a.body = true;
    a.spoke = MentionSpeaks(c, place->at, place->end != 0 ? place->end : place->at + 1);
  } else if (outlet) {
    a.speaker = outlet->id;
    a.speaker_text = outlet->text;
    a.found = a.body = true;
    a.spoke = speaks(outlet) || AfterAccordingTo(c, *outlet);
  }
  return a;
}

Span MakeQuote(const Context& c, uint32_t begin, uint32_t end, std::string_view label, const Attribution& a) {
  Span span;
  span.begin = begin;
  span.end = end;
  span.kind = SpanKind::kQuote;
  span.label = std::string(label);
  span.attrs = {{"speaker", a.speaker}, {"speaker_text", a.speaker_text}, {"channel", a.channel}};
  const std::string insertions = Insertions(c.Text(begin, end));
  if (!insertions.empty()) span.attrs.emplace_back("insertions", insertions);
  return span;
}

// The words right before `pos` in its sentence, trimmed ("... a letter titled,").
std::string_view Before(const Context& c, uint32_t pos) {
  const uint32_t sentence = c.SentenceStart(pos);
  return TrimAscii(c.Text(sentence, pos));
}

bool EndsWithWord(std::string_view s, std::string_view word) {
  while (!s.empty() && (s.back() == ',' || s.back() == ' ' || s.back() == ':')) s.remove_suffix(1);
  if (s.size() < word.size()) return false;
  const std::string tail = AsciiLower(s.substr(s.size() - word.size()));
  return tail == word &&
         (s.size() == word.size() || !IsLetter(static_cast<unsigned char>(s[s.size() - word.size() - 1])));
}

// The state outlet that carries the paragraph of `pos`: the last one named
// (outside quotes) before `pos` in its block or (with `from_block_before`)
// the block before ("according to KCNA" said once governs the quotes that
// follow). Empty if none.
std::string CarryingStateOutlet(const Context& c, uint32_t pos, bool from_block_before = true) {
  const size_t block = c.BlockOf(pos);
  const uint32_t from = c.blocks[block > 0 && from_block_before ? block - 1 : block].begin;
  const auto first_after = std::lower_bound(c.entities.begin(), c.entities.end(), pos,
                                            [](const Span& e, uint32_t p) { return e.begin < p; });
  for (size_t n = static_cast<size_t>(first_after - c.entities.begin()), seen = 0; n-- > 0 && seen < kLookBack;
       ++seen) {
    const Span& e = c.entities[n];
    if (e.begin < from) break;
    if (e.label != "outlet" || c.InsideQuote(e.begin)) continue;
    if (IsStateOutlet(e.key)) return e.key;
  }
  if (std::optional<Speaker> described = StateMediaIn(c, from, pos)) return described->id;
  return "";
}

// True when the quote closing at `close` is followed by a gloss: ", or ..."
// or " (...)" with a lowercase word.
bool IsGlossed(const Context& c, uint32_t close) {
  const std::string& text = c.doc.text;
  uint32_t i = close;
  while (i < text.size() && (text[i] == '"' || text[i] == '\'')) ++i;
  if (c.Text(i, std::min<uint32_t>(i + 3, static_cast<uint32_t>(text.size()))) == kCloseDouble ||
      c.Text(i, std::min<uint32_t>(i + 3, static_cast<uint32_t>(text.size()))) == kCloseSingle) {
    i += 3;
  }
  const std::string_view rest = c.Text(i, std::min<uint32_t>(i + 6, static_cast<uint32_t>(text.size())));
  if (rest.substr(0, 5) == ", or ") return true;
  if (rest.substr(0, 2) == " (" && rest.size() > 2 && rest[2] >= 'a' && rest[2] <= 'z') return true;
  return false;
}

// True when [begin, end) has, outside quotes, a speech verb or frame
// ("said", "called", "according to") or names an outlet.
bool SentenceAttributes(const Context& c, uint32_t begin, uint32_t end) {
  for (size_t t = TokenAt(c, begin); t < c.tokens.size() && c.tokens[t].begin < end; ++t) {
    if (c.InsideQuote(c.tokens[t].begin)) continue;
    // A passive verb names no speaker ("the vision of 'juche' was stressed").
    const bool passive = t > 0 && c.tokens[t].joined && Contains(kPassiveAuxiliaries, c.Lower(c.tokens[t - 1]));
    if (!passive && IsSpeechOrFrameVerb(c, c.tokens[t])) return true;
    if (c.Is(c.tokens[t], "according") || c.Is(c.tokens[t], "says")) return true;
  }
  auto e = std::lower_bound(c.entities.begin(), c.entities.end(), begin,
                            [](const Span& x, uint32_t p) { return x.begin < p; });
  for (; e != c.entities.end() && e->begin < end; ++e) {
    if (e->label == "outlet" && !c.InsideQuote(e->begin)) return true;
  }
  return StateMediaIn(c, begin, end).has_value();
}

// A state outlet named (outside quotes) after `pos` in its paragraph
// ("'...,' he said. The Rodong Sinmun reported that Kim ..."). Empty if none.
std::string StateOutletLaterInBlock(const Context& c, uint32_t pos) {
  const uint32_t end = c.blocks[c.BlockOf(pos)].end;
  auto e = std::lower_bound(c.entities.begin(), c.entities.end(), pos,
                            [](const Span& x, uint32_t p) { return x.begin < p; });
  for (size_t seen = 0; e != c.entities.end() && e->begin < end && seen < kLookBack; ++e, ++seen) {
    if (e->label == "outlet" && !c.InsideQuote(e->begin) && IsStateOutlet(e->key)) return e->key;
  }
  return "";
}

// True when the quote's block is a short line in title case outside the
// quote: a headline, where capitals say nothing of the quote.
bool InTitleCasedLine(const Context& c, const Segment& s) {
  const Block& b = c.blocks[s.block];
  if (CountWords(c.Text(b.begin, b.end)) > 20) return false;
  std::string outside(c.Text(b.begin, s.open));
  outside.push_back(' ');
  outside.append(c.Text(s.close, b.end));
  return LooksLikeTitle(outside);
}

// True when the quote ends with a comma and a speech verb follows within a
// few words ('"The decision was issued by the Central Committee," KCNA
// announced'): speech, however many capitals it has.
bool SaidAfterComma(const Context& c, const Segment& s) {
  if (!s.closed || s.close == 0) return false;
  const std::string_view inside = TrimAscii(c.Text(s.begin, s.close));
  if (inside.empty() || inside.back() != ',') return false;
  size_t t = TokenAt(c, s.close);
  for (int k = 0; k < 6 && t < c.tokens.size() && c.tokens[t].begin < c.blocks[s.block].end; ++k, ++t) {
    if (IsSpeechOrFrameVerb(c, c.tokens[t])) return true;
  }
  return false;
}

// Participles that follow the name of a broadcast or document ("a 'crucial
// report' broadcast at noon", "an 'important announcement' made by").
constexpr auto kIssuedWords = std::to_array<std::string_view>(
    {"broadcast", "made", "issued", "released", "aired", "published", "adopted", "carried", "delivered"});

// True when the quote `s` stands between "a"/"an" and such a participle.
bool NamesADocument(const Context& c, const Segment& s) {
  const size_t first = TokenAt(c, s.open);
  if (first == 0) return false;
  const NameToken& article = c.tokens[first - 1];
  if (!c.Is(article, "a") && !c.Is(article, "an")) return false;
  size_t after = TokenAt(c, s.close);
  if (after >= c.tokens.size() || c.blocks[s.block].end <= c.tokens[after].begin) return false;
  const std::string_view gap = c.Text(s.close, c.tokens[after].begin);
  if (gap.find(',') != std::string_view::npos || gap.find('.') != std::string_view::npos) return false;
  return c.tokens[after].lower && Contains(kIssuedWords, c.Lower(c.tokens[after]));
}

// True when only closing marks and a comma follow the quote `s` in its
// block, and another block follows.
bool EndsBlockWithComma(const Context& c, const Segment& s) {
  if (s.block + 1 >= c.blocks.size()) return false;
  const std::string_view rest = TrimAscii(c.Text(s.close, c.blocks[s.block].end));
  return !rest.empty() && rest.back() == ',' &&
         rest.find_first_not_of(",\"'\xE2\x80\x9D\x99") == std::string_view::npos;
}

// A kTerm span over the words of `s`.
Span MakeTerm(const Segment& s, std::string_view why) {
  Span span;
  span.begin = s.begin;
  span.end = s.end;
  span.kind = SpanKind::kTerm;
  span.label = std::string(why);
  return span;
}

// The speaker of the previous sentence of the block of `pos`, when that
// sentence reports speech ("State media said it launched a missile. It is
// a 'new type' of ..."): the subject of its first speech verb outside quotes.
std::optional<Attribution> PreviousSentenceSpeaker(const Context& c, uint32_t pos);

// Documents that speak for their author ("the statement said", "the
// ultimatum warned").
constexpr auto kDocumentNouns = std::to_array<std::string_view>(
    {"statement", "ultimatum", "letter", "message", "commentary", "editorial", "communique", "declaration",
     "resolution", "announcement", "speech", "address", "dispatch", "notice", "decree", "warning", "appeal"});

// "The ultimatum said, '...'": a document that speaks, introduced earlier
// ("In an open letter of ultimatum from the KPA, KCNA said"). Its author is
// the person or body after "from"/"by" in the sentence that introduced it,
// its channel the outlet named there; looks back at most 4 KB.
std::optional<Attribution> DocumentAnaphor(const Context& c, uint32_t begin, uint32_t end) {
  for (size_t t = TokenAt(c, begin); t + 2 < c.tokens.size() && c.tokens[t + 1].begin < end; ++t) {
    if (!c.Is(c.tokens[t], "the") || c.InsideQuote(c.tokens[t].begin)) continue;
    const NameToken& noun = c.tokens[t + 1];
    if (!noun.lower || noun.end - noun.begin > 12 || !Contains(kDocumentNouns, c.Lower(noun))) continue;
    if (!IsSpeechOrFrameVerb(c, c.tokens[t + 2])) continue;
    const std::string word = c.Lower(noun);
    for (size_t k = t; k-- > 0 && c.tokens[k].begin + 4096 > noun.begin;) {
      if (!c.Is(c.tokens[k], word)) continue;
      const uint32_t sentence = c.SentenceStart(c.tokens[k].begin);
      const uint32_t sentence_end = c.SentenceEnd(c.tokens[k].begin);
      std::optional<Speaker> person, outlet;
      ScanRegion(c, sentence, sentence_end, &person, &outlet);
      if (!outlet) continue;
      Attribution a;
      a.found = a.spoke = true;
      a.channel = outlet->id;
      // The author: a name right after "from"/"by" following the mention.
      for (size_t m = k + 1; m + 1 < c.tokens.size() && m <= k + 4 && c.tokens[m].begin < sentence_end; ++m) {
        if (!c.Is(c.tokens[m], "from") && !c.Is(c.tokens[m], "by")) continue;
        const auto e = std::lower_bound(c.entities.begin(), c.entities.end(), c.tokens[m].end,
                                        [](const Span& x, uint32_t p) { return x.begin < p; });
        if (e != c.entities.end() && e->begin < c.tokens[m].end + 24 && e->label != "place" && e->label != "outlet") {
          a.speaker = e->key;
          a.speaker_text = std::string(c.doc.SpanText(*e));
          a.body = e->label != "person";
        }
        break;
      }
      if (a.speaker.empty()) {
        a.speaker = outlet->id;
        a.speaker_text = outlet->text;
        a.body = true;
      }
      return a;
    }
    return std::nullopt;
  }
  return std::nullopt;
}

// Prepositions that open a fronted adverbial phrase ("During a visit to a
// base for '...', Kim stressed ...").
constexpr auto kFrontingPrepositions = std::to_array<std::string_view>(
    {"during", "at", "in", "on", "after", "before", "amid", "following", "while", "upon"});

// True when the quote `s` lies in a fronted adverbial phrase: its sentence
// opens with a preposition, the quote ends before the first comma of the
// sentence (a comma just inside the closing mark counts), and no speech or
// frame verb stands before it ("In a speech calling for '...'" is not one).
// The subject after the comma does not say those words: the writer (or the
// outlet that narrates) describes the scene in them.
bool InFrontedAdverbial(const Context& c, const Segment& s) {
  const uint32_t sentence = c.SentenceStart(s.open);
  const size_t first = TokenAt(c, sentence);
  if (first >= c.tokens.size() || c.tokens[first].begin >= s.open || !c.tokens[first].capitalized ||
      !Contains(kFrontingPrepositions, c.Lower(c.tokens[first]))) {
    return false;
  }
  if (c.Text(sentence, s.open).find(',') != std::string_view::npos) return false;
  for (size_t t = first; t < c.tokens.size() && c.tokens[t].begin < s.open; ++t) {
    if (IsSpeechOrFrameVerb(c, c.tokens[t])) return false;
  }
  if (!s.closed) return false;
  const std::string_view inside = TrimAscii(c.Text(s.begin, s.close));
  if (!inside.empty() && inside.back() == ',') return true;
  const size_t after = TokenAt(c, s.close);
  const uint32_t until = after < c.tokens.size() ? c.tokens[after].begin : c.blocks[s.block].end;
  return c.Text(s.close, until).find(',') != std::string_view::npos;
}

// Plural nouns of sources a report does not name ("observers say", "analysts
// said"): the README's `unnamed` speaker.
constexpr auto kUnnamedSourceNouns = std::to_array<std::string_view>(
    {"observers", "analysts", "experts", "critics", "diplomats", "sources", "witnesses", "scholars", "commentators"});
constexpr std::string_view kUnnamedId = "unnamed";

// True when the sentence of `pos` has, outside quotes, such a noun right
// before a speech verb ("observers say", "some analysts have said").
bool UnnamedSourceSpeaks(const Context& c, uint32_t pos) {
  const uint32_t sentence = c.SentenceStart(pos), end = c.SentenceEnd(pos);
  for (size_t t = TokenAt(c, sentence); t + 1 < c.tokens.size() && c.tokens[t + 1].begin < end; ++t) {
    if (!c.tokens[t].lower || !Contains(kUnnamedSourceNouns, c.Lower(c.tokens[t])) ||
        c.InsideQuote(c.tokens[t].begin)) {
      continue;
    }
    size_t v = t + 1;
    if (v + 1 < c.tokens.size() && (c.Is(c.tokens[v], "have") || c.Is(c.tokens[v], "had"))) ++v;
    if (c.tokens[v].joined && c.tokens[v].lower && IsSpeechVerb(c.Lower(c.tokens[v]))) return true;
  }
  return false;
}

// True when `e` stands in parentheses that hold a credit: a slash or " via "
// between the marks ("(KCNA/Xinhua via Zuma Press)").
bool InPhotoCredit(std::string_view text, const Span& e) {
  const size_t from = e.begin > 60 ? e.begin - 60 : 0;
  const size_t open = text.substr(from, e.begin - from).rfind('(');
  if (open == std::string_view::npos) return false;
  const size_t begin = from + open;
  const size_t close = text.find(')', e.end);
  if (close == std::string_view::npos || close > e.end + 80) return false;
  const std::string_view inside = text.substr(begin, close - begin);
  if (inside.find(')') != std::string_view::npos || inside.find('\n') != std::string_view::npos) return false;
  return inside.find('/') != std::string_view::npos || inside.find(" via ") != std::string_view::npos;
}

// True for a person id that reads as a Korean name: a known surname, then
// romanized syllables ("kim-yo-jong", "ri-yong-ho"); "joe-biden" is not.
bool KoreanNamed(std::string_view id) {
  const size_t dash = id.find('-');
  if (dash == std::string_view::npos || CanonicalSurname(id.substr(0, dash)).empty()) return false;
  for (size_t at = dash + 1; at < id.size();) {
    const size_t next = std::min(id.find('-', at), id.size());
    if (!LooksLikeKoreanSyllables(id.substr(at, next - at))) return false;
    at = next + 1;
  }
  return true;
}

void DirectAndPartial(Context& c, std::vector<Span>* out, std::vector<Span>* terms, std::vector<uint32_t>* weak_titles,
                      std::vector<uint32_t>* inferred) {
  struct GivenChannel {
    std::string speaker, channel;
    size_t block = 0;
  };
  std::vector<GivenChannel> channel_of;  // the last channel given with a speaker's words
  std::vector<std::string_view> person_ids;
  for (const Span& e : c.entities) {
    if (e.label == "person") person_ids.push_back(e.key);
  }
  std::sort(person_ids.begin(), person_ids.end());
  std::vector<std::pair<size_t, Attribution>> pending_parts;  // index into out, for multi-paragraph quotes
  Attribution previous_part, previous_quote;
  size_t previous_quote_block = 0;
  size_t part_number = 0;
  for (size_t n = 0; n < c.segments.size(); ++n) {
    Segment s = c.segments[n];
    Trim(c.doc.text, &s);
    const std::string_view words = c.Text(s.begin, s.end);
    const std::string_view before = Before(c, s.open);
    const bool multi = !s.closed || s.continues;
    // Capitals say a quote is a title, except in a headline where every
    // word has them ("Kim: North Must Prepare For “Dialogue and Confrontation”").
    const bool capitals_say_title = LooksLikeTitle(words) && !InTitleCasedLine(c, s) && !SaidAfterComma(c, s);
    if (!multi && (capitals_say_title || EndsWithWord(before, "titled") || EndsWithWord(before, "entitled") ||
                   EndsWithWord(before, "headlined"))) {
      if (terms != nullptr && !words.empty()) terms->push_back(MakeTerm(s, "title"));
      continue;
    }
    // "in a 'crucial report' broadcast at noon", "an 'important announcement'
    // made by ...": the name of a broadcast or document, not words quoted.
    if (!multi && s.closed && CountWords(words) <= 4 && NamesADocument(c, s)) {
      if (terms != nullptr && !words.empty()) terms->push_back(MakeTerm(s, "name"));
      continue;
    }
    // A term glossed right after ("juche", or self-reliance; "songun"
    // (military first)) names a policy or translates a name: not a quote.
    if (!multi && s.closed && CountWords(words) <= 3 && IsGlossed(c, s.close)) {
      if (terms != nullptr && !words.empty()) terms->push_back(MakeTerm(s, "gloss"));
      continue;
    }
    // A single quoted word is a quote when its sentence attributes words to
    // someone (a speech verb or frame, an outlet): "warned of 'annihilation'";
    // else it is a scare quote or a term.
    if (!multi && CountWords(words) < 2 &&
        !SentenceAttributes(c, c.SentenceStart(s.open), c.SentenceEnd(s.closed ? s.close : s.end))) {
      if (terms != nullptr && !words.empty()) terms->push_back(MakeTerm(s, "unattributed"));
      continue;
    }
    if (words.empty()) continue;
    const auto first = static_cast<unsigned char>(words[0]);
    const bool starts_sentence = before.empty() || before.back() == ':' || before.back() == ',';
    const bool capital = (first >= 'A' && first <= 'Z') || first == '[' || first >= 0x80 || first == '(';
    const std::string_view label = (starts_sentence && capital) || s.continues ? "direct" : "partial";
    const uint32_t sentence_begin = c.SentenceStart(s.open);
    const uint32_t after_begin = s.closed ? s.close : s.end;
    const uint32_t sentence_end = s.closed ? c.SentenceEnd(s.close) : s.close;
    const uint32_t after_sentence_end = std::min<uint32_t>(sentence_end, c.blocks[s.block].end);
    Attribution a = Attribute(c, sentence_begin, s.open, after_begin, after_sentence_end);
    // A quote that ends its block with a comma goes on in the next block (a
    // page cut into lines: '"... the army",' then 'the agency said.'): the
    // next block's first sentence may name the speaker.
    if (!a.found && s.closed && EndsBlockWithComma(c, s)) {
      const Block& next = c.blocks[s.block + 1];
      a = Attribute(c, sentence_begin, s.open, next.begin, std::min(c.SentenceEnd(next.begin), next.end));
    }
    if (s.continues && !a.found) a = previous_part;
    if (!a.found || a.narrated) {
      if (std::optional<Attribution> document = DocumentAnaphor(c, sentence_begin, after_sentence_end)) a = *document;
    }
    // A quote in a sentence that names no speaker goes on the words the
    // previous sentence of its paragraph reports ("State media said ... . It
    // is a 'new type' of missile").
    if (!a.found && !s.continues && !c.blocks[s.block].title) {
      if (std::optional<Attribution> previous = PreviousSentenceSpeaker(c, s.open)) a = *previous;
    }
    // "...," Thae said. "So I made the decision.": a direct quote without its
    // own attribution goes on the last speaker of this or the previous block;
    // a partial quote without one, on the last speaker of its block ("...,"
    // said Lee. The procession is choreographed "to make sure ...").
    if (!a.found && previous_quote.found &&
        (label == "direct" ? s.block <= previous_quote_block + 1 : s.block == previous_quote_block)) {
      a = previous_quote;
      // A foreign relay named in the paragraph before does not carry these words (see channel_of below).
      if (s.block != previous_quote_block && !IsStateOutlet(a.channel)) a.channel.clear();
    }
    // "Observers say ... a 'two-state' ...": a source the report does not
    // name, whose words no outlet carries.
    const bool unnamed = !a.found && !s.continues && UnnamedSourceSpeaks(c, s.open);
    if (unnamed) {
      a.found = true;
      a.speaker = kUnnamedId;
      a.speaker_text.clear();
    }
    // "During a visit to a base for '...', Kim stressed ..., state media
    // reported": words of a fronted adverbial narrate; a state outlet that
    // carries the sentence is their speaker.
    if (a.found && !a.body && !a.channel.empty() && IsStateOutlet(a.channel) && InFrontedAdverbial(c, s)) {
      a.speaker = a.channel;
      a.speaker_text.clear();
      a.body = true;
      a.narrated = true;
      if (a.channel == kStateMediaId) inferred->push_back(s.begin);
    }
    // Channel by context: the one this speaker's words last came through,
    // else the state outlet that carries the paragraph.
    if (a.channel.empty() && !unnamed) {
      // A foreign relay carries its speaker's words within its paragraph
      // only ('"...," AFP quoted Lee as saying.' then, a paragraph later,
      // '"...," Lee added': the writer may have heard him); a state outlet
      // carries a DPRK speaker's words through the article.
      for (auto it = channel_of.rbegin(); it != channel_of.rend() && a.channel.empty(); ++it) {
        if (!a.speaker.empty() && it->speaker == a.speaker && (IsStateOutlet(it->channel) || it->block == s.block)) {
          a.channel = it->channel;
        }
      }
      // A person whose name is not Korean ("Biden announced ...") speaks
      // through a state outlet only when it is named in the same paragraph.
      const bool foreign_person = !a.speaker.empty() &&
                                  std::binary_search(person_ids.begin(), person_ids.end(), a.speaker) &&
                                  !KoreanNamed(a.speaker);
      if (a.channel.empty()) a.channel = CarryingStateOutlet(c, s.open, !foreign_person);
      if (a.channel.empty()) a.channel = StateOutletLaterInBlock(c, s.close);
      if (a.channel == kStateMediaId) inferred->push_back(s.begin);
      if (!a.channel.empty() && !a.speaker.empty() && !a.narrated)
        channel_of.push_back({a.speaker, a.channel, s.block});
      // Words in a narration by state media ("Kim also signed a 'special
      // order'", in a KCNA-sourced paragraph) are the outlet's.
      if (a.narrated && !a.channel.empty()) {
        a.speaker = a.channel;
        a.speaker_text.clear();
      }
    } else if (!a.speaker.empty()) {
      channel_of.push_back({a.speaker, a.channel, s.block});
    }
    if (c.blocks[s.block].title && !a.spoke) weak_titles->push_back(s.begin);
    previous_quote = a;
    if (a.found && !a.speaker.empty()) c.last_body_speaker = a.body ? a.speaker : std::string();
    previous_quote_block = s.block;
    Span span = MakeQuote(c, s.begin, s.end, label, a);
    if (multi) {
      part_number = s.continues ? part_number + 1 : 1;
      span.attrs.emplace_back("part", std::to_string(part_number));
      pending_parts.emplace_back(out->size(), a);
      previous_part = a;
      // The last part: a speaker found only after the quote applies to every part.
      if (s.closed && a.found) {
        for (auto& [index, attribution] : pending_parts) {
          if (!attribution.found) {
            (*out)[index].attrs[0].second = a.speaker;
            (*out)[index].attrs[1].second = a.speaker_text;
            (*out)[index].attrs[2].second = a.channel;
          }
        }
      }
      if (s.closed) pending_parts.clear();
    } else {
      pending_parts.clear();
      part_number = 0;
    }
    out->push_back(std::move(span));
  }
}

// The subject of a speech verb at token v: the nearest person, pronoun or outlet before it in its sentence.
Attribution Subject(const Context& c, size_t v) {
  const uint32_t sentence = c.SentenceStart(c.tokens[v].begin);
  Attribution a;
  uint32_t best = 0;
  bool have = false, have_person = false;
  for (auto e = c.entities.begin(); e != c.entities.end() && e->begin < c.tokens[v].begin; ++e) {
    if (e->begin < sentence || c.InsideQuote(e->begin)) continue;
    if (e->label != "person" && e->label != "outlet" && e->label != "org") continue;
    // A person outranks a nearer body ("Choe, chairman of the SPA, said").
    const bool person = e->label == "person";
    if (!have || (person && e->begin >= best) || (!person && !have_person && e->begin >= best)) {
      best = e->begin;
      have = true;
      have_person = have_person || person;
      a.speaker = e->key;
      a.speaker_text = std::string(c.doc.SpanText(*e));
      a.channel = e->label == "outlet" ? e->key : "";
    }
  }
  for (size_t t = v; t-- > 0 && c.tokens[t].begin >= sentence;) {
    if (have && c.tokens[t].begin < best) break;
    if (c.IsPronounToken(c.tokens[t])) {
      std::optional<Speaker> resolved = ResolvePronoun(c, c.tokens[t].begin);
      if (resolved) {
        a.speaker = resolved->id;
        a.speaker_text = std::string(c.Text(c.tokens[t].begin, c.tokens[t].end));
        a.channel.clear();
        have = true;
      }
      break;
    }
    if (const std::optional<Speaker> titled = ResolveTitle(c, c.tokens.begin() + static_cast<std::ptrdiff_t>(t))) {
      a.speaker = titled->id;
      a.speaker_text = titled->text;
      a.channel.clear();
      have = true;
      break;
    }
  }
  if (!have) {
    if (const std::optional<Speaker> place = SpeakingPlace(c, sentence, c.tokens[v].begin)) {
      a.speaker = place->id;
      a.speaker_text = place->text;
      have = true;
    }
  }
  if (!have) {
    if (std::optional<Speaker> media = StateMediaIn(c, sentence, c.tokens[v].begin)) {
      a.speaker = a.channel = media->id;
      a.speaker_text = media->text;
      have = true;
    }
  }
  if (!have) {
    const std::optional<Speaker> outlet = OutletAnaphor(c, sentence, c.tokens[v].begin);
    if (outlet) {
      a.speaker = a.channel = outlet->id;
      a.speaker_text = outlet->text;
      have = true;
    }
  }
  a.found = have;
  return a;
}

std::optional<Attribution> PreviousSentenceSpeaker(const Context& c, uint32_t pos) {
  const uint32_t sentence = c.SentenceStart(pos);
  const Block& block = c.blocks[c.BlockOf(pos)];
  if (sentence <= block.begin) return std::nullopt;
  const uint32_t previous = c.SentenceStart(sentence - 1);
  for (size_t t = TokenAt(c, previous); t < c.tokens.size() && c.tokens[t].begin < sentence; ++t) {
    const NameToken& w = c.tokens[t];
    if (!w.lower || c.InsideQuote(w.begin) || !MayBeSpeechVerb(c.Text(w.begin, w.end))) continue;
    if (!IsSpeechVerb(c.Lower(w))) continue;
    Attribution a = Subject(c, t);
    if (!a.found) return std::nullopt;
    a.spoke = true;
    return a;
  }
  return std::nullopt;
}

bool IsQuoteMarkAt(std::string_view text, size_t i) {
  if (text[i] == '"') return true;
  const std::string_view three = text.substr(i, 3);
  return three == kCloseDouble || three == kOpenDouble || three == kCloseSingle;
}

// Where a reported clause that starts at token `first` (offset `begin`) ends:
// the sentence end `limit`, or earlier, before a trailing attribution
// ("..., KCNA said", "..., the paper reported", "..., according to KCNA") or
// a second predicate of the speaker ("... and stressed the need ..."). A
// closing quote mark right before the cut stays in the clause.
uint32_t ClauseEnd(const Context& c, size_t first, uint32_t begin, uint32_t limit) {
  const std::string& text = c.doc.text;
  for (size_t t = first; t < c.tokens.size() && c.tokens[t].begin < limit; ++t) {
    if (c.tokens[t].begin < begin || c.InsideQuote(c.tokens[t].begin)) continue;
    const uint32_t previous_end = t > 0 ? c.tokens[t - 1].end : begin;
    if (previous_end <= begin) continue;
    const std::string_view gap = c.Text(previous_end, c.tokens[t].begin);
    const NameToken& w = c.tokens[t];
    bool cut = c.Is(w, "according") && t + 1 < c.tokens.size() && c.Is(c.tokens[t + 1], "to");
    if (!cut && c.Is(w, "and") && t + 1 < c.tokens.size()) {
      const std::string after = c.Lower(c.tokens[t + 1]);
      cut = IsSpeechVerb(after) || after == "called" || after == "urged" || after == "vowed" || after == "pledged" ||
            after == "ordered";
    }
    if (!cut && gap.find(',') != std::string_view::npos) {
      for (size_t k = t; k < c.tokens.size() && k <= t + 3 && c.tokens[k].begin < limit; ++k) {
        if (c.tokens[k].lower && MayBeSpeechVerb(c.Text(c.tokens[k].begin, c.tokens[k].end)) &&
            IsSpeechVerb(c.Lower(c.tokens[k]))) {
          cut = true;
          break;
        }
      }
    }
    if (!cut) continue;
    uint32_t end = previous_end;
    for (uint32_t i = previous_end; i < c.tokens[t].begin; ++i) {
      if (IsQuoteMarkAt(text, i)) end = i + (text[i] == '"' ? 1 : 3);
    }
    return end;
  }
  return limit;
}

void ReportedAndColonSpeech(const Context& c, std::vector<Span>* out) {
  const std::string& text = c.doc.text;
  for (size_t v = 0; v < c.tokens.size(); ++v) {
    // Speech verbs are lowercase words of 3 to 10 letters: skip the rest without lowering them.
    const NameToken& candidate = c.tokens[v];
    if (!candidate.lower || !MayBeSpeechVerb(c.Text(candidate.begin, candidate.end))) continue;
    const std::string verb = c.Lower(c.tokens[v]);
    const bool made_clear = verb == "made" && v + 1 < c.tokens.size() && c.Is(c.tokens[v + 1], "clear");
    const bool pointed_out = verb == "pointed" && v + 1 < c.tokens.size() && c.Is(c.tokens[v + 1], "out");
    if (!IsSpeechVerb(verb) && !made_clear && !pointed_out) continue;
    if (c.InsideQuote(c.tokens[v].begin)) continue;
    size_t next = v + 1 + (made_clear || pointed_out ? 1 : 0);
    const size_t block = c.BlockOf(c.tokens[v].begin);
    const uint32_t block_end = c.blocks[block].end;
    // "said:", "asked them:" — colon speech up to the end of the block.
    size_t colon_at = next;
    if (colon_at < c.tokens.size() && (c.Lower(c.tokens[colon_at]) == "them" || c.Lower(c.tokens[colon_at]) == "us")) {
      ++colon_at;
    }
    const uint32_t after_verb = c.tokens[colon_at - 1].end;
    if (after_verb + 2 < block_end && text[after_verb] == ':' && text[after_verb + 1] == ' ') {
      const auto first = static_cast<unsigned char>(text[after_verb + 2]);
      if (first >= 'A' && first <= 'Z') {
        Attribution a = Subject(c, v);
        Segment s;
        s.begin = after_verb + 2;
        s.end = block_end;
        Trim(text, &s);
        out->push_back(MakeQuote(c, s.begin, s.end, "direct", a));
        v = colon_at;
        continue;
      }
    }
    // "said (Tuesday) that ...", "said the ..."
    while (next < c.tokens.size() && c.tokens[next].joined && Contains(kTimeWords, c.Lower(c.tokens[next]))) ++next;
    if (next >= c.tokens.size() || !c.tokens[next].joined || c.tokens[next].begin >= block_end) continue;
    const std::string word = c.Lower(c.tokens[next]);
    uint32_t clause_begin = 0;
    size_t that = next;
    const bool said = verb == "said" || verb == "says";
    // "said Pyongyang would ...", "said Japan's plan ...": a clause opening with a name.
    const auto entity_at_next = std::lower_bound(c.entities.begin(), c.entities.end(), c.tokens[next].begin,
                                                 [](const Span& e, uint32_t p) { return e.begin < p; });
    const bool name_starts_clause = said && entity_at_next != c.entities.end() &&
                                    entity_at_next->begin == c.tokens[next].begin && entity_at_next->label != "outlet";
    if (word != "that" && !(said && (Contains(kClauseStarts, word) || name_starts_clause))) {
      // "told Lavrov that", "said in a statement broadcast by the Voice of Korea that":
      // a short object or phrase (no comma), then "that".
      for (size_t k = next + 1; k < c.tokens.size() && k <= next + 10 && c.tokens[k].joined; ++k) {
        if (c.Is(c.tokens[k], "that")) {
          that = k;
          break;
        }
      }
    }
    if (c.Is(c.tokens[that], "that")) {
      if (that + 1 >= c.tokens.size() || c.tokens[that + 1].begin >= block_end) continue;
      clause_begin = c.tokens[that + 1].begin;
      next = that;
    } else if (said && (Contains(kClauseStarts, word) || name_starts_clause)) {
      clause_begin = c.tokens[next].begin;
    } else {
      continue;
    }
    // Quote marks right after "that" open a quote: the clause starts at the mark.
    if (clause_begin > 0 && c.InsideQuote(clause_begin)) {
      auto it = std::upper_bound(c.segments.begin(), c.segments.end(), clause_begin,
                                 [](uint32_t p, const Segment& s) { return p < s.open; });
      if (it != c.segments.begin()) clause_begin = (it - 1)->open;
    }
    const Attribution a = Subject(c, v);
    if (!a.found) continue;
    const uint32_t clause_end = ClauseEnd(c, next + 1, clause_begin, std::min(c.SentenceEnd(clause_begin), block_end));
    Segment s;
    s.begin = clause_begin;
    s.end = clause_end;
    Trim(text, &s);
    if (CountWords(c.Text(s.begin, s.end)) < 2) continue;
    Attribution with_channel = a;
    if (with_channel.channel.empty()) {
      std::optional<Speaker> person, outlet;
      ScanRegion(c, c.SentenceStart(c.tokens[v].begin), std::min(c.SentenceEnd(clause_begin), block_end), &person,
                 &outlet);
      if (outlet) with_channel.channel = outlet->id;
    }
    out->push_back(MakeQuote(c, s.begin, s.end, "reported", with_channel));
  }
}

}  // namespace

std::vector<Span> FindQuotes(const Document& doc, const std::vector<Span>& entities, std::vector<Span>* terms,
                             const Deadline& deadline) {
  return annotate_internal::FindQuotes(doc, annotate_internal::TokenizeDocument(doc), entities, terms, deadline);
}

std::vector<Span> annotate_internal::FindQuotes(const Document& doc, const DocTokens& doc_tokens,
                                                const std::vector<Span>& entities, std::vector<Span>* terms,
                                                const Deadline& deadline) {
  std::vector<Block> blocks;
  for (const Span& span : doc.spans) {
    if (span.kind != SpanKind::kTitle && span.kind != SpanKind::kParagraph) continue;
    if (span.end > doc.text.size() || span.begin >= span.end) continue;
    blocks.push_back(Block{span.begin, span.end, span.kind == SpanKind::kTitle});
  }
  std::sort(blocks.begin(), blocks.end(), [](const Block& a, const Block& b) { return a.begin < b.begin; });
  // Names in a caption or byline are no speakers or antecedents of the
  // article's quotes: only the entities of the title and paragraphs count.
  const auto in_a_block = [&](const Span& e) {
    const auto block =
        std::upper_bound(blocks.begin(), blocks.end(), e.begin, [](uint32_t p, const Block& b) { return p < b.begin; });
    return block != blocks.begin() && e.end <= (block - 1)->end;
  };
  // An outlet in a photo credit ("(KCNA/Yonhap)", "(KCNA via AP)") carried
  // the picture, not the words: no channel or speaker.
  const auto credit = [&](const Span& e) { return e.label == "outlet" && InPhotoCredit(doc.text, e); };
  const auto keep = [&](const Span& e) { return in_a_block(e) && !credit(e); };
  std::vector<Span> in_article;  // filled only when some entity is dropped (most pages have none)
  const bool all_inside = std::all_of(entities.begin(), entities.end(), keep);
  if (!all_inside) std::copy_if(entities.begin(), entities.end(), std::back_inserter(in_article), keep);
  Context c{doc, all_inside ? entities : in_article, {}, {}, {}, {}, {}, {}};
  c.blocks = std::move(blocks);
  for (const Span& e : entities) {
    if (e.label != "person") continue;
    const std::string role = AsciiLower(e.Attr("role"));
    for (std::string_view word : kFemaleWords) {
      const size_t at = role.find(word);
      const bool whole = at != std::string::npos && (at == 0 || role[at - 1] == ' ') &&
                         (at + word.size() == role.size() || role[at + word.size()] == ' ');
      if (whole) {
        c.female.push_back(e.key);
        break;
      }
    }
  }
  std::sort(c.female.begin(), c.female.end());
  bool previous_open = false;
  for (size_t i = 0; i < c.blocks.size(); ++i) {
    if (deadline.Passed()) break;
    const size_t before = c.segments.size();
    ScanBlock(doc.text, c.blocks[i], i, previous_open, &c.segments);
    previous_open = c.segments.size() > before && !c.segments.back().closed;
  }
  if (deadline.Passed()) return {};
  for (const Block& b : c.blocks) {
    // Every title and paragraph is one of doc_tokens' blocks.
    const std::span<const NameToken> tokens = doc_tokens.NamesOf(*doc_tokens.Find(b.begin, b.end));
    c.tokens.insert(c.tokens.end(), tokens.begin(), tokens.end());
  }
  FindSentences(&c);
  std::vector<Span> quotes;
  std::vector<uint32_t> weak_titles;  // begins of headline quotes whose sentence has no speech verb of a speaker
  std::vector<uint32_t> inferred;     // begins of quotes given "state-media" by context, not by their sentence
  DirectAndPartial(c, &quotes, terms, &weak_titles, &inferred);
  ReportedAndColonSpeech(c, &quotes);
  std::stable_sort(quotes.begin(), quotes.end(), [](const Span& a, const Span& b) { return a.begin < b.begin; });
  // Unspecified "state media" that speaks ("state media called the policy
  // 'hostile'") stays state-media. As the channel of someone else's words
  // ("Kim said ..., state media reported"), or carried from context, it is
  // the state outlet the article names, when it names exactly one, and
  // names it before the words or in the paragraph after theirs (the wire
  // lede's "state media reported" whose next paragraph says "according to
  // KCNA"). An outlet first named further on may be another report: a reader
  // who has met only "state media" there is told no more.
  {
    std::string sole_state_outlet;
    uint32_t first_named = 0;
    bool several = false;
    for (const Span& e : c.entities) {
      if (e.label != "outlet" || e.key == kStateMediaId || !IsStateOutlet(e.key) || c.InsideQuote(e.begin)) continue;
      several = several || (!sole_state_outlet.empty() && sole_state_outlet != e.key);
      if (sole_state_outlet.empty() || e.begin < first_named) first_named = e.begin;
      sole_state_outlet = e.key;
    }
    std::sort(inferred.begin(), inferred.end());
    for (Span& q : quotes) {
      if (several || sole_state_outlet.empty()) break;
      const size_t block = c.BlockOf(q.begin);
      const uint32_t known_by = c.blocks[std::min(block + 1, c.blocks.size() - 1)].end;
      if (first_named >= known_by) continue;
      const bool by_context = std::binary_search(inferred.begin(), inferred.end(), q.begin);
      const bool speaks = q.Attr("speaker") == kStateMediaId;
      for (auto& [name, value] : q.attrs) {
        if (value == kStateMediaId &&
            ((name == "speaker" && by_context) || (name == "channel" && (by_context || !speaks)))) {
          value = sole_state_outlet;
        }
      }
    }
  }
  // A headline quotes words the article quotes ("North Korea readies for
  // 'dialogue and confrontation'" above "Kim called for 'dialogue and
  // confrontation'"): a headline quote without a speaking subject takes the
  // speaker of the first body quote that contains its words. (Its channel
  // stays the headline's own: a headline names no outlet for its words.)
  for (uint32_t begin : weak_titles) {
    const auto q = std::find_if(quotes.begin(), quotes.end(), [&](const Span& x) { return x.begin == begin; });
    if (q == quotes.end() || q->begin >= q->end) continue;
    const std::string words = AsciiLower(c.Text(q->begin, q->end));
    for (const Span& body : quotes) {
      if (c.blocks[c.BlockOf(body.begin)].title || body.Attr("speaker").empty()) continue;
      if (AsciiLower(c.Text(body.begin, body.end)).find(words) == std::string::npos) continue;
      for (size_t k = 0; k < 2; ++k) q->attrs[k].second = body.attrs[k].second;  // the channel stays the headline's
      break;
    }
  }
  return quotes;
}

}  // namespace echotrace
