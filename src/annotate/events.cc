#include "annotate/events.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "annotate/block_tokens.h"
#include "annotate/doc_tokens.h"
#include "lexicon/romanization.h"

namespace echotrace {
namespace {

// ---------------------------------------------------------------------------
// Tokens of one block (block_tokens.h), with "4th" as one ordinal number token.

using block_tokens::BlockToken;
using block_tokens::IsAsciiLetter;
using block_tokens::IsDigit;
using block_tokens::TokenType;

bool IsApostrophe(std::string_view p) { return p == "'" || p == "\u2019"; }

// 1..30 for "first".."thirtieth" (lowercase), 0 otherwise.
int OrdinalWord(std::string_view w) {
  // Every ordinal word ends in -st, -nd, -rd or -th: one check rejects almost all words.
  if (w.size() < 5) return 0;
  const std::string_view tail = w.substr(w.size() - 2);
  if (tail != "st" && tail != "nd" && tail != "rd" && tail != "th") return 0;
  static constexpr std::array<std::string_view, 21> kWords = {
      "",           "first",     "second",    "third",       "fourth",     "fifth",      "sixth",
      "seventh",    "eighth",    "ninth",     "tenth",       "eleventh",   "twelfth",    "thirteenth",
      "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth"};
  for (int k = 1; k < 21; ++k) {
    if (w == kWords[k]) return k;
  }
  if (w == "thirtieth") return 30;
  return 0;
}

bool IsConnector(std::string_view w) {
  return w == "of" || w == "the" || w == "in" || w == "for" || w == "at" || w == "and" || w == "on";
}

// Verbs that end a headline's event name: "3rd Plenary Meeting of 8th C.C. of WPK Held".
bool IsHeadlineVerb(std::string_view w) {
  static constexpr std::array<std::string_view, 14> kVerbs = {
      "held",   "opens", "opened",    "closes",   "closed",    "convened",  "convenes",
      "begins", "ends",  "continues", "underway", "concludes", "concluded", "takes"};
  return block_tokens::OneOf(kVerbs, w);
}

bool IsMonthOrDayName(std::string_view w) {
  static constexpr std::array<std::string_view, 20> kNames = {
      "january",  "february", "march", "april",  "may",     "june",      "july",     "august", "september", "october",
      "november", "december", "juche", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",  "sunday"};
  return block_tokens::OneOf(kNames, w);
}

// Participants that make an unattributed conference or workshop a Party one.
// An organization named in the qualifier ("... of the Socialist Patriotic Youth League") wins.
bool IsPartyAudience(const std::vector<std::string_view>& words) {
  bool audience = false;
  for (std::string_view w : words) {
    if (w == "league" || w == "union" || w == "federation" || w == "association" || w == "organization") return false;
    if (w == "secretaries" || w == "cell" || w == "officials" || w == "chairpersons" || w == "instructors") {
      audience = true;
    }
  }
  return audience;
}

// "in Pyongyang" after an event name is where it met, not part of the name.
bool IsMeetingPlace(std::string_view w) {
  static constexpr std::array<std::string_view, 12> kPlaces = {"pyongyang", "seoul",      "moscow",      "beijing",
                                                               "tokyo",     "washington", "vladivostok", "kaesong",
                                                               "wonsan",    "hamhung",    "nampho",      "sinuiju"};
  return block_tokens::OneOf(kPlaces, w);
}

enum class EventType : uint8_t { kNone, kPlenary, kCongress, kConference, kWorkshop, kCourse, kSession, kMeeting };

std::string_view EventLabel(EventType type) {
  switch (type) {
    case EventType::kPlenary: return "plenary";
    case EventType::kCongress: return "congress";
    case EventType::kConference: return "conference";
    case EventType::kWorkshop: return "workshop";
    case EventType::kCourse: return "course";
    case EventType::kSession: return "session";
    case EventType::kMeeting: return "meeting";
    case EventType::kNone: return "";
  }
  return "";
}

struct EventMatch {
  size_t first = 0, end = 0;  // token range [first, end)
  EventType type = EventType::kNone;
  std::string key;
};

class EventScanner {
 public:
  explicit EventScanner(std::vector<BlockToken>* tokens) : tokens_(*tokens) {}

  // The named event starting at token i, if any.
  bool MatchAt(size_t i, EventMatch* match) const {
    const BlockToken& t = tokens_[i];
    if (t.type == TokenType::kPunct) return false;
    if (i > 0 && !t.space_before && tokens_[i - 1].type != TokenType::kPunct) return false;
    size_t pos = i;
    int ordinal = OrdinalAt(pos);
    if (ordinal) ++pos;
    // Without an ordinal, a capitalized word before means we are inside a longer name
    // ("African National Congress"); "The" at a sentence start is no such word.
    if (!ordinal && i > 0 && tokens_[i - 1].type == TokenType::kWord && tokens_[i - 1].capitalized &&
        tokens_[i - 1].lower != "the") {
      return false;
    }
    // Capitalized modifiers: "Plenary", "Enlarged", "Special", "Party", "Short".
    bool plenary = false, party = false;
    std::vector<std::string_view> modifiers;
    for (int k = 0; k < 3 && InRange(pos); ++k) {
      const BlockToken& m = tokens_[pos];
      if (m.type != TokenType::kWord || !(m.capitalized || ordinal)) break;
      if (m.lower == "plenary" && !IsTypeWord(pos + 1)) {
        // "Plenary" as the head noun is handled as a type below.
        break;
      }
      if (m.lower == "plenary") {
        plenary = true;
      } else if (m.lower == "enlarged" || m.lower == "expanded" || m.lower == "extraordinary") {
        // not part of the identity: the 9th Enlarged Plenary Meeting is the 9th Plenary Meeting
      } else if (m.lower == "party" || m.lower == "wpk") {
        party = true;
      } else if (m.lower == "special" || m.lower == "short" || m.lower == "joint" ||
                 (m.lower == "national" && ordinal)) {  // "National Congress of South Africa" is no Party event
        modifiers.push_back(m.lower);
      } else {
        break;
      }
      ++pos;
    }
    if (!InRange(pos) || tokens_[pos].type != TokenType::kWord) return false;
    const BlockToken& head = tokens_[pos];
    const bool lowercase_ok = ordinal > 0;
    if (!head.capitalized && !lowercase_ok) return false;
    EventType type = EventType::kNone;
    const std::string_view h = head.lower;
    if (h == "meeting" || h == "session") {
      type = plenary ? EventType::kPlenary : h == "meeting" ? EventType::kMeeting : EventType::kSession;
    } else if (h == "plenum" || h == "plenary") {
      type = EventType::kPlenary;
    } else if (h == "congress") {
      type = EventType::kCongress;
    } else if (h == "conference") {
      type = EventType::kConference;
    } else if (h == "workshop") {
      type = EventType::kWorkshop;
    } else if (h == "course") {
      type = EventType::kCourse;
    } else {
      return false;
    }
    if (plenary && type == EventType::kSession) type = EventType::kPlenary;
    size_t end = pos + 1;
    Qualifier q;
    if (IsWord(end, "of") || IsWord(end, "for")) {
      const size_t after = ParseQualifier(end + 1, &q);
      if (after > end + 1) end = after;
    }
    // A bare capitalized type without ordinal or qualifier ("Conference") is no name.
    if (!ordinal && q.words.empty() && !q.wpk && !q.cc && !q.spa && !q.cmc && !q.politburo && modifiers.empty() &&
        !party) {
      return false;
    }
    if (q.wpk) party = true;
    std::string key;
    if (!BuildKey(type, ordinal, party, modifiers, q, &key)) return false;
    match->first = i;
    match->end = end;
    match->type = type;
    match->key = std::move(key);
    return true;
  }

 private:
  struct Qualifier {
    int cc_term = 0;   // "8th Central Committee"
    bool cc = false;   // "Central Committee" with or without a term
    int cmc_term = 0;  // "8th Central Military Commission"
    bool cmc = false;
    bool politburo = false;  // "Political Bureau", "Politburo"
    int spa_term = 0;        // "14th Supreme People's Assembly"
    bool spa = false;
    bool wpk = false;                     // the Workers' Party of Korea named
    bool standing = false;                // "Standing Committee" (of the Supreme People's Assembly)
    bool truncated = false;               // stopped at an ordinal before a body we do not know
    std::vector<std::string_view> words;  // other content words (lowercase), for the slug
  };

  bool InRange(size_t i) const { return i < tokens_.size(); }
  bool IsWord(size_t i, std::string_view w) const {
    return InRange(i) && tokens_[i].type == TokenType::kWord && tokens_[i].lower == w;
  }
  bool IsPunct(size_t i, std::string_view p) const {
    return InRange(i) && tokens_[i].type == TokenType::kPunct && tokens_[i].lower == p;
  }
  bool IsTypeWord(size_t i) const { return IsWord(i, "meeting") || IsWord(i, "session") || IsWord(i, "plenum"); }

  // An ordinal at token i: "4th", "Fourth", "fourth"; 0 when none.
  int OrdinalAt(size_t i) const {
    if (!InRange(i)) return 0;
    const BlockToken& t = tokens_[i];
    if (t.type == TokenType::kNumber && t.ordinal && t.value >= 1 && t.value <= 200) return t.value;
    if (t.type == TokenType::kWord) return OrdinalWord(t.lower);
    return 0;
  }

  // "the Workers' Party of Korea", "the Workers' Party's", "WPK": returns the index after, or 0.
  size_t WpkAt(size_t i) const {
    if (IsWord(i, "wpk")) return i + 1;
    if (IsWord(i, "workers") && tokens_[i].capitalized && InRange(i + 1) && IsApostrophe(tokens_[i + 1].lower) &&
        IsWord(i + 2, "party")) {
      size_t next = i + 3;
      if (IsWord(next, "of") && IsWord(next + 1, "korea")) next += 2;
      return next;
    }
    return 0;
  }

  // "Central Committee", "C.C.", "CC": returns the index after, or 0.
  size_t CentralCommitteeAt(size_t i) const {
    if (IsWord(i, "central") && IsWord(i + 1, "committee")) return i + 2;
    if (IsWord(i, "cc") && InRange(i) && tokens_[i].raw == "CC") return i + 1;
    if (InRange(i) && tokens_[i].raw == "C" && IsPunct(i + 1, ".") && InRange(i + 2) && tokens_[i + 2].raw == "C") {
      return IsPunct(i + 3, ".") ? i + 4 : i + 3;
    }
    return 0;
  }

  // The qualifier after "of"/"for": capitalized words joined by small words,
  // ordinals, "Workers' Party's", "C.C., WPK". Stops at a lowercase word, other
  // punctuation, a month, "Juche", or after 40 tokens. Returns the index one past
  // its last content token.
  size_t ParseQualifier(size_t i, Qualifier* q) const {
    size_t last = i;  // one past the last content token
    size_t pos = i;
    const size_t limit = std::min(tokens_.size(), i + 40);
    int pending_ordinal = 0;
    while (pos < limit) {
      const BlockToken& t = tokens_[pos];
      if (t.type == TokenType::kWord && !t.capitalized) {
        if ((t.lower == "in" || t.lower == "at") && InRange(pos + 1) && IsMeetingPlace(tokens_[pos + 1].lower)) break;
        if (IsConnector(t.lower)) {
          ++pos;
          continue;
        }
        // Lowercase text: only "eighth central committee" and the like go on.
        if (!OrdinalAt(pos) && !CentralCommitteeAt(pos) && !IsWord(pos, "central")) break;
      }
      if (t.type == TokenType::kWord && IsHeadlineVerb(t.lower)) break;  // "... of WPK Held"
      if (int ordinal = OrdinalAt(pos)) {
        pending_ordinal = ordinal;
        ++pos;
        continue;
      }
      if (t.type == TokenType::kNumber) break;
      if (t.type == TokenType::kPunct) {
        // "C.C., WPK"
        if (t.lower == "," &&
            (IsWord(pos + 1, "wpk") || (IsWord(pos + 1, "workers") && tokens_[pos + 1].capitalized))) {
          ++pos;
          continue;
        }
        // "Party's", "People's"
        if (IsApostrophe(t.lower) && IsWord(pos + 1, "s") && !tokens_[pos + 1].space_before) {
          pos += 2;
          last = pos;
          continue;
        }
        break;
      }
      if (IsMonthOrDayName(t.lower)) break;
      if (size_t next = WpkAt(pos)) {
        if (IsPunct(next, "'") || IsPunct(next, "\u2019")) {
          if (IsWord(next + 1, "s")) next += 2;
        }
        q->wpk = true;
        const bool possessive = next > pos + 1 && IsWord(next - 1, "s");
        pos = next;
        last = pos;
        // The party closes the qualifier ("... of the Workers' Party of Korea"), unless it is
        // possessive or names its body: "the Workers' Party's 8th Central Committee",
        // "the 8th WPK Central Committee" (an ordinal before it carries over).
        if (possessive || CentralCommitteeAt(pos) || IsWord(pos, "central")) continue;
        break;
      }
      if (size_t next = CentralCommitteeAt(pos)) {
        q->cc = true;
        if (pending_ordinal) q->cc_term = pending_ordinal;
        pending_ordinal = 0;
        pos = next;
        last = pos;
        continue;
      }
      if (IsWord(pos, "central") && IsWord(pos + 1, "military") && IsWord(pos + 2, "commission")) {
        q->cmc = true;
        if (pending_ordinal) q->cmc_term = pending_ordinal;
        pending_ordinal = 0;
        pos += 3;
        last = pos;
        continue;
      }
      if ((IsWord(pos, "political") && IsWord(pos + 1, "bureau")) || IsWord(pos, "politburo")) {
        q->politburo = true;
        pos += IsWord(pos, "politburo") ? 1 : 2;
        last = pos;
        continue;
      }
      if (IsWord(pos, "supreme") && IsWord(pos + 1, "people") && InRange(pos + 2) &&
          IsApostrophe(tokens_[pos + 2].lower) && IsWord(pos + 3, "s") && IsWord(pos + 4, "assembly")) {
        q->spa = true;
        if (pending_ordinal) q->spa_term = pending_ordinal;
        pending_ordinal = 0;
        pos += 5;
        last = pos;
        continue;
      }
      if (IsWord(pos, "spa") && tokens_[pos].raw == "SPA") {
        q->spa = true;
        if (pending_ordinal) q->spa_term = pending_ordinal;
        pending_ordinal = 0;
        ++pos;
        last = pos;
        continue;
      }
      if (IsWord(pos, "party") && pos > i && IsConnector(tokens_[pos - 1].lower) && !IsWord(pos + 1, "committees") &&
          !IsWord(pos + 1, "committee") && !IsWord(pos + 1, "life") &&
          (pos + 1 >= limit || !tokens_[pos + 1].capitalized)) {
        // "of the Party" at the end: the WPK.
        q->wpk = true;
        ++pos;
        last = pos;
        continue;
      }
      if (IsWord(pos, "standing") && IsWord(pos + 1, "committee")) {
        // "the 14th Standing Committee of the Supreme People's Assembly"
        q->standing = true;
        if (pending_ordinal) q->spa_term = pending_ordinal;
        pending_ordinal = 0;
        pos += 2;
        last = pos;
        continue;
      }
      if (pending_ordinal) {
        q->truncated = true;  // an ordinal before something we do not know
        break;
      }
      q->words.push_back(t.lower);
      ++pos;
      last = pos;
    }
    return last;
  }

  static std::string Slug(const std::vector<std::string_view>& modifiers, const std::vector<std::string_view>& words) {
    std::string slug;
    for (const auto* list : {&modifiers, &words}) {
      for (std::string_view w : *list) {
        // The prefix names the party already: "Party Officials" = "Officials".
        if (IsConnector(w) || w == "s" || w == "party" || w == "wpk") continue;
        if (!slug.empty()) slug += '-';
        slug += w;
      }
    }
    return slug;
  }

  static bool BuildKey(EventType type, int ordinal, bool party, const std::vector<std::string_view>& modifiers,
                       const Qualifier& q, std::string* key) {
    const std::string n = ordinal ? "-" + std::to_string(ordinal) : "";
    auto term = [](std::string_view body, int value) {
      return std::string(body) + (value ? "-" + std::to_string(value) : "");
    };
    switch (type) {
      case EventType::kPlenary:
        if (q.truncated) return false;
        if (q.standing) {
          *key = term("spa", q.spa_term) + "/standing/plenary" + n;
          return true;
        }
        if (q.cmc) {
          *key = "wpk/" + term("cmc", q.cmc_term) + "/plenary" + n;
          return true;
        }
        if (!q.cc && !party && !q.words.empty()) return false;
        if (!q.wpk && !party && !q.words.empty()) {
          // "64th Plenary Meeting of the Central Committee of the Union of Agricultural Workers"
          *key = "org/" + Slug({}, q.words) + "/plenary" + n;
          return true;
        }
        *key = "wpk/" + term("cc", q.cc_term) + "/plenary" + n;
        return true;
      case EventType::kMeeting:
        if (q.politburo) {
          *key = "wpk/" + term("cc", q.cc_term) + "/politburo" + n;
          return true;
        }
        if (q.cmc) {
          *key = "wpk/" + term("cmc", q.cmc_term) + "/meeting" + n;
          return true;
        }
        return false;  // "Meeting of Activists", "Meeting Room": not a named Party meeting
      case EventType::kSession:
        if (!q.spa) return false;
        *key = term("spa", q.spa_term) + "/session" + n;
        return true;
      case EventType::kCongress: {
        const std::string slug = Slug(modifiers, q.words);
        if (slug.empty()) {
          if (!party && !q.wpk && !ordinal) return false;
          *key = "wpk/congress" + n;
        } else {
          *key = (party || q.wpk ? "wpk/congress-" : "org/congress-") + slug + n;
        }
        return true;
      }
      case EventType::kConference:
      case EventType::kWorkshop:
      case EventType::kCourse: {
        const std::string slug = Slug(modifiers, q.words);
        const std::string name(EventLabel(type));
        if (slug.empty()) {
          if (type != EventType::kConference || (!party && !q.wpk)) return false;
          *key = "wpk/conference" + n;  // "the Third Conference of the WPK"
          return true;
        }
        // Party gatherings name the party, or their participants: cell secretaries, officials.
        const bool wpk = party || q.wpk || IsPartyAudience(q.words);
        *key = (wpk ? "wpk/" : "org/") + name + "-" + slug + n;
        return true;
      }
      case EventType::kNone: return false;
    }
    return false;
  }

  const std::vector<BlockToken>& tokens_;
};

// Generic plenary mentions: "year-end plenary", "the plenary meeting", "the plenum".
// Returns the index after the match, or 0; `*first` receives its first token.
size_t GenericPlenaryAt(const std::vector<BlockToken>& tokens, size_t i, size_t* first) {
  auto word = [&](size_t k) -> std::string_view {
    return k < tokens.size() && tokens[k].type == TokenType::kWord ? tokens[k].lower : std::string_view();
  };
  const BlockToken& t = tokens[i];
  if (t.type != TokenType::kWord || t.capitalized) return 0;
  if (t.lower != "plenary" && t.lower != "plenum") return 0;
  size_t end = i + 1;
  if (t.lower == "plenary" && (word(end) == "meeting" || word(end) == "session")) ++end;
  // A preceding "year-end" belongs to the mention.
  *first = i;
  if (i >= 3 && word(i - 1) == "end" && i >= 2 && tokens[i - 2].lower == "-" && word(i - 3) == "year" &&
      !tokens[i - 3].capitalized) {
    *first = i - 3;
  }
  // Only after "the"/"its"/"a recent"/"year-end": not "plenary powers".
  const std::string_view before = *first > 0 ? word(*first - 1) : std::string_view();
  if (*first == i && before != "the" && before != "its" && before != "party" && before != "enlarged") return 0;
  return end;
}

// ---------------------------------------------------------------------------
// Works.

bool IsSmallWord(std::string_view w) {
  static constexpr std::array<std::string_view, 22> kSmall = {
      "a",  "an",   "the", "and", "or",   "nor", "but",  "of",  "in",    "on",  "for",
      "to", "with", "at",  "by",  "from", "as",  "into", "its", "their", "our", "s"};
  return block_tokens::OneOf(kSmall, w);
}

// The kind of work a word names ("letter"), or "" when it names none.
std::string_view WorkCue(std::string_view w) {
  static constexpr std::array<std::string_view, 34> kCues = {
      "letter",    "letters", "speech",  "speeches", "article",     "articles", "work",    "works",     "treatise",
      "treatises", "book",    "books",   "lecture",  "lectures",    "report",   "address", "editorial", "essay",
      "thesis",    "talk",    "message", "titled",   "entitled",    "classic",  "novel",   "novels",    "memoirs",
      "poem",      "poems",   "film",    "films",    "documentary", "song",     "songs"};
  if (!block_tokens::OneOf(kCues, w)) return "";
  if (w == "titled" || w == "entitled") return "work";
  if (w == "speeches") return "speech";
  if (w == "memoirs") return "memoir";
  if (w == "documentary") return "film";
  if (w.back() == 's' && w != "address" && w != "thesis") return w.substr(0, w.size() - 1);
  return w;
}

// Words that may stand right before a title: "called", "including", "and" (a list of titles).
bool IsTitleLead(std::string_view w) {
  static constexpr std::array<std::string_view, 10> kLeads = {"called", "named", "including", "and", "or",
                                                              "as",     "his",   "her",       "the", "such"};
  return block_tokens::OneOf(kLeads, w);
}

bool IsAuthorVerb(std::string_view w) {
  return w == "sent" || w == "wrote" || w == "delivered" || w == "published" || w == "authored" || w == "gave" ||
         w == "made" || w == "issued" || w == "presented" || w == "sends" || w == "writes";
}

// A Korean surname in any romanization (lexicon/romanization.h).
bool IsKoreanSurname(std::string_view w) { return !CanonicalSurname(w).empty(); }

class WorkScanner {
 public:
  explicit WorkScanner(std::string_view text) : text_(text) {}

  // Finds the works in text_[begin, end), whose tokens (BlockWords, ordinal
  // suffixes apart) are `words`. A block without quote marks (`quotes` false)
  // holds none: only the last person it names is noted, from its text.
  void ScanBlock(uint32_t begin, uint32_t end, std::span<const BlockToken> words, bool quotes, std::vector<Span>* out) {
    if (!quotes) {
      NoteLastPerson(text_.substr(begin, end - begin));
      return;
    }
    annotate_internal::MergeOrdinalSuffixes(words, &tokens_);
    size_t i = 0;
    while (i < tokens_.size()) {
      if (size_t after = NotePerson(i)) {
        i = after;
        continue;
      }
      size_t close = 0;
      if (!IsOpenQuote(i) || !(close = FindClose(i))) {
        ++i;
        continue;
      }
      Span span;
      if (MakeWork(i, close, &span)) out->push_back(std::move(span));
      for (size_t k = i + 1; k < close; ++k) {
        if (size_t after = NotePerson(k)) k = after - 1;
      }
      i = close + 1;
    }
  }

 private:
  bool InRange(size_t i) const { return i < tokens_.size(); }
  std::string_view Word(size_t i) const {
    return InRange(i) && tokens_[i].type == TokenType::kWord ? tokens_[i].lower : std::string_view();
  }
  bool IsPunct(size_t i, std::string_view p) const {
    return InRange(i) && tokens_[i].type == TokenType::kPunct && tokens_[i].lower == p;
  }
  bool IsSentenceEnd(size_t i) const {
    return IsPunct(i, ".") || IsPunct(i, "!") || IsPunct(i, "?") || IsPunct(i, ";") || IsPunct(i, ":");
  }

  bool IsSingleQuote(size_t i) const { return IsPunct(i, "'") || IsPunct(i, "\u2018") || IsPunct(i, "\u2019"); }

  bool IsOpenQuote(size_t i) const {
    if (IsPunct(i, "\u201c")) return true;
    if (IsPunct(i, "\"")) return InRange(i + 1) && !tokens_[i + 1].space_before;
    // Single quotes ('...' or curly) only right after a word naming a work ("titled 'On ...'"),
    // so that apostrophes and scare quotes are not read as titles.
    if ((IsPunct(i, "'") || IsPunct(i, "\u2018")) && tokens_[i].space_before && InRange(i + 1) &&
        !tokens_[i + 1].space_before && tokens_[i + 1].capitalized) {
      size_t before = i;
      if (before > 0 && IsPunct(before - 1, ",")) --before;
      return before > 0 && !WorkCue(Word(before - 1)).empty();
    }
    return false;
  }
  // The matching closing quote within 80 tokens and the same block; 0 when none.
  size_t FindClose(size_t open) const {
    const bool curly = IsPunct(open, "\u201c");
    const bool single = IsSingleQuote(open);
    const size_t limit = std::min(tokens_.size(), open + 80);
    for (size_t k = open + 1; k < limit; ++k) {
      if (single) {
        // A closing single quote ends a word and is not followed by one ("Kim's" is no close).
        if (IsSingleQuote(k) && !tokens_[k].space_before &&
            !(InRange(k + 1) && !tokens_[k + 1].space_before && tokens_[k + 1].type == TokenType::kWord)) {
          return k;
        }
        continue;
      }
      if (curly && IsPunct(k, "\u201d")) return k;
      if (!curly && IsPunct(k, "\"")) return k;
      if (curly && IsPunct(k, "\u201c")) return 0;
    }
    return 0;
  }

  // A person name at token i: a Korean surname and one or two short capitalized
  // words (hyphens allowed: "Kim Il-sung"). Returns the index after it, or 0.
  size_t PersonAt(size_t i) const {
    if (!InRange(i) || tokens_[i].type != TokenType::kWord || !tokens_[i].capitalized) return 0;
    if (!IsKoreanSurname(tokens_[i].lower)) return 0;
    size_t pos = i + 1, parts = 0;
    while (InRange(pos) && parts < 2) {
      // Given-name syllables are short: "Jong", "Thaek"; not "Group", "Dynasty".
      if (tokens_[pos].type == TokenType::kWord && tokens_[pos].capitalized && tokens_[pos].space_before &&
          tokens_[pos].lower.size() <= 5) {
        ++pos;
        ++parts;
        if (IsPunct(pos, "-") && !tokens_[pos].space_before && InRange(pos + 1) &&
            tokens_[pos + 1].type == TokenType::kWord && !tokens_[pos + 1].space_before) {
          pos += 2;
        }
        continue;
      }
      break;
    }
    return parts == 0 ? 0 : pos;
  }

  // The last "Kim Jong Un"-like name in `block` (surname + 1..2 short capitalized words),
  // found by a light scan of the words.
  void NoteLastPerson(std::string_view block) {
    size_t i = 0;
    while (i < block.size()) {
      const unsigned char c = static_cast<unsigned char>(block[i]);
      const bool starts_word =
          c >= 'A' && c <= 'Z' && (i == 0 || !IsAsciiLetter(static_cast<unsigned char>(block[i - 1])));
      if (!starts_word) {
        ++i;
        continue;
      }
      size_t end = i;
      while (end < block.size() && IsAsciiLetter(static_cast<unsigned char>(block[end]))) ++end;
      char surname[8];
      const size_t length = end - i;
      bool is_surname = length < sizeof surname;
      if (is_surname) {
        for (size_t k = 0; k < length; ++k)
          surname[k] = static_cast<char>(std::tolower(static_cast<unsigned char>(block[i + k])));
        is_surname = IsKoreanSurname(std::string_view(surname, length));
      }
      if (!is_surname) {
        i = end;
        continue;
      }
      // One or two short capitalized words after it, single spaces between, hyphenated parts allowed.
      size_t name_end = end, parts = 0;
      while (parts < 2 && name_end + 1 < block.size() && block[name_end] == ' ' && block[name_end + 1] >= 'A' &&
             block[name_end + 1] <= 'Z') {
        size_t k = name_end + 1;
        while (k < block.size() && IsAsciiLetter(static_cast<unsigned char>(block[k]))) ++k;
        if (k - (name_end + 1) > 5) break;
        while (k < block.size() && (IsAsciiLetter(static_cast<unsigned char>(block[k])) || block[k] == '-')) ++k;
        name_end = k;
        ++parts;
      }
      if (parts > 0) {
        last_person_ = std::string(block.substr(i, name_end - i));
        NoteSender(block.substr(name_end, block.find('.', name_end) - name_end));
      }
      i = name_end;
    }
  }

  // True when a person's name ends just before token `end` ("the work of Kim Jong Il \"...\"").
  bool PersonEndsAt(size_t end) const {
    for (size_t k = end > 4 ? end - 4 : 0; k < end; ++k) {
      if (PersonAt(k) == end) return true;
    }
    return false;
  }

  // `rest` is the sentence after a name: "sent a letter to ..." makes the name the last sender.
  void NoteSender(std::string_view rest) {
    if (rest.size() > 200) rest = rest.substr(0, 200);
    const bool verb = rest.find(" sent ") != std::string_view::npos ||
                      rest.find(" delivered ") != std::string_view::npos ||
                      rest.find(" wrote ") != std::string_view::npos || rest.find(" made a ") != std::string_view::npos;
    if (!verb) return;
    static constexpr std::array<std::string_view, 5> kNouns = {" letter", " speech", " message", " article", " work"};
    for (std::string_view noun : kNouns) {
      if (rest.find(noun) != std::string_view::npos) {
        last_sender_ = last_person_;
        return;
      }
    }
  }

  // Remembers a person named at token i; returns the index after the name, or 0.
  size_t NotePerson(size_t i) {
    const size_t end = PersonAt(i);
    if (end) last_person_ = std::string(text_.substr(tokens_[i].begin, tokens_[end - 1].end - tokens_[i].begin));
    return end;
  }

  bool MakeWork(size_t open, size_t close, Span* span) {
    // Content tokens, trimmed of a final period/comma.
    size_t first = open + 1, last = close;  // [first, last)
    while (last > first && (IsPunct(last - 1, ".") || IsPunct(last - 1, ",") || IsPunct(last - 1, ";"))) --last;
    if (last <= first) return false;
    // Title case: starts with a capital, most content words capitalized.
    if (tokens_[first].type != TokenType::kWord || !tokens_[first].capitalized) return false;
    int content = 0, capitalized = 0, words = 0;
    for (size_t k = first; k < last; ++k) {
      const BlockToken& t = tokens_[k];
      if (t.type != TokenType::kWord) continue;
      ++words;
      if (k != first && IsSmallWord(t.lower)) continue;
      if (!t.space_before && k > first && IsPunct(k - 1, "-")) continue;  // "Korean-style"
      ++content;
      if (t.capitalized) ++capitalized;
    }
    // Title case: every content word capitalized (one slip allowed in a long title).
    const int lowercase = content - capitalized;
    if (words < 2 || words > 40 || content == 0 || lowercase > (content >= 8 ? 1 : 0)) return false;
    // A cue naming a work in the sentence before the quote, or right after it.
    std::string_view kind;
    size_t sentence_start = open;
    for (size_t k = open; k > 0 && open - k < 60; --k) {
      if (IsSentenceEnd(k - 1)) break;
      sentence_start = k - 1;
      // "a letter titled": the noun says more than "titled".
      const std::string_view w = Word(k - 1);
      // "letters reading ...", "the letters \"...\" on their covers": written characters.
      if ((w == "letters" || w == "letter") && (Word(k) == "reading" || (w == "letters" && k == open))) continue;
      if (kind.empty() ||
          (kind == "work" && !w.empty() && w != "titled" && w != "entitled" && !WorkCue(w).empty() && open - k < 6)) {
        if (!WorkCue(w).empty()) kind = WorkCue(w);
      }
    }
    if (kind.empty()) {
      kind = WorkCue(Word(close + 1));
      if (kind.empty() && IsPunct(close + 1, ",")) kind = WorkCue(Word(close + 2));
    }
    if (kind.empty()) return false;
    // The title must belong to the work word, not to another noun right before it:
    // "Exhibition \"Self-Defence-2021\"" names an exhibition even after "Makes Speech at".
    size_t before = open;
    while (before > 0 && IsPunct(before - 1, ",")) --before;
    const std::string_view previous = before > 0 ? Word(before - 1) : std::string_view();
    if (!previous.empty() && WorkCue(previous).empty() && !IsTitleLead(previous) && !PersonEndsAt(before)) {
      return false;
    }
    span->kind = SpanKind::kWork;
    span->begin = tokens_[first].begin;
    span->end = tokens_[last - 1].end;
    span->label = std::string(kind);
    span->key = WorkKey(text_.substr(span->begin, span->end - span->begin));
    const std::string author = FindAuthor(sentence_start, open, close);
    if (!author.empty()) {
      span->attrs.emplace_back("author", author);
      last_sender_ = author;
    }
    return true;
  }

  // Who sent/wrote/delivered it: a name before an authoring verb in the sentence
  // (a pronoun subject means the person last named), or "by <name>" after the title.
  std::string FindAuthor(size_t sentence_start, size_t open, size_t close) const {
    if (Word(close + 1) == "by") {
      if (size_t end = PersonAt(close + 2)) {
        return std::string(text_.substr(tokens_[close + 2].begin, tokens_[end - 1].end - tokens_[close + 2].begin));
      }
    }
    // "the work of Kim Jong Il ..."
    for (size_t c = sentence_start; c + 2 < open; ++c) {
      if (WorkCue(Word(c)).empty() || Word(c + 1) != "of") continue;
      if (size_t end = PersonAt(c + 2); end && open - end <= 2) {
        return std::string(text_.substr(tokens_[c + 2].begin, tokens_[end - 1].end - tokens_[c + 2].begin));
      }
    }
    // "Kim Il Sung's work ..." / "Kim Jong Un's letter ..."
    for (size_t k = sentence_start; k < open; ++k) {
      const size_t end = PersonAt(k);
      if (!end) continue;
      if (InRange(end + 1) && IsApostrophe(tokens_[end].lower) && Word(end + 1) == "s" && end + 2 < open &&
          open - (end + 2) <= 4) {
        bool cue = false;
        for (size_t c = end + 2; c < open; ++c) cue = cue || !WorkCue(Word(c)).empty();
        if (cue) return std::string(text_.substr(tokens_[k].begin, tokens_[end - 1].end - tokens_[k].begin));
      }
      k = end - 1;
    }
    // "his letter ...", "her speech ...": the person last named.
    for (size_t k = open > sentence_start + 6 ? open - 6 : sentence_start; k < open; ++k) {
      if (Word(k) != "his" && Word(k) != "her") continue;
      for (size_t c = k + 1; c < open; ++c) {
        if (!WorkCue(Word(c)).empty()) return last_person_;
      }
    }
    for (size_t verb = sentence_start; verb < open; ++verb) {
      if (!IsAuthorVerb(Word(verb))) continue;
      if (Word(verb) == "made" && Word(verb + 1) != "public" && Word(verb + 1) != "a" && Word(verb + 1) != "an" &&
          Word(verb + 1) != "the") {
        continue;
      }
      if (Word(verb) == "gave" && Word(verb + 1) != "a" && Word(verb + 1) != "the") continue;
      std::string name;
      for (size_t k = sentence_start; k < verb; ++k) {
        if (size_t end = PersonAt(k)) {
          name = std::string(text_.substr(tokens_[k].begin, tokens_[end - 1].end - tokens_[k].begin));
          k = end - 1;
        }
      }
      if (!name.empty()) return name;
      const std::string_view subject = verb > 0 ? Word(verb - 1) : std::string_view();
      if (subject == "he" || subject == "she") return last_person_;
      return "";
    }
    // "In a speech titled '...', published on Oct. 10, Kim said ...": the speaker of the
    // sentence; a bare surname is the person last named with it.
    if (Word(sentence_start) == "in") return SpeakerAfter(close);
    // "The letter, titled ...": the letter someone was said to send before.
    if ((Word(sentence_start) == "the" || Word(sentence_start) == "this") &&
        !WorkCue(Word(sentence_start + 1)).empty()) {
      return last_sender_;
    }
    return "";
  }

  std::string SpeakerAfter(size_t close) const {
    const size_t limit = std::min(tokens_.size(), close + 40);
    for (size_t k = close + 1; k < limit; ++k) {
      if (IsSentenceEnd(k) && !IsPunct(k, ".")) break;
      if (IsPunct(k, ".") && InRange(k + 1) && tokens_[k + 1].capitalized && !tokens_[k].space_before &&
          tokens_[k - 1].raw.size() > 3) {
        break;  // a sentence end, not "Oct. 10"
      }
      const BlockToken& t = tokens_[k];
      if (t.type != TokenType::kWord || !t.capitalized || !IsKoreanSurname(t.lower)) continue;
      size_t end = PersonAt(k);
      const bool bare = end == 0;
      if (bare) end = k + 1;
      const std::string_view verb = Word(end);
      if (verb != "said" && verb != "wrote" && verb != "stressed" && verb != "noted" && verb != "declared" &&
          verb != "stated" && verb != "emphasized" && verb != "says") {
        continue;
      }
      if (!bare) return std::string(text_.substr(t.begin, tokens_[end - 1].end - t.begin));
      if (last_person_.size() > t.raw.size() && std::string_view(last_person_).starts_with(t.raw) &&
          last_person_[t.raw.size()] == ' ') {
        return last_person_;
      }
      return "";
    }
    return "";
  }

  std::string_view text_;
  std::vector<BlockToken> tokens_;  // the block being scanned, "4th" one token
  std::string last_person_;         // the person last named in the document, for "he"
  std::string last_sender_;         // who last sent/wrote/delivered a work, for "The letter, titled ..."
};

bool IsScannedBlock(const Document& doc, const Span& block) {
  return (block.kind == SpanKind::kTitle || block.kind == SpanKind::kParagraph) && block.begin <= block.end &&
         block.end <= doc.text.size();
}

// Named events of one block, given its tokens ("4th" one ordinal number token).
void ScanEvents(std::vector<BlockToken>* tokens, std::vector<Span>* out,
                std::vector<std::pair<size_t, size_t>>* generics) {
  EventScanner scanner(tokens);
  size_t i = 0;
  while (i < tokens->size()) {
    EventMatch match;
    if (scanner.MatchAt(i, &match)) {
      Span span;
      span.kind = SpanKind::kEvent;
      span.begin = (*tokens)[match.first].begin;
      span.end = (*tokens)[match.end - 1].end;
      span.label = std::string(EventLabel(match.type));
      span.key = std::move(match.key);
      out->push_back(std::move(span));
      i = match.end;
      continue;
    }
    size_t first = 0;
    if (generics != nullptr) {
      if (size_t after = GenericPlenaryAt(*tokens, i, &first)) {
        generics->emplace_back((*tokens)[first].begin, (*tokens)[after - 1].end);
        i = after;
        continue;
      }
    }
    ++i;
  }
}

// "wpk/cc-8/plenary-4" -> "plenary"; "spa-14/session-6" -> "session".
std::string_view KeyKind(std::string_view key) {
  std::string_view last = key.substr(key.rfind('/') + 1);
  const size_t dash = last.rfind('-');
  if (dash != std::string_view::npos && dash + 1 < last.size() && IsDigit(static_cast<unsigned char>(last[dash + 1]))) {
    last = last.substr(0, dash);
  }
  return last;
}

bool HasOrdinal(std::string_view key) {
  const std::string_view last = key.substr(key.rfind('/') + 1);
  const size_t dash = last.rfind('-');
  return dash != std::string_view::npos && dash + 1 < last.size() &&
         IsDigit(static_cast<unsigned char>(last[dash + 1]));
}

// A named mention without its ordinal ("Enlarged Plenary Meeting of WPK Central Committee",
// "the Party Congress") takes the key of the first numbered event of the same kind that the
// document names; it keeps its own key when there is none.
void ResolvePartialKeys(std::vector<Span>* named) {
  for (Span& span : *named) {
    if (HasOrdinal(span.key)) continue;
    std::string_view found;
    const std::string_view kind = KeyKind(span.key);
    for (const Span& other : *named) {
      // Same kind, or a shortened name of it: "Short Course for Chief Secretaries" of
      // "Second Short Course for Chief Secretaries of City and County Party Committees".
      const std::string_view other_kind = KeyKind(other.key);
      const bool same = other_kind == kind || (other_kind.size() > kind.size() && other_kind.starts_with(kind) &&
                                               other_kind[kind.size()] == '-');
      if (!HasOrdinal(other.key) || other.label != span.label || !same) continue;
      found = other.key;  // the first one named: a headline's "Party Congress" is the article's main one
      break;
    }
    if (found.empty()) continue;
    span.key = std::string(found);
    span.attrs.emplace_back("inferred", "1");
  }
}

// A cheap test before tokenizing: does the block hold any meeting word at all?
bool MayNameEvent(std::string_view block) {
  static constexpr std::array<std::string_view, 8> kTypes = {"meeting",  "plenum",  "congress", "conference",
                                                             "workshop", "session", "course",   "plenary"};
  // One pass over the words; only 6-10 letter words starting like a type are compared.
  size_t i = 0;
  while (i < block.size()) {
    if (!IsAsciiLetter(static_cast<unsigned char>(block[i]))) {
      ++i;
      continue;
    }
    const size_t start = i;
    while (i < block.size() && IsAsciiLetter(static_cast<unsigned char>(block[i]))) ++i;
    const size_t length = i - start;
    const char first = static_cast<char>(block[start] | 0x20);
    if (length < 6 || length > 10 || (first != 'm' && first != 'p' && first != 'c' && first != 'w' && first != 's')) {
      continue;
    }
    char word[10];
    for (size_t k = 0; k < length; ++k) word[k] = static_cast<char>(block[start + k] | 0x20);
    if (block_tokens::OneOf(kTypes, std::string_view(word, length))) return true;
  }
  return false;
}

// A quote mark that could open a title: '"', a curly opening quote, or a single
// quote after a space. One pass over the bytes.
bool HasQuoteMark(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') return true;
    if (c == '\'' && i > 0 && text[i - 1] == ' ') return true;
    // U+201C and U+2018 are E2 80 9C and E2 80 98.
    if (static_cast<unsigned char>(c) == 0xE2 && i + 2 < text.size() &&
        static_cast<unsigned char>(text[i + 1]) == 0x80) {
      const unsigned char third = static_cast<unsigned char>(text[i + 2]);
      if (third == 0x9C || (third == 0x98 && i > 0 && text[i - 1] == ' ')) return true;
    }
  }
  return false;
}

}  // namespace

std::vector<Span> FindEvents(const Document& doc, const Deadline& deadline) {
  return annotate_internal::FindEvents(doc, annotate_internal::TokenizeDocument(doc), deadline);
}

std::vector<Span> annotate_internal::FindEvents(const Document& doc, const DocTokens& doc_tokens,
                                                const Deadline& deadline) {
  std::vector<BlockToken> tokens;
  std::vector<Span> named;
  std::vector<std::pair<size_t, size_t>> generics;
  for (const Span& block : doc.spans) {
    if (deadline.Passed()) break;
    if (!IsScannedBlock(doc, block) || !MayNameEvent(doc.text.substr(block.begin, block.end - block.begin))) continue;
    // Every title and paragraph is one of doc_tokens' blocks.
    MergeOrdinalSuffixes(doc_tokens.WordsOf(*doc_tokens.Find(block.begin, block.end)), &tokens);
    ScanEvents(&tokens, &named, &generics);
  }
  ResolvePartialKeys(&named);
  // Generic plenary mentions take the key of the one plenary the document names.
  std::string plenary_key;
  bool unique = true;
  for (const Span& span : named) {
    if (span.label != "plenary") continue;
    if (!plenary_key.empty() && plenary_key != span.key) unique = false;
    plenary_key = span.key;
  }
  if (plenary_key.empty() || !unique || generics.empty()) return named;
  std::vector<Span> out;
  out.reserve(named.size() + generics.size());
  auto add_generic = [&](const std::pair<size_t, size_t>& range) {
    Span generic;
    generic.kind = SpanKind::kEvent;
    generic.begin = static_cast<uint32_t>(range.first);
    generic.end = static_cast<uint32_t>(range.second);
    generic.label = "plenary";
    generic.key = plenary_key;
    generic.attrs.emplace_back("generic", "1");
    out.push_back(std::move(generic));
  };
  size_t g = 0;
  for (Span& span : named) {
    for (; g < generics.size() && generics[g].first < span.begin; ++g) add_generic(generics[g]);
    out.push_back(std::move(span));
  }
  for (; g < generics.size(); ++g) add_generic(generics[g]);
  return out;
}

std::string EventKey(std::string_view mention) {
  std::string lower;
  std::vector<BlockToken> tokens;
  std::vector<Span> found;
  block_tokens::Tokenize(mention, 0, static_cast<uint32_t>(mention.size()), /*merge_ordinal_suffix=*/true, &lower,
                         &tokens);
  ScanEvents(&tokens, &found, nullptr);
  return found.empty() ? "" : found.front().key;
}

std::vector<Span> FindWorks(const Document& doc, const Deadline& deadline) {
  return annotate_internal::FindWorks(doc, annotate_internal::TokenizeDocument(doc), deadline);
}

std::vector<Span> annotate_internal::FindWorks(const Document& doc, const DocTokens& doc_tokens,
                                               const Deadline& deadline) {
  // Without a quote mark anywhere there is no work: skip even the name tracking.
  auto has_quote = [&](const Span& block) {
    return HasQuoteMark(std::string_view(doc.text).substr(block.begin, block.end - block.begin));
  };
  std::vector<Span> out;
  bool any_quote = false;
  for (const Span& block : doc.spans) any_quote = any_quote || (IsScannedBlock(doc, block) && has_quote(block));
  if (!any_quote) return out;
  WorkScanner scanner(doc.text);
  for (const Span& block : doc.spans) {
    if (deadline.Passed()) break;
    if (!IsScannedBlock(doc, block)) continue;
    // Most paragraphs quote nothing: skip them without tokenizing. The scanner
    // still learns the names in them, for "he" in later paragraphs.
    const bool quotes = has_quote(block);
    const std::span<const BlockToken> words =
        quotes ? doc_tokens.WordsOf(*doc_tokens.Find(block.begin, block.end)) : std::span<const BlockToken>();
    scanner.ScanBlock(block.begin, block.end, words, quotes, &out);
  }
  return out;
}

std::string WorkKey(std::string_view title) {
  std::string key;
  bool pending_space = false;
  for (size_t i = 0; i < title.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(title[i]);
    if (IsAsciiLetter(c) || IsDigit(c)) {
      if (pending_space && !key.empty()) key += ' ';
      pending_space = false;
      key += static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    } else if (c == '\'') {
      // apostrophes vanish: "Party's" -> "partys"
    } else if (c == 0xE2 && i + 2 < title.size() && static_cast<unsigned char>(title[i + 1]) == 0x80 &&
               (static_cast<unsigned char>(title[i + 2]) == 0x99 || static_cast<unsigned char>(title[i + 2]) == 0x98)) {
      i += 2;  // curly apostrophe
    } else {
      pending_space = true;
    }
  }
  return key;
}

}  // namespace echotrace
