// Quote provenance: which state-media passage a quote (or a passage, or a
// foreign article) reuses, and what the outlet changed.
//
//   1. Candidates: the quote's word 3-grams are looked up in the NgramIndex,
//      rarest first; documents sharing the most are kept (see ngram_index.h).
//   2. Alignment: each candidate is tokenized and the densest window of
//      shared n-grams is aligned with the quote (align.h), which tolerates
//      brackets, ellipses/{snip}, trims, spelling and romanization variants.
//   3. Acceptance: at least `min_words` words kept, a per-word score of at
//      least `min_score` over the aligned stretch, most of the quote covered
//      (or a long reused stretch), and for short matches at least one n-gram
//      rare enough in the corpus to prove reuse (set phrases do not).
//   4. Collapse: matches on the same origin passage in several documents
//      (republications) are one result, represented by the earliest.
// Originals must be dated no later than the citing article plus one day.
//
// Cost: bounded per query: at most `candidates.max_candidates` documents are
// loaded and aligned, a quote is cut to 2,000 words and a window to 6,000,
// so time is O(C * m * w) with those caps; memory O(m * w).
// Thread-safety: a Tracer is immutable after construction; Trace may run
// concurrently if the loader is thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/document.h"
#include "core/status.h"
#include "link/align.h"
#include "link/diff.h"
#include "link/ngram_index.h"
#include "store/store.h"

namespace echotrace {

struct TraceOptions {
  // Per-word alignment score over the aligned stretch, in (0, 1]. Default
  // 0.55: a quote with a third of its words edited still passes; a chance
  // alignment of scattered common words does not.
  double min_score = 0.55;
  // Words kept (matched) at least. Default 4: one- to three-word fragments
  // never prove reuse.
  size_t min_words = 4;
  // Of those, words that are not stop words. Default 3: "in the face of"
  // is not evidence of reuse, "great life-and-death struggle" is.
  size_t min_content_words = 3;
  // Share of the quote's words inside the aligned stretch. Default 0.5.
  double min_coverage = 0.5;
  // A stretch of this many matched words passes whatever the coverage
  // (a reused passage inside a long text). Default 12.
  size_t long_match_words = 12;
  // Matches shorter than `long_match_words` need one n-gram found in at most
  // max(rare_df_min, rare_df_fraction * documents) documents. Defaults 40 and 0.002.
  size_t rare_df_min = 40;
  double rare_df_fraction = 0.002;
  size_t max_results = 5;  // distinct origin passages returned
  CandidateOptions candidates;
  AlignOptions align;
};

// Loads a stored version (without raw bytes) by docno.
using VersionLoader = std::function<Result<StoredVersion>(int64_t docno)>;

struct QuoteMatch {
  int64_t docno = 0;  // the origin: earliest publication of the passage
  std::string version_id;
  std::string article_id;
  std::string outlet;  // Document::source
  std::string date;
  uint32_t origin_begin = 0, origin_end = 0;  // bytes of the origin's Document::text
  int paragraph = 0;  // 1-based body paragraph of origin_begin; 0 when unknown (0 also for the title)
  uint32_t quote_begin = 0, quote_end = 0;  // bytes of the traced text that were matched
  double score = 0;                         // per-word alignment score over the aligned stretch
  double coverage = 0;                      // share of the quote's words inside the aligned stretch
  size_t matched_words = 0;
  std::vector<DiffWord> diff;
  std::vector<int64_t> republications;  // later documents with the same passage
  // Why the link was made: "verbatim" (a passage long or rare enough to prove
  // reuse alone), "anchored" (a short quote found in an origin that the
  // citing article's other quotes proved), "window+topic" (a short quote
  // found in a state article of the citing day's window that shares rare
  // terms or names with the citing article), "paraphrase" (an independent
  // translation matched on content words, names and numbers).
  std::string why = "verbatim";
  double confidence = 0;  // in [0, 1]; comparable within one `why`
};

// "verbatim" when every word of the matched stretch was kept, "near" for
// small edits, "paraphrase" for the paraphrase tier.
std::string_view MatchKind(const QuoteMatch& m);

struct TraceRequest {
  // Originals dated after this day are ignored (the citing day + 1); INT32_MAX: no bound.
  int32_t last_day = INT32_MAX;
  // Originals dated before this day (or undated) are ignored; INT32_MIN: no bound.
  int32_t first_day = INT32_MIN;
  int64_t exclude_docno = 0;  // the citing document, when it is stored
  bool state_media_only = true;
};

class Tracer {
 public:
  // `index` and `loader` must outlive the Tracer.
  Tracer(const NgramIndex* index, VersionLoader loader, TraceOptions options = {});

  // Matches for `text`, best first (most words kept). An empty vector when
  // nothing passes. Errors: the loader's (kIOError, kCorrupt).
  Result<std::vector<QuoteMatch>> Trace(std::string_view text, const TraceRequest& request) const;

  const TraceOptions& options() const { return options_; }
  const NgramIndex& index() const { return *index_; }
  const VersionLoader& loader() const { return loader_; }

 private:
  const NgramIndex* index_;
  VersionLoader loader_;
  TraceOptions options_;
};

// The 1-based index of the body paragraph containing byte `offset`; 0 when
// the document has no paragraph spans or the offset is outside them.
int ParagraphOf(const Document& doc, uint32_t offset);

}  // namespace echotrace
