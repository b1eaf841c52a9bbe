// Scoring of the generated gold (link_gold.h): trace P/R/F1, diff word
// accuracy, latency, dedup P/R. Shared by the corpus test and the bench.
#pragma once

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>

#include "eval/link_gold.h"
#include "link/dedup.h"

namespace echotrace::linkgold {

struct TraceOutcome {
  bool positive = false;
  bool found = false;
  bool correct = false;  // top match's origin contains the original sentence
  double score = 0;      // top match's score
  double diff_correct = 0, diff_total = 0;
  double ms = 0;
};

inline bool ContainsWords(const std::string& haystack, const std::string& needle) {
  return Join(Words(haystack)).find(needle) != std::string::npos;
}

inline TraceOutcome RunOne(const Corpus& corpus, const Tracer& tracer, const GoldQuote& q) {
  TraceOutcome o;
  o.positive = q.source_docno != 0;
  const auto start = std::chrono::steady_clock::now();
  auto matches = tracer.Trace(q.text, TraceRequest{});
  o.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  if (!matches.ok() || matches->empty()) return o;
  const QuoteMatch& m = matches->front();
  o.found = true;
  o.score = m.score;
  if (!o.positive) {
    if (std::getenv("LINK_EVAL_VERBOSE") != nullptr) {
      std::fprintf(stderr, "NEGATIVE FOUND %s (%.2f, %zu words): %s\n", q.kind.c_str(), m.score, m.matched_words,
                   q.text.c_str());
    }
    return o;
  }
  std::vector<int64_t> docs = m.republications;
  docs.push_back(m.docno);
  for (int64_t d : docs) o.correct |= d == q.source_docno || ContainsWords(corpus.Get(d)->doc.text, q.original);
  if (!o.correct && std::getenv("LINK_EVAL_VERBOSE") != nullptr) {
    std::fprintf(stderr, "WRONG ORIGIN %lld for %s\n  %s\n", static_cast<long long>(m.docno), q.text.c_str(),
                 RenderDiff(m.diff).c_str());
  }
  // Diff accuracy: query words in order against the expected labels.
  size_t qi = 0;
  const TokenStream qt = Tokenize(q.text);
  // Expected label per token: map words (space-separated) to tokens by counting tokens per word.
  std::vector<Expect> per_token;
  {
    std::string text = q.text;
    const auto words = Words(text);
    size_t w = 0;
    for (const std::string& word : words) {
      const size_t n = Tokenize(word).tokens.size();
      for (size_t k = 0; k < n; ++k) per_token.push_back(w < q.expected.size() ? q.expected[w] : Expect::kKept);
      if (word != "..." && word != "{snip}") ++w;  // markers were appended to the word before them
    }
  }
  size_t omitted = 0;
  size_t first_query = SIZE_MAX;
  for (const DiffWord& d : m.diff) {
    if (d.op == DiffOp::kOmitted) {
      ++omitted;
      continue;
    }
    if (first_query == SIZE_MAX) first_query = 0;
    (void)qi;
  }
  // Walk the diff's query words against the tokens of the matched stretch.
  const auto begin_token = static_cast<size_t>(
      std::find_if(qt.tokens.begin(), qt.tokens.end(), [&](const MatchToken& t) { return t.begin >= m.quote_begin; }) -
      qt.tokens.begin());
  size_t t = begin_token;
  for (const DiffWord& d : m.diff) {
    if (d.op == DiffOp::kOmitted) continue;
    if (t >= per_token.size()) break;
    const Expect e = per_token[t++];
    const bool ok = (e == Expect::kKept && d.op == DiffOp::kKept) ||
                    (e == Expect::kChanged && d.op == DiffOp::kChanged) ||
                    (e == Expect::kInserted && d.op == DiffOp::kInserted);
    o.diff_correct += ok ? 1 : 0;
    o.diff_total += 1;
  }
  // Query words outside the matched stretch count as wrong (trims are not in the quote).
  o.diff_total += static_cast<double>(per_token.size() - std::min(per_token.size(), t - begin_token));
  o.diff_total += static_cast<double>(std::max(omitted, q.expected_omitted));
  o.diff_correct += static_cast<double>(std::min(omitted, q.expected_omitted));
  if (std::getenv("LINK_EVAL_VERBOSE") != nullptr && o.diff_correct < o.diff_total) {
    std::string exp;
    for (Expect e : per_token) exp += e == Expect::kKept ? 'k' : e == Expect::kChanged ? 'c' : 'i';
    std::fprintf(stderr, "DIFF %.0f/%.0f omitted %zu/%zu\n  q: %s\n  e: %s\n  d: %s\n", o.diff_correct, o.diff_total,
                 omitted, q.expected_omitted, q.text.c_str(), exp.c_str(), RenderDiff(m.diff).c_str());
  }
  return o;
}

struct Prf {
  double precision = 0, recall = 0, f1 = 0;
  size_t tp = 0, fp = 0, fn = 0;
};

// Scores outcomes at `threshold` on the top match's score.
inline Prf Score(const std::vector<TraceOutcome>& outcomes, double threshold) {
  Prf p;
  for (const TraceOutcome& o : outcomes) {
    const bool said = o.found && o.score >= threshold;
    if (o.positive) {
      if (said && o.correct) {
        ++p.tp;
      } else {
        ++p.fn;
        if (said) ++p.fp;
      }
    } else if (said) {
      ++p.fp;
    }
  }
  p.precision = p.tp + p.fp == 0 ? 1.0 : static_cast<double>(p.tp) / static_cast<double>(p.tp + p.fp);
  p.recall = p.tp + p.fn == 0 ? 1.0 : static_cast<double>(p.tp) / static_cast<double>(p.tp + p.fn);
  p.f1 = p.precision + p.recall == 0 ? 0 : 2 * p.precision * p.recall / (p.precision + p.recall);
  return p;
}

// Dedup gold: the corpus plus injected copies (headline changed, a paragraph
// trimmed, names re-romanized) and teaser stubs (headline + lead). Gold
// pairs: injected copy <-> its source, and corpus documents with identical
// normalized bodies. Precision counts predicted pairs that touch an injected
// document or an exact-body group (other real near-duplicates of the corpus
// are unknown to the gold and are not counted either way).
struct DedupResult {
  Prf prf;
  size_t unlisted = 0;  // predicted pairs outside the gold judged near-identical by word LCS
  size_t documents = 0;
  double seconds = 0;
  double cpu_seconds = 0;  // user + sys of the whole process over the same span (both cores)
};

// User + system CPU seconds of this process so far.
inline double ProcessCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return s(u.ru_utime) + s(u.ru_stime);
}

