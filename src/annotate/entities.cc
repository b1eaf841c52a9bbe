#include "annotate/entities.h"

#include <algorithm>
#include <array>
#include <optional>
#include <span>
#include <utility>

#include "annotate/dates.h"
#include "annotate/doc_tokens.h"
#include "annotate/name_tokens.h"
#include "core/text.h"
#include "lexicon/romanization.h"
#include "lexicon/titles.h"
#include "lexicon/tokens.h"

namespace echotrace {
namespace {

using annotate_internal::NameToken;

// Leaders of the DPRK and the days they led, [from, to): a bare "Kim" that no
// full name in the text explains is the leader on the article's date.
struct Leader {
  std::string_view id, surname, from, to;
};
constexpr std::array<Leader, 3> kDprkLeaders = {{
    {"kim-il-sung", "kim", "1948-09-09", "1994-07-08"},
    {"kim-jong-il", "kim", "1994-07-08", "2011-12-17"},
    {"kim-jong-un", "kim", "2011-12-17", "9999-12-31"},
}};

// Words before a name that put it in an aside, no antecedent for a bare
// surname ("his grandfather Kim Il Sung", "the late Kim Jong Il").
constexpr auto kAsideWords = std::to_array<std::string_view>(
    {"late", "grandfather", "father", "grandmother", "mother", "founder", "predecessor"});

// Nouns after a lone surname that make it name a government, not the person
// ("the Biden administration", "the Kim regime"): no person mention. A full
// name keeps its mention ("the Joe Biden administration").
constexpr auto kGovernmentNouns =
    std::to_array<std::string_view>({"administration", "government", "regime", "era", "presidency", "cabinet"});

// Words that look like a capitalized name but are not one, after a title
// ("President Obama" yes, "President Said" no).
constexpr auto kNotNameWords =
    std::to_array<std::string_view>({"said", "says", "the", "of", "and", "in", "on", "at", "for", "to", "with", "who"});

template <size_t N>
bool Contains(const std::array<std::string_view, N>& table, std::string_view lower) {
  return std::find(table.begin(), table.end(), lower) != table.end();
}

struct Context {
  const Document& doc;
  const Gazetteer& gazetteer;
  const annotate_internal::DocTokens& doc_tokens;
  std::span<const NameToken> tokens;                   // doc_tokens.names: every block's
  std::vector<std::optional<std::string>> first_keys;  // lazily computed WordKey(token, true)
  std::vector<std::optional<std::string>> word_keys;   // lazily computed WordKey(token, false)
  const std::vector<Span>* dates = nullptr;            // FindDates(doc): the caller's, or own_dates
  std::optional<std::vector<Span>> own_dates;          // computed when a name by shape needs it

  // True when a date expression covers `pos` ("Medvedev Wednesday").
  bool InDate(uint32_t pos) {
    if (!dates) dates = &own_dates.emplace(annotate_internal::FindDates(doc, doc_tokens, Deadline()));
    for (const Span& d : *dates) {
      if (d.begin <= pos && pos < d.end) return true;
    }
    return false;
  }

