#include "link/trace.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "link/minhash.h"

namespace echotrace {
namespace {

constexpr size_t kMaxQueryTokens = 2000;
constexpr size_t kMaxWindowTokens = 6000;

// The origin window most dense in the quote's n-grams, widened by the quote's length.
bool ChooseWindow(const std::vector<MatchToken>& origin, const std::unordered_set<uint32_t>& query_grams, size_t m,
                  size_t* from, size_t* to) {
  std::vector<uint32_t> hits;
  for (const PositionedNgram& g : NgramsWithPositions(origin)) {
    if (query_grams.count(g.hash) != 0) hits.push_back(g.position);
  }
  if (hits.empty()) return false;
  const size_t span = 3 * m + 50;
  size_t best_lo = 0, best_count = 0, lo = 0;
  for (size_t hi = 0; hi < hits.size(); ++hi) {
    while (hits[hi] - hits[lo] > span) ++lo;
    if (hi - lo + 1 > best_count) {
      best_count = hi - lo + 1;
      best_lo = lo;
    }
  }
  const size_t first = hits[best_lo];
  const size_t last = hits[best_lo + best_count - 1] + kNgramLength;
  *from = first > m + 10 ? first - m - 10 : 0;
  *to = std::min(origin.size(), last + m + 10);
  if (*to - *from > kMaxWindowTokens) *to = *from + kMaxWindowTokens;
  return true;
}

// Hashes of consecutive matched origin words: what identifies the passage.
std::vector<uint64_t> PassageShape(const Alignment& a, const std::vector<MatchToken>& origin) {
  std::vector<uint64_t> out;
  uint64_t prev = 0;
  for (const AlignStep& s : a.steps) {
    if (s.op != AlignOp::kMatch) continue;
    const uint64_t h = origin[static_cast<size_t>(s.origin)].hash;
    out.push_back(prev * 31 + h);
    prev = h;
  }
  std::sort(out.begin(), out.end());
  return out;
}

double SetOverlap(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  const size_t common = ForEachCommon(a, b, [](uint64_t) {});
  // Over the larger: a partial match of a passage is not a republication of it.
  const size_t larger = std::max(a.size(), b.size());
  return larger == 0 ? 0.0 : static_cast<double>(common) / static_cast<double>(larger);
}

struct Scored {
  QuoteMatch match;
  int32_t day = IndexedDoc::kUnknownDay;
  std::vector<uint64_t> shape;
};

bool Earlier(const Scored& a, const Scored& b) {
  const bool a_known = a.day != IndexedDoc::kUnknownDay, b_known = b.day != IndexedDoc::kUnknownDay;
  if (a_known != b_known) return a_known;
  if (a.day != b.day) return a.day < b.day;
  return a.match.docno < b.match.docno;
}

}  // namespace

std::string_view MatchKind(const QuoteMatch& m) {
  if (m.why == "paraphrase") return "paraphrase";
  for (const DiffWord& w : m.diff) {
    if (w.op != DiffOp::kKept) return "near";
  }
  return "verbatim";
}

int ParagraphOf(const Document& doc, uint32_t offset) {
  int n = 0;
  for (const Span& span : doc.spans) {
    if (span.kind != SpanKind::kParagraph) continue;
    ++n;
    if (offset >= span.begin && offset < span.end) return n;
  }
  return 0;
}

Tracer::Tracer(const NgramIndex* index, VersionLoader loader, TraceOptions options)
    : index_(index), loader_(std::move(loader)), options_(std::move(options)) {}

Result<std::vector<QuoteMatch>> Tracer::Trace(std::string_view text, const TraceRequest& request) const {
  std::vector<QuoteMatch> results;
  TokenStream query = Tokenize(text);
  if (query.tokens.size() > kMaxQueryTokens) query.tokens.resize(kMaxQueryTokens);
  const std::vector<MatchToken>& q = query.tokens;
  size_t content_words = 0;
  for (const MatchToken& t : q) content_words += t.bracketed ? 0 : 1;
  if (content_words < options_.min_words) return results;

  std::vector<uint32_t> grams = NgramSet(q);
  const std::unordered_set<uint32_t> gram_set(grams.begin(), grams.end());
  CandidateOptions copt = options_.candidates;
  copt.last_day = std::min(copt.last_day, request.last_day);
  copt.first_day = std::max(copt.first_day, request.first_day);
  copt.exclude_docno = request.exclude_docno;
  copt.state_media_only = request.state_media_only;
  const std::vector<Candidate> candidates = index_->Candidates(grams, copt);
  const size_t rare_df =
      std::max(options_.rare_df_min,
               static_cast<size_t>(options_.rare_df_fraction * static_cast<double>(index_->docs().size())));
  std::vector<Scored> accepted;
  for (const Candidate& c : candidates) {
    // Candidates come most-shared first: once a match is in hand, those
    // sharing under half as many probed n-grams as the first are not read
    // (bounds the cost of long origins such as speeches).
    if (!accepted.empty() && 2 * c.shared < candidates.front().shared) break;
    const IndexedDoc& meta = index_->docs()[c.slot];
    ET_ASSIGN_OR_RETURN(StoredVersion version, loader_(meta.docno));
    const TokenStream origin = TokenizeDocument(version.doc);
    size_t from = 0, to = 0;
    if (!ChooseWindow(origin.tokens, gram_set, q.size(), &from, &to)) continue;
    const Alignment a = AlignLocal(q, origin.tokens, from, to, options_.align);
    if (a.matched < options_.min_words) continue;
    size_t content_matched = 0;
    for (const AlignStep& step : a.steps) {
      if (step.op == AlignOp::kMatch && !IsStopWord(q[static_cast<size_t>(step.query)])) ++content_matched;
    }
    if (content_matched < options_.min_content_words) continue;
    size_t span_words = 0;
    for (size_t k = a.query_begin; k < a.query_end; ++k) span_words += q[k].bracketed ? 0 : 1;
    const double score = a.score / static_cast<double>(std::max<size_t>(span_words, 1));
    const double coverage = static_cast<double>(span_words) / static_cast<double>(content_words);
    if (score < options_.min_score) continue;
    if (coverage < options_.min_coverage && a.matched < options_.long_match_words) continue;
    if (a.matched < options_.long_match_words) {
      // Short: needs a rare n-gram inside the aligned stretch of the quote.
      bool rare = false;
      for (const PositionedNgram& g : NgramsWithPositions(q)) {
        if (g.position < a.query_begin || g.position + kNgramLength > a.query_end) continue;
        const size_t df = index_->DocFrequency(g.hash);
        if (df > 0 && df <= rare_df) {
          rare = true;
          break;
        }
      }
      if (!rare) continue;
    }
    Scored s;
    s.day = meta.day;
    QuoteMatch& m = s.match;
    m.docno = version.docno;
    m.version_id = version.version_id;
    m.article_id = version.article_id;
    m.outlet = version.doc.source;
    m.date = version.doc.date;
    m.origin_begin = origin.tokens[a.origin_begin].begin;
    m.origin_end = origin.tokens[a.origin_end - 1].end;
    m.paragraph = ParagraphOf(version.doc, m.origin_begin);
    m.quote_begin = q[a.query_begin].begin;
    m.quote_end = q[a.query_end - 1].end;
    m.score = score;
    m.coverage = coverage;
    m.matched_words = a.matched;
    m.confidence = std::min(1.0, score);
    m.diff = WordDiff(a, q, text, origin.tokens, version.doc.text);
    s.shape = PassageShape(a, origin.tokens);
    accepted.push_back(std::move(s));
  }
  // Best first, then collapse republications of one passage into the earliest.
  std::sort(accepted.begin(), accepted.end(), [](const Scored& a, const Scored& b) {
    if (a.match.matched_words != b.match.matched_words) return a.match.matched_words > b.match.matched_words;
    return a.match.score > b.match.score;
  });
  std::vector<std::vector<size_t>> groups;
  for (size_t i = 0; i < accepted.size(); ++i) {
    bool placed = false;
    for (auto& group : groups) {
      if (SetOverlap(accepted[group.front()].shape, accepted[i].shape) >= 0.8) {
        group.push_back(i);
        placed = true;
        break;
      }
    }
    if (!placed) groups.push_back({i});
  }
  for (const auto& group : groups) {
    size_t first = group.front();
    for (size_t i : group) {
      if (Earlier(accepted[i], accepted[first])) first = i;
    }
    QuoteMatch m = accepted[first].match;
    // The best alignment's figures describe the group; its origin is the earliest.
    const QuoteMatch& best = accepted[group.front()].match;
    if (first != group.front() && best.matched_words > m.matched_words + 2) {
      m.score = best.score;
    }
    for (size_t i : group) {
      if (i != first) m.republications.push_back(accepted[i].match.docno);
    }
    std::sort(m.republications.begin(), m.republications.end());
    results.push_back(std::move(m));
    if (results.size() >= options_.max_results) break;
  }
  return results;
}

}  // namespace echotrace
