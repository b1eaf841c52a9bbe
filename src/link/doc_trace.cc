#include "link/doc_trace.h"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "core/text.h"
#include "link/normalize.h"

namespace echotrace {
namespace {

// ---------------------------------------------------------------------------
// Passages

// ---------------------------------------------------------------------------
// Phrase search

// The words of a passage that must be found: bracketed insertions left
// out, split into segments at elisions ("...").
std::vector<std::vector<const Token*>> Segments(const std::vector<Token>& tokens) {
  std::vector<std::vector<const Token*>> out;
  for (const Token& t : tokens) {
    if (t.bracketed) continue;
    if (out.empty() || t.elision_before) out.emplace_back();
    out.back().push_back(&t);
  }
  std::erase_if(out, [](const auto& s) { return s.empty(); });
  return out;
}

std::string Stem(const std::string& word);

// Same word, or (when `stems`) a content word of the same stem
// ("bolstering"/"bolster", "annihilation"/"annihilate").
bool WordMatches(const Token& q, const Token& o, bool stems) {
  if (SameWord(q, o)) return true;
  return stems && q.key.size() >= 4 && o.key.size() >= 4 && !IsStopWord(q) && Stem(q.key) == Stem(o.key);
}

// Finds the segments in order in `origin`; returns the origin token range
// [*from, *to) covering them. Linear per start position in the segment length.
bool FindPhrase(const std::vector<std::vector<const Token*>>& segments, const std::vector<Token>& origin, bool stems,
                size_t* from, size_t* to) {
  if (segments.empty()) return false;
  size_t pos = 0;
  bool first = true;
  for (const auto& seg : segments) {
    bool found = false;
    for (size_t i = pos; i + seg.size() <= origin.size(); ++i) {
      size_t k = 0;
      while (k < seg.size() && WordMatches(*seg[k], origin[i + k], stems)) ++k;
      if (k == seg.size()) {
        if (first) *from = i;
        first = false;
        pos = i + seg.size();
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  *to = pos;
  return true;
}

// ---------------------------------------------------------------------------
// Paraphrase

// A light English stemmer: enough that "bolster"/"bolstering",
// "suspended"/"suspension" and "threats"/"threat" meet.
std::string Stem(const std::string& word) {
  std::string w = word;
  auto strip = [&](std::string_view suffix, size_t keep) {
    if (w.size() >= suffix.size() + keep && w.ends_with(suffix)) {
      w.resize(w.size() - suffix.size());
      return true;
    }
    return false;
  };
  strip("s", 3);
  (void)(strip("ing", 3) || strip("ed", 3) || strip("ion", 4) || strip("ly", 3) || strip("ment", 4) ||
         strip("ness", 3) || strip("al", 4) || strip("ive", 4) || strip("ity", 4) || strip("e", 3));
  if (w.size() > 6) w.resize(6);
  return w;
}

// Words that independent translations of one Korean word give, one class a
// line (matched on stems, see Stem): the paraphrase tier counts them as one.
// General English of political and military reporting, not phrases of any
// one statement.
constexpr std::string_view kSynonyms[] = {
    "policy politics policies",
    "army military forces troops",
    "administration regime government authorities",
    "annihilate annihilated wipe exterminate destroy",
    "immediately instantly promptly",
    "strength power might capability capabilities",
    "overlook ignore ignored overlooked",
    "threat threats menace",
    "trust confidence",
    "facility base plant factory",
    "produce producing production",
    "state country nation",
    "speak talk spoke talked",
    "restrain contain curb",
    "serious grave gravest",
    "prepare prepared preparation ready",
    "dialogue talks negotiations",
    "warn warning warned",
    "punish punished punishment",
    "attempt attempts try tried",
    "unification reunification",
    "declaration statement announcement",
    "hesitate hesitation",
    "enemy enemies foe",
    "attack strike",
    "case incident",
    "break breach hole gap",
    "quarantine epidemic",
    "defend guard safeguard protect",
    "belief faith",
    "condemn denounce defame slander vilify belittle",
    "spread scatter disseminate",
    "trash trashy rubbish garbage filth",
    "insult mock mockery ridicule",
    "tour visit inspect",
};

// Number words, folded to digits: one translation writes "two years", another "2 years".
constexpr std::string_view kNumberWords[] = {"zero",  "one",   "two",  "three", "four",   "five",  "six",
                                             "seven", "eight", "nine", "ten",   "eleven", "twelve"};

// The class of a folded word: the first word of its synonym line (stemmed),
// else its own stem.
std::string WordClass(const std::string& key) {
  static const std::unordered_map<std::string, std::string> classes = [] {
    std::unordered_map<std::string, std::string> map;
    for (std::string_view line : kSynonyms) {
      std::string head;
      for (std::string_view word : SplitTrimmed(line, ' ')) {
        const std::string stem = Stem(std::string(word));
        if (head.empty()) head = stem;
        map.emplace(stem, head);
      }
    }
    return map;
  }();
  for (size_t n = 0; n < std::size(kNumberWords); ++n)
    if (key == kNumberWords[n]) return std::to_string(n);
  std::string stem = Stem(key);
  auto it = classes.find(stem);
  return it == classes.end() ? stem : it->second;
}

bool IsNumber(const std::string& key) {
  return !key.empty() && std::all_of(key.begin(), key.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Content words of a paraphrase comparison (stop words and one-letter words
// out; digits stay: they must agree).
bool Content(const Token& t) { return !t.bracketed && !IsStopWord(t) && (t.key.size() > 1 || IsNumber(t.key)); }

// A long passage's paraphrase with at least this share of its words found
// proves its origin for the article's short paraphrases (as an anchor does).
constexpr double kProvingParaphrase = 0.7;

struct Origin {
  StoredVersion version;
  TokenStream tokens;
  int32_t day = IndexedDoc::kUnknownDay;
  std::string why;    // "anchored" or "window+topic"
  double weight = 0;  // topic strength in [0, 1]
  // The word class of each content token ("" for others), filled the first
  // time the paraphrase tier compares a passage with this origin: stemming
  // every origin word once, not once per passage.
  std::vector<std::string> classes;
  bool classed = false;
};

const std::vector<std::string>& ClassesOf(Origin& o) {
  if (!o.classed) {
    const std::vector<Token>& ot = o.tokens.tokens;
    o.classes.assign(ot.size(), std::string());
    for (size_t k = 0; k < ot.size(); ++k) {
      if (Content(ot[k])) o.classes[k] = WordClass(ot[k].key);
    }
    o.classed = true;
  }
  return o.classes;
}

// A link to origin tokens [from, to) for the quote tokens `q` (offsets of
// doc.text); the caller fills the figures and the diff.
QuoteMatch MakeMatch(const Origin& o, size_t from, size_t to, const std::vector<Token>& q, const std::string& why) {
  QuoteMatch m;
  m.docno = o.version.docno;
  m.version_id = o.version.version_id;
  m.article_id = o.version.article_id;
  m.outlet = o.version.doc.source;
  m.date = o.version.doc.date;
  m.origin_begin = o.tokens.tokens[from].begin;
  m.origin_end = o.tokens.tokens[to - 1].end;
  m.paragraph = ParagraphOf(o.version.doc, m.origin_begin);
  m.quote_begin = q.front().begin;
  m.quote_end = q.back().end;
  m.why = why;
  return m;
}

}  // namespace

std::vector<QuotedPassage> FindQuotedPassages(const Document& doc) {
  // Annotation is the one reader of quotation marks (annotate/quotes.h):
  // its quotes, and its terms, which are state-media wording too (a title,
  // a policy's name, a single word in marks with no speaker: "arch-enemy").
  std::vector<QuotedPassage> out;
  for (const Span& span : doc.spans) {
    if ((span.kind == SpanKind::kQuote || span.kind == SpanKind::kTerm) && span.end > span.begin) {
      out.push_back({span.begin, span.end});
    }
  }
  std::sort(out.begin(), out.end(), [](const QuotedPassage& a, const QuotedPassage& b) {
    return a.begin < b.begin || (a.begin == b.begin && a.end < b.end);
  });
  out.erase(
      std::unique(out.begin(), out.end(),
                  [](const QuotedPassage& a, const QuotedPassage& b) { return a.begin == b.begin && a.end == b.end; }),
      out.end());
  return out;
}

Result<std::vector<QuoteMatch>> TraceDocument(const Tracer& tracer, const Document& doc, int64_t exclude_docno,
                                              const DocumentTraceOptions& options) {
  const NgramIndex& index = tracer.index();
  const std::vector<QuotedPassage> passages = FindQuotedPassages(doc);
  std::vector<QuoteMatch> out;
  int32_t first = IndexedDoc::kUnknownDay, last = IndexedDoc::kUnknownDay;
  const bool dated = DayRange(doc.date, &first, &last) && options.context;
  const int32_t lo = dated ? first - options.window_before_days : INT32_MIN;
  const int32_t hi = dated ? last + options.window_after_days : INT32_MAX;

  TraceRequest wide;  // up to the window's end, however old
  wide.exclude_docno = exclude_docno;
  wide.last_day = dated ? hi : INT32_MAX;
  TraceRequest windowed = wide;
  windowed.first_day = lo;
  const TraceOptions& topt = tracer.options();

  // Tier 1: verbatim passages, each alone. Originals of the window first; an
  // older one only for a long passage that the window matches much less of.
  std::vector<std::optional<QuoteMatch>> best(passages.size());
  std::vector<std::vector<QuoteMatch>> in_window_found(passages.size());
  std::set<int64_t> anchors;
  // A passage's link stands for the whole passage: the words around the
  // matched stretch are the outlet's own translation of the same sentence
  // ("Our progress toward becoming [a military superpower and a nuclear
  // power will] accelerate even more"); the diff keeps the stretch's words.
  auto accept = [&](size_t i, QuoteMatch m) {
    m.quote_begin = passages[i].begin;
    m.quote_end = passages[i].end;
    m.why = "verbatim";
    anchors.insert(m.docno);
    for (int64_t r : m.republications) anchors.insert(r);
    best[i] = std::move(m);
  };
  for (size_t i = 0; i < passages.size(); ++i) {
    const QuotedPassage& p = passages[i];
    const std::string_view quote = std::string_view(doc.text).substr(p.begin, p.end - p.begin);
    if (dated) {
      ET_ASSIGN_OR_RETURN(in_window_found[i], tracer.Trace(quote, windowed));
    }
    ET_ASSIGN_OR_RETURN(std::vector<QuoteMatch> all, tracer.Trace(quote, wide));
    const QuoteMatch* w = in_window_found[i].empty() ? nullptr : &in_window_found[i].front();
    const QuoteMatch* a = all.empty() ? nullptr : &all.front();
    if (!dated) {
      if (a != nullptr) accept(i, *a);
    } else if (a != nullptr && a->matched_words >= topt.long_match_words &&
               (w == nullptr || 2 * a->matched_words > 3 * w->matched_words)) {
      accept(i, *a);
    } else if (w != nullptr && w->matched_words >= topt.long_match_words) {
      accept(i, *w);
    }
  }
  // Long verbatim stretches outside quotation marks (a pasted KCNA paragraph):
  // paragraphs holding no passage are traced whole; only long matches link.
  std::vector<QuoteMatch> stretches;
  if (options.trace_paragraphs) {
    for (const Span& span : doc.spans) {
      if (span.kind != SpanKind::kParagraph) continue;
      bool has_passage = false;
      for (const QuotedPassage& p : passages) has_passage |= p.begin < span.end && span.begin < p.end;
      if (has_passage) continue;
      const std::string_view para = std::string_view(doc.text).substr(span.begin, span.end - span.begin);
      ET_ASSIGN_OR_RETURN(std::vector<QuoteMatch> found, tracer.Trace(para, dated ? windowed : wide));
      if (found.empty() && dated) {
        ET_ASSIGN_OR_RETURN(found, tracer.Trace(para, wide));
      }
      if (found.empty() || found.front().matched_words < topt.long_match_words) continue;
      QuoteMatch m = std::move(found.front());
      m.quote_begin += span.begin;
      m.quote_end += span.begin;
      m.why = "verbatim";
      anchors.insert(m.docno);
      stretches.push_back(std::move(m));
    }
  }

  // Shorter matches of the window: an anchor's first, else the best.
  auto accept_short = [&](size_t i) {
    if (best[i] || in_window_found[i].empty()) return;
    const QuoteMatch* pick = &in_window_found[i].front();
    for (const QuoteMatch& m : in_window_found[i]) {
      if (anchors.count(m.docno) != 0) {
        pick = &m;
        break;
      }
    }
    accept(i, *pick);
  };
  // Passage links and stretch links, in text order.
  auto finish = [&]() {
    for (auto& m : best)
      if (m) out.push_back(std::move(*m));
    for (QuoteMatch& m : stretches) out.push_back(std::move(m));
    std::sort(out.begin(), out.end(),
              [](const QuoteMatch& a, const QuoteMatch& b) { return a.quote_begin < b.quote_begin; });
  };
  if (!options.context) {
    for (size_t i = 0; i < passages.size(); ++i) accept_short(i);
    finish();
    return out;
  }

  // The origins that context offers: anchors, then the window's topic articles.
  std::vector<Origin> origins;
  auto load = [&](int64_t docno, const std::string& why, double weight) -> Status {
    for (const Origin& o : origins)
      if (o.version.docno == docno) return Status::Ok();
    ET_ASSIGN_OR_RETURN(StoredVersion v, tracer.loader()(docno));
    Origin o;
    o.tokens = TokenizeDocument(v.doc);
    o.version = std::move(v);
    o.why = why;
    o.weight = weight;
    const int64_t slot = index.SlotOf(docno);
    o.day = slot >= 0 ? index.docs()[static_cast<size_t>(slot)].day : IndexedDoc::kUnknownDay;
    origins.push_back(std::move(o));
    return Status::Ok();
  };
  for (int64_t docno : anchors) ET_RETURN_IF_ERROR(load(docno, "anchored", 1.0));
  if (dated) {
    CandidateOptions copt;
    copt.state_media_only = true;
    copt.exclude_docno = exclude_docno;
    copt.first_day = lo;
    copt.last_day = hi;
    copt.max_probes = 400;
    copt.posting_budget = 400000;
    copt.max_df = 5000;
    copt.max_candidates = options.topic_docs;
    const std::vector<uint32_t> grams = NgramSet(TokenizeDocument(doc).tokens);
    for (const Candidate& c : index.Candidates(grams, copt)) {
      if (c.shared < options.min_topic_shared) break;
      const double weight = std::min(1.0, static_cast<double>(c.shared) / 20.0);
      ET_RETURN_IF_ERROR(load(index.docs()[c.slot].docno, "window+topic", weight));
    }
  }

  const size_t rare_df =
      std::max(topt.rare_df_min, static_cast<size_t>(topt.rare_df_fraction * static_cast<double>(index.docs().size())));

  // Tiers 2-4 for the passages still unlinked: the words in an anchor; else
  // a shorter verbatim match of the window; else the words in a topic
  // article; else a paraphrase. Three passes: tiers 2-3, then the
  // paraphrases of long passages, then of short ones, whose origin must be
  // proven: an anchor, or an origin that a long passage paraphrases closely.
  std::set<int64_t> proven = anchors;
  for (int pass = 0; pass < 3; ++pass) {
    if (pass == 2) {
      for (const auto& m : best)
        if (m && m->why == "paraphrase" && m->score >= kProvingParaphrase) proven.insert(m->docno);
    }
    for (size_t i = 0; i < passages.size(); ++i) {
      if (best[i]) continue;
      const QuotedPassage& p = passages[i];
      const std::string_view quote = std::string_view(doc.text).substr(p.begin, p.end - p.begin);
      TokenStream qs;
      AppendTokens(quote, p.begin, &qs);
      const std::vector<Token>& q = qs.tokens;
      const auto segments = Segments(q);
      size_t words = 0, content = 0;
      for (const auto& seg : segments) {
        for (const Token* t : seg) {
          ++words;
          content += IsStopWord(*t) ? 0 : 1;
        }
      }
      if (content == 0) continue;
      // A set phrase (every n-gram frequent in the corpus) needs an anchor.
      bool set_phrase = false;
      if (words >= kNgramLength) {
        set_phrase = true;
        for (const PositionedNgram& g : NgramsWithPositions(q)) {
          if (index.DocFrequency(g.hash) <= rare_df) set_phrase = false;
        }
      }
      // Exact words first, then the same stems; anchors before topic articles.
      // A word or two found in most of the context's articles ("juche") is a
      // set term there: it needs an anchor too.
      if (!set_phrase && words < kNgramLength) {
        size_t holding = 0;
        for (const Origin& o : origins) {
          size_t from = 0, to = 0;
          holding += FindPhrase(segments, o.tokens.tokens, false, &from, &to) ? 1 : 0;
        }
        set_phrase = holding >= 3 && 2 * holding > origins.size();
      }
      for (int round = 0; round < 4 && !best[i] && pass == 0; ++round) {
        const bool anchored_round = round < 2, stems = round % 2 == 1;
        if (round == 2) {
          accept_short(i);
          if (best[i]) break;
        }
        for (const Origin& o : origins) {
          if (best[i]) break;
          if ((o.why == "anchored") != anchored_round) continue;
          if (o.why != "anchored" && set_phrase) continue;
          size_t from = 0, to = 0;
          if (!FindPhrase(segments, o.tokens.tokens, stems, &from, &to)) continue;
          QuoteMatch m = MakeMatch(o, from, to, q, o.why);
          m.matched_words = words;
          m.score = 1.0;
          m.coverage = 1.0;
          m.confidence = (o.why == "anchored" ? 0.9 : 0.5 + 0.4 * o.weight) * (stems ? 0.9 : 1.0);
          // The diff: the origin's words in order against the quote's (bracketed
          // insertions and elided text are not compared).
          size_t k = from;
          for (const auto& seg : segments) {
            while (k < to && !WordMatches(*seg.front(), o.tokens.tokens[k], stems)) ++k;
            for (const Token* t : seg) {
              if (k >= to) break;
              const Token& ot = o.tokens.tokens[k++];
              const std::string qw(quote.substr(t->begin - p.begin, t->end - t->begin));
              const std::string ow(std::string_view(o.version.doc.text).substr(ot.begin, ot.end - ot.begin));
              m.diff.push_back({SameWord(*t, ot) ? DiffOp::kKept : DiffOp::kChanged, qw, ow});
            }
          }
          best[i] = std::move(m);
        }
      }
      if (best[i] || !options.paraphrase || pass == 0) continue;

      // Tier 4: paraphrase: the origin stretch holding most of the quote's
      // content words (stems, synonyms folded), numbers agreeing.
      std::vector<std::string> qclasses;
      std::set<std::string> qnumbers;
      for (const Token& t : q) {
        if (!Content(t)) continue;
        if (IsNumber(t.key)) qnumbers.insert(t.key);
        qclasses.push_back(WordClass(t.key));
      }
      std::sort(qclasses.begin(), qclasses.end());
      qclasses.erase(std::unique(qclasses.begin(), qclasses.end()), qclasses.end());
      // A short passage ("freedom of people's expression") is a paraphrase only
      // of an anchor, with every class found close together, in any order.
      const bool short_passage = qclasses.size() < options.paraphrase_min_words;
      if (short_passage != (pass == 2)) continue;
      if (short_passage && qclasses.size() < options.paraphrase_short_min_words) continue;
      const std::set<std::string> qset(qclasses.begin(), qclasses.end());
      // Origin tokens a paraphrase may spread over.
      const size_t span = short_passage ? q.size() + 3 : std::max<size_t>(2 * q.size(), q.size() + 10);
      const double min_overlap = short_passage ? 1.0 : options.paraphrase_min_overlap;
      double best_overlap = 0, best_weighted = 0;
      Origin* best_origin = nullptr;
      size_t best_from = 0, best_to = 0;
      for (Origin& o : origins) {
        if (short_passage && proven.count(o.version.docno) == 0) continue;
        const std::vector<std::string>& classes = ClassesOf(o);
        // Positions of the quote's classes in the origin, then the densest window.
        std::vector<std::pair<size_t, const std::string*>> hits;
        for (size_t k = 0; k < classes.size(); ++k) {
          if (classes[k].empty()) continue;
          auto it = qset.find(classes[k]);
          if (it != qset.end()) hits.emplace_back(k, &*it);
        }
        std::map<const std::string*, int> counts;
        size_t lo_hit = 0;
        for (size_t h = 0; h < hits.size(); ++h) {
          ++counts[hits[h].second];
          while (hits[h].first - hits[lo_hit].first >= span) {
            if (--counts[hits[lo_hit].second] == 0) counts.erase(hits[lo_hit].second);
            ++lo_hit;
          }
          const size_t shared = counts.size();
          const double overlap = static_cast<double>(shared) / static_cast<double>(qclasses.size());
          const double weighted = overlap * (o.why == "anchored" ? 1.0 : 0.9);
          if (weighted <= best_weighted + 1e-9) continue;
          const size_t from = hits[lo_hit].first, to = hits[h].first + 1;
          // Numbers of the quote must be in the stretch.
          bool numbers_agree = true;
          for (const std::string& n : qnumbers) {
            bool found = false;
            for (size_t k = from; k < to && !found; ++k) found = !classes[k].empty() && classes[k] == n;
            numbers_agree &= found;
          }
          if (!numbers_agree) continue;
          best_weighted = weighted;
          best_overlap = overlap;
          best_origin = &o;
          best_from = from;
          best_to = to;
        }
      }
      if (best_origin == nullptr || best_overlap + 1e-9 < min_overlap) continue;
      // The shared words must come mostly in the quote's order (a translation
      // keeps the order of ideas; words shared by chance do not): the longest
      // common subsequence of the quote's classes and the stretch's (each
      // occurrence counts, so a word repeated earlier in the stretch does not
      // hide the order), at least half the shared classes.
      {
        const std::vector<std::string>& classes = ClassesOf(*best_origin);
        std::vector<std::string> qseq, oseq;
        std::set<std::string> seen;
        for (const Token& t : q) {
          if (!Content(t)) continue;
          std::string c = WordClass(t.key);
          if (seen.insert(c).second) qseq.push_back(std::move(c));
        }
        for (size_t k = best_from; k < best_to; ++k) {
          if (!classes[k].empty() && qset.count(classes[k]) != 0) oseq.push_back(classes[k]);
        }
        // O(|qseq| * |oseq|): both bounded by the passage's length (the stretch by twice it).
        std::vector<size_t> prev(oseq.size() + 1, 0), cur(oseq.size() + 1, 0);
        for (const std::string& a : qseq) {
          for (size_t k = 0; k < oseq.size(); ++k)
            cur[k + 1] = a == oseq[k] ? prev[k] + 1 : std::max(prev[k + 1], cur[k]);
          std::swap(prev, cur);
        }
        const size_t shared = static_cast<size_t>(best_overlap * static_cast<double>(qclasses.size()) + 0.5);
        if (2 * prev.back() < shared + 1) continue;
      }
      QuoteMatch m = MakeMatch(*best_origin, best_from, best_to, q, "paraphrase");
      m.matched_words = static_cast<size_t>(best_overlap * static_cast<double>(qclasses.size()) + 0.5);
      m.score = best_overlap;
      m.coverage = 1.0;
      m.confidence = std::min(1.0, best_overlap) * (best_origin->why == "anchored" && !short_passage ? 1.0 : 0.8);
      best[i] = std::move(m);
    }
  }
  finish();
  return out;
}

}  // namespace echotrace