  std::string_view Text(const NameToken& t) const {
    return std::string_view(doc.text).substr(t.begin, t.end - t.begin);
  }
  std::string Lower(size_t i) const { return AsciiLower(Text(tokens[i])); }
  const std::string& Key(size_t i, bool first) {
    std::optional<std::string>& slot = first ? first_keys[i] : word_keys[i];
    if (!slot) slot = NameWordKey(Text(tokens[i]), first);
    return *slot;
  }
  // Same block and only spaces between tokens i-1 and i.
  bool Joined(size_t i) const { return i > 0 && tokens[i].joined; }
};

struct Mention {
  size_t first_token = 0, last_token = 0;  // inclusive
  uint32_t entry = 0;                      // gazetteer entry, when !unseen
  bool unseen = false;                     // found by the unseen-name rule
  bool bare_surname = false;               // a surname alone, resolved later
  std::string id, type, surname;
  uint32_t end_override = 0;  // when nonzero, the mention ends here (inside its last token)
};

// Words that may stand right before a generic alias ("the Party", "our
// Party", "the Eighth Central Committee", "the Party Central Committee").
constexpr std::array<std::string_view, 24> kBeforeGeneric = {
    "the",   "our",    "this",  "that",   "its",   "his",   "her",     "their",  "whole", "entire", "a",     "an",
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",  "party", "wpk"};
// Words after "of" that keep a generic alias on the WPK ("Central Committee
// of the WPK"); any other ("of the Communist Party of China", "of the league")
// makes it another body's.
constexpr std::array<std::string_view, 4> kWpkWords = {"wpk", "workers", "party", "korean"};

// A generic alias ("Party", "Central Committee") at tokens i..j names the WPK
// body only when no other capitalized word qualifies it: not right after one
// ("Conservative Party", "CPC Central Committee") and not followed by "of" +
// another body ("Central Committee of the Communist Party of China").
bool GenericAliasFits(const Context& c, size_t i, size_t j) {
  if (c.Joined(i) && !c.tokens[i].sentence_start) {
    const std::string_view before = c.Text(c.tokens[i - 1]);
    if (!before.empty() && before[0] >= 'A' && before[0] <= 'Z' && !Contains(kBeforeGeneric, c.Lower(i - 1))) {
      return false;
    }
  }
  size_t k = j + 1;
  if (k < c.tokens.size() && c.Joined(k) && c.Lower(k) == "of") {
    ++k;
    if (k < c.tokens.size() && c.Lower(k) == "the") ++k;
    if (k < c.tokens.size() && !Contains(kWpkWords, c.Lower(k))) return false;
  }
  return true;
}

// NameToken j starts with the last word of a person alias whose other words are
// tokens i..j-1 (their key is `key`), and the rest of token j is a lowercase
// word glued on by a lost space ("Unin" = "Un" + "in"). The mention ends
// inside token j.
std::optional<Mention> MatchGluedTail(Context& c, size_t i, size_t j, const std::string& key) {
  const std::string_view word = c.Text(c.tokens[j]);
  for (size_t cut = 2; cut + 2 <= word.size() && cut <= 8; ++cut) {
    if (word[cut] < 'a' || word[cut] > 'z' || word[cut - 1] < 'a' || word[cut - 1] > 'z') continue;
    const auto found = c.gazetteer.aliases.find(key + "-" + NameWordKey(word.substr(0, cut), false));
    if (found == c.gazetteer.aliases.end()) continue;
    const GazetteerEntry& entry = c.gazetteer.entries[found->second.entry];
    if (entry.type != "person") continue;
    Mention m{i, j, found->second.entry, false, false, entry.id, entry.type, entry.surname};
    m.end_override = c.tokens[j].begin + static_cast<uint32_t>(cut);
    return m;
  }
  return std::nullopt;
}

// The longest gazetteer alias starting at token i, if any.
std::optional<Mention> MatchAlias(Context& c, size_t i) {
  std::optional<Mention> best;
  std::string key;
  for (size_t j = i; j < c.tokens.size() && j - i < c.gazetteer.max_alias_tokens; ++j) {
    if (j > i && !c.Joined(j)) break;
    const size_t base_size = key.size();
    if (j > i) key.push_back('-');
    key += c.Key(j, j == i);
    if (j > i && c.gazetteer.aliases.count(key) == 0 && c.gazetteer.alias_prefixes.count(key) == 0) {
      // "Kim Jong Unin", "Kim Il Sungand": a lost space after a name.
      key.resize(base_size);
      std::optional<Mention> glued = MatchGluedTail(c, i, j, key);
      if (glued) best = glued;
      break;
    }
    const auto found = c.gazetteer.aliases.find(key);
    if (found != c.gazetteer.aliases.end()) {
      const GazetteerAlias& alias = found->second;
      bool ok = true;
      if (alias.acronym) {
        for (size_t k = i; k <= j; ++k) ok = ok && c.tokens[k].all_caps;
      }
      if (alias.generic && !GenericAliasFits(c, i, j)) ok = false;
      if (ok) {
        const GazetteerEntry& entry = c.gazetteer.entries[alias.entry];
        best = Mention{i, j, alias.entry, false, false, entry.id, entry.type, entry.surname};
      }
    }
    if (c.gazetteer.alias_prefixes.count(key) == 0) break;
  }
  return best;
}

// Head nouns of government bodies that newsrooms write in lower case
// ("Seoul's unification ministry", "the defence ministry").
// ("committee" is left out: "central committee" is a generic alias of the WPK's.)
constexpr auto kLowercaseBodyHeads = std::to_array<std::string_view>({"ministry"});

// An organization's alias of two or more words written in lower case
// ("unification ministry"), at token i. Only tried before a body's head noun,
// so most lowercase words cost one comparison.
std::optional<Mention> LowercaseBodyAt(Context& c, size_t i) {
  if (i + 1 >= c.tokens.size() || !c.Joined(i + 1) || c.tokens[i].end - c.tokens[i].begin < 4) return std::nullopt;
  const std::string_view next = c.Text(c.tokens[i + 1]);
  if (!Contains(kLowercaseBodyHeads, next)) return std::nullopt;
  std::optional<Mention> m = MatchAlias(c, i);
  if (!m || m->type != "org" || m->last_token == m->first_token) return std::nullopt;
  return m;
}

// "South Korea's military", "the DPRK's foreign ministry": a place's
// possessive before one or two lowercase words names the body the gazetteer
// lists as the place's name before those words ("ROK military"). The
// place stays the mention and carries the body's id.
std::optional<Mention> PossessiveBodyAfter(Context& c, const Mention& place) {
  const size_t k = place.last_token + 1;
  if (place.type != "place" || place.unseen || k >= c.tokens.size() || !c.Joined(k) || !c.tokens[k].lower) {
    return std::nullopt;
  }
  const std::string_view text(c.doc.text);
  const std::string_view gap =
      text.substr(c.tokens[place.last_token].end, c.tokens[k].begin - c.tokens[place.last_token].end);
  if (gap != "'s " && gap != "\xE2\x80\x99s ") return std::nullopt;
  const GazetteerEntry& entry = c.gazetteer.entries[place.entry];
  std::optional<Mention> best;
  for (size_t last = k; last < k + 2 && last < c.tokens.size(); ++last) {
    if (last > k && (!c.Joined(last) || !c.tokens[last].lower)) break;
    const std::string words(text.substr(c.tokens[k].begin, c.tokens[last].end - c.tokens[k].begin));
    for (const std::string& alias : entry.aliases) {
      const auto found = c.gazetteer.aliases.find(AliasKey(alias + " " + words));
      if (found == c.gazetteer.aliases.end()) continue;
      const GazetteerEntry& body = c.gazetteer.entries[found->second.entry];
      if (body.type != "org") continue;
      best = Mention{k, last, found->second.entry, false, false, body.id, body.type, ""};
      break;
    }
  }
  return best;
}

bool IsNameWord(const Context& c, size_t i) {
  const NameToken& t = c.tokens[i];
  return t.capitalized && LooksLikeKoreanSyllables(c.Text(t));
}

// An unseen Korean name starting at token i: surname + one or two syllable words.
std::optional<Mention> MatchUnseenName(Context& c, size_t i) {
  const std::string lower = c.Lower(i);
  if (IsAmbiguousSurnameSpelling(lower)) return std::nullopt;
  const std::string_view surname = CanonicalSurname(lower);
  if (surname.empty()) return std::nullopt;
  size_t last = i;
  while (last + 1 < c.tokens.size() && last - i < 2 && c.Joined(last + 1) && IsNameWord(c, last + 1)) ++last;
  if (last == i) return std::nullopt;
  // A hyphenated given name ("Tok-hun") is the whole given name.
  if (last - i == 2) {
    for (size_t k = i + 1; k <= last; ++k) {
      if (c.Text(c.tokens[k]).find('-') != std::string_view::npos) return std::nullopt;
    }
  }
  // "Kim Chaek University": the name is part of a longer proper noun.
  if (last + 1 < c.tokens.size() && c.Joined(last + 1) && c.tokens[last + 1].capitalized) return std::nullopt;
  const std::string_view text =
      std::string_view(c.doc.text).substr(c.tokens[i].begin, c.tokens[last].end - c.tokens[i].begin);
  Mention m{i, last, 0, true, false, RomanizationKey(text), "person", std::string(surname)};
  return m;
}

// A name outside the gazetteer found by shape and context: two or three
// capitalized words (not all capitals, not a known name) right after a title
// or role ("spokesman Jay Carney", "President Dmitry Medvedev"), or followed
// by a comma and a role ("Daryl Kimball, executive director of ...").
// Its id is the words lower-cased and joined by "-".
bool IsPlainCapitalized(Context& c, size_t i) {
  const NameToken& t = c.tokens[i];
  const std::string_view word = c.Text(t);
  if (!t.capitalized || t.all_caps || word.size() < 2 || word.size() > 20) return false;
  if (word[0] < 'A' || word[0] > 'Z') return false;
  for (char ch : word) {
    if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '-' || ch == '\'')) return false;
  }
  if (Contains(kNotNameWords, AsciiLower(word))) return false;
  // A word that starts a known name ("North", "South", "Political") is no
  // part of an unseen person's name.
  const std::string& key = c.Key(i, true);
  return c.gazetteer.aliases.count(key) == 0 && c.gazetteer.alias_prefixes.count(key) == 0;
}

// True when the name at token i stands in apposition after a role: ", " before
// it and a title head among the few words before the comma ("the special
// envoy for North Korea, Sung Kim, ...").
bool AfterRoleApposition(const Context& c, size_t i) {
  if (i < 2 || c.tokens[i].sentence_start) return false;
  const std::string_view gap =
      std::string_view(c.doc.text).substr(c.tokens[i - 1].end, c.tokens[i].begin - c.tokens[i - 1].end);
  if (TrimAscii(gap) != ",") return false;
  for (size_t k = i; k-- > 0 && k + 5 >= i;) {
    if (lexicon::IsTitleHead(c.Lower(k))) return true;
    if (c.tokens[k].sentence_start || (k + 1 < i && !c.Joined(k + 1))) break;
  }
  return false;
}

// `after_outlet`: the name follows an outlet's possessive ("the BBC's Lucy
// Williamson"), a cue for its correspondent.
std::optional<Mention> MatchShapeName(Context& c, size_t i, bool after_outlet) {
  // "Analyst Daryl Kimball": the title is the cue, not the name's first word.
  if (!IsPlainCapitalized(c, i) || lexicon::IsTitleHead(c.Lower(i))) return std::nullopt;
  size_t last = i;
  while (last + 1 < c.tokens.size() && last - i < 2 && c.Joined(last + 1) && IsPlainCapitalized(c, last + 1)) ++last;
  // A Korean surname after a given name ("Sung Kim", "Daniel Kim"): the
  // given name first, Western style.
  if (last == i && i + 1 < c.tokens.size() && c.Joined(i + 1) && c.tokens[i + 1].capitalized &&
      CanonicalSurname(c.Lower(i)).empty() && !CanonicalSurname(c.Lower(i + 1)).empty() &&
      SurnameStandsAlone(CanonicalSurname(c.Lower(i + 1)))) {
    last = i + 1;
  }
  if (last == i) return std::nullopt;
  // "Arms Control Association": a name is not followed by more capitalized words.
  if (last + 1 < c.tokens.size() && c.Joined(last + 1) && c.tokens[last + 1].capitalized) return std::nullopt;
  const std::string_view gap_before =
      i > 0 ? std::string_view(c.doc.text).substr(c.tokens[i - 1].end, c.tokens[i].begin - c.tokens[i - 1].end)
            : std::string_view();
  bool cue = i > 0 && c.Joined(i) && !c.tokens[i].sentence_start &&
             (lexicon::IsTitleHead(c.Lower(i - 1)) ||
              (after_outlet && (gap_before == "'s " || gap_before == "\xE2\x80\x99s ")));
  if (!cue) cue = AfterRoleApposition(c, i);
  if (!cue && last + 1 < c.tokens.size() && !c.tokens[last + 1].sentence_start) {
    const std::string_view gap =
        std::string_view(c.doc.text).substr(c.tokens[last].end, c.tokens[last + 1].begin - c.tokens[last].end);
    size_t k = last + 1;
    const std::string article = c.Lower(k);
    if (article == "a" || article == "an" || article == "the") ++k;
    for (size_t m = k; !cue && m < c.tokens.size() && m <= k + 2; ++m) cue = lexicon::IsTitleHead(c.Lower(m));
    cue = cue && TrimAscii(gap) == ",";
  }
  if (!cue) return std::nullopt;
  // Nor is a date word ("Medvedev Wednesday"); dates are found only now, for
  // the rare candidate that got this far.
  while (last > i && c.InDate(c.tokens[last].begin)) --last;
  if (last == i || c.InDate(c.tokens[i].begin)) return std::nullopt;
  std::string id;
  for (size_t k = i; k <= last; ++k) {
    if (!id.empty()) id.push_back('-');
    id += AsciiLower(c.Text(c.tokens[k]));
  }
  Mention m{i, last, 0, true, false, id, "person", ""};
  return m;
}

// NameToken index range [first, last] of the role words right before token i, if any.
std::optional<std::pair<size_t, size_t>> RoleBefore(const Context& c, size_t i, const std::vector<bool>& covered) {
  size_t first = i;
  bool has_head = false;
  while (first > 0 && c.Joined(first) && !covered[first - 1] && !c.tokens[first].sentence_start) {
    const std::string word = c.Lower(first - 1);
    const bool head = lexicon::IsTitleHead(word);
    if (!head && !lexicon::IsTitleModifier(word)) break;
    has_head = has_head || head;
    --first;
  }
  if (first == i || !has_head) return std::nullopt;
  return std::make_pair(first, i - 1);
}

// Role words in a comma apposition right after token `last`: "Kim Jong Un, general secretary of ...".
std::optional<std::pair<size_t, size_t>> RoleAfter(const Context& c, size_t last) {
  const size_t next = last + 1;
  if (next >= c.tokens.size() || c.tokens[next].sentence_start) return std::nullopt;
  const std::string_view gap =
      std::string_view(c.doc.text).substr(c.tokens[last].end, c.tokens[next].begin - c.tokens[last].end);
  if (TrimAscii(gap) != ",") return std::nullopt;
  // ", a lecturer at ...", ", the premier,": the article is not part of the role.
  size_t first = next;
  const std::string article = c.Lower(next);
  if ((article == "a" || article == "an" || article == "the" || article == "his" || article == "her" ||
       article == "their") &&
      next + 1 < c.tokens.size() && c.Joined(next + 1)) {
    first = next + 1;
  }
  size_t end = first;
  bool has_head = false;
  size_t last_head = first;
  while (end < c.tokens.size() && (end == first || c.Joined(end))) {
    const std::string word = c.Lower(end);
    const bool head = lexicon::IsTitleHead(word);
    if (!head && !lexicon::IsTitleModifier(word)) break;
    if (head) {
      has_head = true;
      last_head = end;
    }
    ++end;
  }
  if (!has_head) return std::nullopt;
  return std::make_pair(first, last_head);
}

Span MakeSpan(const Context& c, const Mention& m) {
  Span span;
  span.begin = c.tokens[m.first_token].begin;
  span.end = m.end_override != 0 ? m.end_override : c.tokens[m.last_token].end;
  span.kind = SpanKind::kEntity;
  span.label = m.type;
  span.key = m.id;
  return span;
}

}  // namespace