// Word-level LCS length over the longer text's word count.
inline double WordLcsRatio(const std::string& x, const std::string& y) {
  const TokenStream a = Tokenize(x), b = Tokenize(y);
  const size_t n = a.tokens.size(), m = b.tokens.size();
  if (n == 0 || m == 0) return 0;
  std::vector<uint32_t> prev(m + 1, 0), cur(m + 1, 0);
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      cur[j] = a.tokens[i - 1].hash == b.tokens[j - 1].hash ? prev[j - 1] + 1 : std::max(prev[j], cur[j - 1]);
    }
    std::swap(prev, cur);
  }
  return static_cast<double>(prev[m]) / static_cast<double>(std::max(n, m));
}

inline DedupResult EvaluateDedup(const Corpus& base, size_t injected, uint32_t seed) {
  std::mt19937 rng(seed);
  Corpus c;
  c.versions = base.versions;
  std::map<int64_t, int64_t> copy_of;  // injected docno -> source docno
  for (size_t k = 0; k < injected; ++k) {
    const StoredVersion& src = base.versions[rng() % base.versions.size()];
    StoredVersion v = src;
    v.docno = static_cast<int64_t>(c.versions.size()) + 1;
    v.version_id = "copy-" + std::to_string(k);
    auto lines = Words(v.doc.text);
    const int kind = static_cast<int>(k % 3);
    if (kind == 0 && lines.size() > 60) {
      // Trim the last ~15% of words, change the headline.
      lines.resize(lines.size() * 85 / 100);
      v.doc.title = "Report: " + v.doc.title;
    } else if (kind == 1) {
      for (auto& w : lines) {
        bool changed = false;
        w = Reromanize(w, &changed);
      }
    } else {
      // Teaser stub: the headline and the first words of the lead (~24 words in all).
      if (lines.size() > 24) lines.resize(24);
    }
    v.doc.text = Join(lines);
    copy_of[v.docno] = src.docno;
    c.versions.push_back(std::move(v));
  }
  // Exact-body groups in the base.
  std::map<std::string, std::vector<int64_t>> by_body;
  for (const auto& v : base.versions) by_body[Join(Words(v.doc.text))].push_back(v.docno);
  std::set<std::pair<int64_t, int64_t>> gold;
  std::set<int64_t> known;
  for (auto& [body, docs] : by_body) {
    if (docs.size() < 2) continue;
    for (size_t i = 0; i < docs.size(); ++i) {
      known.insert(docs[i]);
      for (size_t j = i + 1; j < docs.size(); ++j) gold.insert({docs[i], docs[j]});
    }
  }
  for (auto [copy, src] : copy_of) {
    known.insert(copy);
    gold.insert({std::min(copy, src), std::max(copy, src)});
    // A copy of a member of an exact-body group duplicates the whole group.
    auto it = by_body.find(Join(Words(base.versions[static_cast<size_t>(src - 1)].doc.text)));
    for (int64_t d : it->second) gold.insert({std::min(copy, d), std::max(copy, d)});
  }
  const auto start = std::chrono::steady_clock::now();
  const double cpu_start = ProcessCpuSeconds();
  NgramIndex index;
  Deduper dedup(&index);
  std::set<std::pair<int64_t, int64_t>> predicted;
  // Tokens, n-gram sets and band keys on both cores; the index and the pairs in order.
  std::vector<std::vector<uint32_t>> sets(c.versions.size());
  std::vector<std::vector<uint64_t>> keys(c.versions.size());
  PrepareInParallel(
      c.versions.size(),
      [&](size_t i) {
        sets[i] = NgramSet(TokenizeDocument(c.versions[i].doc).tokens);
        keys[i] = Deduper::BandKeysOf(sets[i]);
      },
      [&](size_t i) {
        const StoredVersion& v = c.versions[i];
        for (const DupPair& p : dedup.Add({v.docno, DayNumber(v.doc.date), true}, sets[i], keys[i], nullptr)) {
          predicted.insert({index.docs()[p.a].docno, index.docs()[p.b].docno});
        }
        std::vector<uint32_t>().swap(sets[i]);  // the index holds its copy
        index.MaybeCompact();
      });
  DedupResult r;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.cpu_seconds = ProcessCpuSeconds() - cpu_start;
  r.documents = c.versions.size();
  // Pairs are judged by group membership (transitive closure), as `dups` shows groups.
  std::map<int64_t, int64_t> parent;
  auto find = [&](int64_t x) {
    if (!parent.count(x)) parent[x] = x;
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  for (auto [a, b] : predicted) parent[find(a)] = find(b);
  for (auto [a, b] : gold) {
    if (find(a) == find(b)) {
      ++r.prf.tp;
    } else {
      ++r.prf.fn;
    }
  }
  for (auto [a, b] : predicted) {
    if (!known.count(a) && !known.count(b)) continue;
    if (!gold.count({a, b})) {
      // Not in the generated gold: an unlisted corpus near-duplicate when
      // the two texts agree on >= 80% of their words (word LCS over the
      // longer text, an independent exact measure), else a false positive.
      if (WordLcsRatio(c.versions[static_cast<size_t>(a - 1)].doc.text,
                       c.versions[static_cast<size_t>(b - 1)].doc.text) >= 0.8) {
        ++r.unlisted;
        continue;
      }
      ++r.prf.fp;
      if (std::getenv("LINK_EVAL_VERBOSE") != nullptr && r.prf.fp < 12) {
        std::fprintf(stderr, "FP %lld %lld\n  %s\n  %s\n", static_cast<long long>(a), static_cast<long long>(b),
                     c.versions[static_cast<size_t>(a - 1)].doc.text.substr(0, 200).c_str(),
                     c.versions[static_cast<size_t>(b - 1)].doc.text.substr(0, 200).c_str());
      }
    }
  }
  const double tp = static_cast<double>(r.prf.tp);
  r.prf.recall = tp / std::max(1.0, tp + static_cast<double>(r.prf.fn));
  const double pred_known = static_cast<double>(r.prf.fp);
  size_t pred_tp = 0;
  for (auto [a, b] : predicted) pred_tp += gold.count({a, b});
  pred_tp += r.unlisted;
  r.prf.precision = static_cast<double>(pred_tp) / std::max(1.0, static_cast<double>(pred_tp) + pred_known);
  r.prf.f1 = 2 * r.prf.precision * r.prf.recall / std::max(1e-9, r.prf.precision + r.prf.recall);
  return r;
}

}  // namespace echotrace::linkgold