std::vector<Span> FindEntities(const Document& doc, const Gazetteer& gazetteer, const Deadline& deadline) {
  return annotate_internal::FindEntities(doc, annotate_internal::TokenizeDocument(doc), gazetteer, nullptr, deadline);
}

std::vector<Span> annotate_internal::FindEntities(const Document& doc, const DocTokens& tokens,
                                                  const Gazetteer& gazetteer, const std::vector<Span>* dates,
                                                  const Deadline& deadline) {
  // The tokens of every title, paragraph and page-facts block, in the order of doc.spans.
  Context c{doc, gazetteer, tokens, tokens.names, {}, {}, dates, {}};
  // Captions and bylines name the page's people ("Dmitry Medvedev, Kim Jong
  // Il", a photographer's credit); their outlets and places are credits, not
  // mentions, and are left out.
  std::vector<std::pair<uint32_t, uint32_t>> furniture;
  for (const Span& block : doc.spans) {
    if (CarriesPageFacts(block)) furniture.emplace_back(block.begin, block.end);
  }
  c.first_keys.resize(c.tokens.size());
  c.word_keys.resize(c.tokens.size());

  std::vector<Mention> mentions;
  std::vector<bool> covered(c.tokens.size(), false);
  std::vector<std::pair<std::string, std::string>> shape_surnames;  // last word -> id, of names found by shape
  std::vector<std::pair<size_t, std::string>> possessive_bodies;    // first token of a place -> body id
  for (size_t i = 0, steps = 1; i < c.tokens.size(); ++steps) {
    if (steps % 1024 == 0 && deadline.Passed()) break;
    if (!c.tokens[i].capitalized) {
      std::optional<Mention> lower = LowercaseBodyAt(c, i);
      if (lower) {
        for (size_t k = lower->first_token; k <= lower->last_token; ++k) covered[k] = true;
        i = lower->last_token + 1;
        mentions.push_back(std::move(*lower));
      } else {
        ++i;
      }
      continue;
    }
    std::optional<Mention> m = MatchAlias(c, i);
    std::optional<Mention> possessive_body;
    if (m && m->type == "place") possessive_body = PossessiveBodyAfter(c, *m);
    if (!m) m = MatchUnseenName(c, i);
    if (!m)
      m = MatchShapeName(c, i,
                         !mentions.empty() && mentions.back().type == "outlet" && mentions.back().last_token + 1 == i);
    if (!m && !shape_surnames.empty()) {
      // The last word of a name found by shape, alone ("Medvedev said").
      const std::string_view word = c.Text(c.tokens[i]);
      for (const auto& [surname, id] : shape_surnames) {
        if (surname == word) m = Mention{i, i, 0, true, false, id, "person", ""};
      }
    }
    // A Korean surname alone ("Kim" of "Daniel Kim") keeps its own rule.
    if (m && m->unseen && m->surname.empty() && m->last_token > m->first_token &&
        CanonicalSurname(c.Lower(m->last_token)).empty()) {
      shape_surnames.emplace_back(std::string(c.Text(c.tokens[m->last_token])), m->id);
    }
    if (!m) {
      const std::string lower = c.Lower(i);
      const std::string_view surname = CanonicalSurname(lower);
      if (!surname.empty() && SurnameStandsAlone(surname) && !IsAmbiguousSurnameSpelling(lower) &&
          !(i + 1 < c.tokens.size() && c.Joined(i + 1) && IsNameWord(c, i + 1))) {
        m = Mention{i, i, 0, false, true, "", "person", std::string(surname)};
      }
    }
    if (!m) {
      ++i;
      continue;
    }
    for (size_t k = m->first_token; k <= m->last_token; ++k) covered[k] = true;
    i = m->last_token + 1;
    mentions.push_back(std::move(*m));
    if (possessive_body) possessive_bodies.emplace_back(mentions.back().first_token, possessive_body->id);
  }

  // An unseen Korean name that is the start of exactly one known person named
  // in the text is that person cut short ("Kim Jong ll", a typo of "Kim Jong Il").
  for (Mention& m : mentions) {
    if (!m.unseen || m.surname.empty()) continue;
    const Mention* whole = nullptr;
    bool ambiguous = false;
    for (const Mention& known : mentions) {
      if (known.unseen || known.type != "person" || known.id.size() <= m.id.size() + 1 ||
          known.id.compare(0, m.id.size() + 1, m.id + "-") != 0) {
        continue;
      }
      ambiguous = ambiguous || (whole != nullptr && whole->id != known.id);
      whole = &known;
    }
    if (whole != nullptr && !ambiguous) {
      m.id = whole->id;
      m.unseen = false;
    }
  }

  // The last word of a name found by shape, before the full name ("Kimball
  // says ..." in a headline above "Daryl Kimball said").
  if (!shape_surnames.empty()) {
    const size_t before = mentions.size();
    for (size_t i = 0; i < c.tokens.size(); ++i) {
      if (covered[i] || !c.tokens[i].capitalized) continue;
      for (const auto& [surname, id] : shape_surnames) {
        if (surname != c.Text(c.tokens[i])) continue;
        mentions.push_back(Mention{i, i, 0, true, false, id, "person", ""});
        covered[i] = true;
        break;
      }
    }
    if (mentions.size() != before) {
      std::sort(mentions.begin(), mentions.end(),
                [](const Mention& a, const Mention& b) { return a.first_token < b.first_token; });
    }
  }

  // A given name alone ("Jong-un", "Jong Un") of a gazetteer person named in
  // the text is that person.
  std::vector<std::pair<std::string, const Mention*>> given_names;
  for (const Mention& m : mentions) {
    if (m.type != "person" || m.unseen || m.bare_surname || m.surname.empty()) continue;
    const size_t dash = m.id.find('-');
    if (dash == std::string::npos || m.id.compare(0, dash, m.surname) != 0) continue;
    given_names.emplace_back(m.id.substr(dash + 1), &m);
  }
  if (!given_names.empty()) {
    std::vector<Mention> found;
    for (size_t i = 0; i < c.tokens.size(); ++i) {
      if (covered[i] || !c.tokens[i].capitalized) continue;
      std::string key = c.Key(i, false);
      size_t last = i;
      if (key.find('-') == std::string::npos && i + 1 < c.tokens.size() && !covered[i + 1] && c.Joined(i + 1) &&
          c.tokens[i + 1].capitalized) {
        key += "-" + c.Key(i + 1, false);
        last = i + 1;
      }
      for (const auto& [given, person] : given_names) {
        if (given != key) continue;
        Mention m = *person;
        m.first_token = i;
        m.last_token = last;
        m.end_override = 0;
        found.push_back(m);
        for (size_t k = i; k <= last; ++k) covered[k] = true;
        break;
      }
    }
    if (!found.empty()) {
      mentions.insert(mentions.end(), found.begin(), found.end());
      std::sort(mentions.begin(), mentions.end(),
                [](const Mention& a, const Mention& b) { return a.first_token < b.first_token; });
    }
  }

  // Bare surnames: a full-name person with that surname from the nearest
  // preceding sentence that has one, its subject (first person) if that is a
  // candidate ("Kim Yeo-jong, the sister of leader Kim Jong-un, ... Kim also
  // said" is Kim Yeo-jong); failing that, the first following one.
  std::vector<uint32_t> sentence_of(c.tokens.size(), 0);
  for (size_t t = 1; t < c.tokens.size(); ++t)
    sentence_of[t] = sentence_of[t - 1] + (c.tokens[t].sentence_start ? 1 : 0);
  const auto sentence = [&](const Mention& m) { return sentence_of[m.first_token]; };
  // A name in a possessive or a historical aside ("his grandfather Kim Il
  // Sung's 100th birthday", "the late Kim Jong Il") is no antecedent.
  const auto aside = [&](const Mention& m) {
    const uint32_t end = c.tokens[m.last_token].end;
    const std::string_view after = std::string_view(doc.text).substr(end, 4);
    if (after.substr(0, 2) == "'s" || after.substr(0, 4) == "\xE2\x80\x99s") return true;
    for (size_t k = m.first_token, steps = 0; k > 0 && steps < 2 && c.Joined(k); --k, ++steps) {
      if (Contains(kAsideWords, c.Lower(k - 1))) return true;
    }
    return false;
  };
  const auto candidate = [&](const Mention& m, const Mention& bare) {
    return !m.bare_surname && m.type == "person" && m.surname == bare.surname && !aside(m);
  };
  for (size_t n = 0; n < mentions.size(); ++n) {
    Mention& m = mentions[n];
    if (!m.bare_surname) continue;
    const Mention* referent = nullptr;
    for (size_t p = n; !referent && p-- > 0;) {
      if (!candidate(mentions[p], m)) continue;
      referent = &mentions[p];
      // The subject of that sentence, if it is a candidate too.
      for (size_t q = p; q-- > 0 && sentence(mentions[q]) == sentence(mentions[p]);) {
        if (mentions[q].type != "person") continue;
        if (candidate(mentions[q], m)) referent = &mentions[q];
      }
    }
    for (size_t q = n + 1; !referent && q < mentions.size(); ++q) {
      if (candidate(mentions[q], m)) referent = &mentions[q];
    }
    if (referent) {
      m.id = referent->id;
      m.unseen = referent->unseen;
    } else if (!doc.date.empty()) {
      for (const Leader& leader : kDprkLeaders) {
        if (leader.surname == m.surname && leader.from <= doc.date && doc.date < leader.to) m.id = leader.id;
      }
    }
  }

  std::vector<Span> spans;
  for (size_t n = 0; n < mentions.size(); ++n) {
    const Mention& m = mentions[n];
    if (m.id.empty()) continue;
    Span span = MakeSpan(c, m);
    const bool in_furniture = std::any_of(furniture.begin(), furniture.end(), [&](const auto& block) {
      return block.first <= span.begin && span.begin < block.second;
    });
    if (in_furniture && m.type != "person") continue;
    if (m.type == "person" && m.first_token == m.last_token && m.last_token + 1 < c.tokens.size() &&
        c.Joined(m.last_token + 1) && Contains(kGovernmentNouns, c.Lower(m.last_token + 1))) {
      continue;
    }
    if (m.type == "person") {
      std::optional<std::pair<size_t, size_t>> role = RoleBefore(c, m.first_token, covered);
      const bool before = role.has_value();
      if (!role) role = RoleAfter(c, m.last_token);
      if (role) {
        span.attrs.emplace_back("role", doc.text.substr(c.tokens[role->first].begin,
                                                        c.tokens[role->second].end - c.tokens[role->first].begin));
      }
      // "Researcher Kim Ryu Chol at the Academy of Social Sciences".
      if (before && n + 1 < mentions.size() && mentions[n + 1].type == "org") {
        const size_t at = m.last_token + 1;
        const size_t org = mentions[n + 1].first_token;
        if (at < org && org <= at + 2 && c.Joined(at) && (c.Lower(at) == "at" || c.Lower(at) == "of") &&
            (org == at + 1 || c.Lower(at + 1) == "the")) {
          span.attrs.emplace_back("affiliation", mentions[n + 1].id);
        }
      }
    }
    for (const auto& [token, body] : possessive_bodies) {
      if (token == m.first_token) span.attrs.emplace_back("body", body);
    }
    if (m.unseen) span.attrs.emplace_back("new", "1");
    spans.push_back(std::move(span));
  }
  return spans;
}

std::string CanonicalId(const Gazetteer& gazetteer, std::string_view surface) {
  Document doc;
  doc.text = std::string(TrimAscii(surface));
  if (doc.text.empty()) return "";
  doc.spans.push_back(Span{0, static_cast<uint32_t>(doc.text.size()), SpanKind::kParagraph, "", "", {}});
  const std::vector<Span> found = FindEntities(doc, gazetteer);
  // The name is the last entity of the surface ("Premier Kim Tok-hun": the role is not an entity).
  for (auto it = found.rbegin(); it != found.rend(); ++it) {
    if (it->end == doc.text.size() || doc.text.substr(it->end).find_first_not_of(" .,") == std::string::npos) {
      return it->key;
    }
  }
  return "";
}

}  // namespace echotrace
