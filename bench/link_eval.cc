// Linking figures (bench/RESULTS-link.md): trace P/R/F1 and diff accuracy on
// the generated gold, a precision-recall curve (CSV), trace latency against
// the corpus and against a synthetic 1,000,000-article index, and dedup
// throughput. Usage: echotrace_link_eval SHARED_DIR OUT_CSV [SYNTHETIC_DOCS]
#include "eval/link_eval.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

using namespace echotrace;

namespace {

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s SHARED_DIR OUT_CSV [SYNTHETIC_DOCS]\n", argv[0]);
    return 2;
  }
  const std::string dir = std::string(argv[1]) + "/corpus/";
  const size_t synthetic = argc > 3 ? std::stoul(argv[3]) : 1000000;
  linkgold::Corpus corpus;
  for (const char* f : {"rodong_thogra_2021-2022.jsonl", "kcna_stiles_2024.jsonl", "kcna_marquez_2011.jsonl",
                        "kcna_marquez_2012.jsonl"}) {
    linkgold::LoadJsonl(dir + f, SIZE_MAX, &corpus);
  }
  auto start = std::chrono::steady_clock::now();
  linkgold::BuildIndex(&corpus);
  std::printf("corpus: %zu articles with bodies, %zu postings, indexed in %.2f s\n", corpus.versions.size(),
              corpus.index.postings(), Seconds(start));

  const bool synthetic_only = std::getenv("LINK_EVAL_SYNTHETIC_ONLY") != nullptr;
  const bool dedup_only = std::getenv("LINK_EVAL_DEDUP_ONLY") != nullptr;  // dedup gold and throughput alone
  if (!synthetic_only && !dedup_only) {
    // Trace gold at a permissive score threshold, then sweep it.
    TraceOptions loose;
    loose.min_score = 0.2;
    Tracer tracer(
        &corpus.index, [&](int64_t d) { return corpus.Get(d); }, loose);
    const auto positives = linkgold::MakePositives(corpus, 1200, 11);
    const auto negatives = linkgold::MakeNegatives(corpus, 300, 12);
    std::vector<linkgold::TraceOutcome> outcomes;
    std::vector<double> ms;
    for (const auto* set : {&positives, &negatives}) {
      for (const auto& q : *set) {
        outcomes.push_back(linkgold::RunOne(corpus, tracer, q));
        ms.push_back(outcomes.back().ms);
      }
    }
    FILE* csv = std::fopen(argv[2], "w");
    if (csv == nullptr) return 1;
    std::fprintf(csv, "min_score,precision,recall,f1,tp,fp,fn\n");
    for (double t = 0.2; t <= 1.0001; t += 0.05) {
      const linkgold::Prf p = linkgold::Score(outcomes, t);
      std::fprintf(csv, "%.2f,%.4f,%.4f,%.4f,%zu,%zu,%zu\n", t, p.precision, p.recall, p.f1, p.tp, p.fp, p.fn);
    }
    std::fclose(csv);
    const double default_threshold = TraceOptions{}.min_score;
    const linkgold::Prf at_default = linkgold::Score(outcomes, default_threshold);
    double right = 0, total = 0;
    for (const auto& o : outcomes) {
      right += o.diff_correct;
      total += o.diff_total;
    }
    std::printf("trace gold: %zu positives (4 strengths), %zu negatives\n", positives.size(), negatives.size());
    std::printf("  at min_score %.2f: P %.4f R %.4f F1 %.4f (tp %zu fp %zu fn %zu)\n", default_threshold,
                at_default.precision, at_default.recall, at_default.f1, at_default.tp, at_default.fp, at_default.fn);
    for (int s = 0; s < 4; ++s) {
      std::vector<linkgold::TraceOutcome> sub;
      for (size_t i = 0; i < positives.size(); ++i) {
        if (positives[i].strength == s) sub.push_back(outcomes[i]);
      }
      std::printf("  strength %d recall %.4f\n", s, linkgold::Score(sub, default_threshold).recall);
    }
    std::printf("  diff word accuracy %.4f over %.0f words\n", right / total, total);
    std::printf("  latency vs corpus: p50 %.2f ms p99 %.2f ms\n", Percentile(ms, 0.5), Percentile(ms, 0.99));
  }
  if (!synthetic_only) {
    // Dedup throughput and gold.
    const linkgold::DedupResult dedup = linkgold::EvaluateDedup(corpus, 1500, 13);
    std::printf(
        "dedup gold: P %.4f R %.4f (tp %zu fp %zu fn %zu); %zu articles in %.2f s = %.0f articles/s; "
        "%.2f CPU s = %.0f articles per CPU s\n",
        dedup.prf.precision, dedup.prf.recall, dedup.prf.tp, dedup.prf.fp, dedup.prf.fn, dedup.documents, dedup.seconds,
        static_cast<double>(dedup.documents) / dedup.seconds, dedup.cpu_seconds,
        static_cast<double>(dedup.documents) / dedup.cpu_seconds);
  }
  if (std::getenv("LINK_EVAL_SKIP_SYNTHETIC") != nullptr || dedup_only) return 0;
  // Synthetic index: articles of 6 corpus sentences recombined at random.
  std::vector<std::string> pool;
  for (const auto& v : corpus.versions) {
    for (auto& s : linkgold::Sentences(v.doc.text)) pool.push_back(std::move(s));
  }
  std::vector<std::vector<uint32_t>> pool_grams(pool.size());
  for (size_t i = 0; i < pool.size(); ++i) pool_grams[i] = NgramSet(Tokenize(pool[i]).tokens);
  constexpr size_t kPerDoc = 6;
  std::vector<uint32_t> doc_sentences(synthetic * kPerDoc);
  std::mt19937 rng(14);
  for (auto& s : doc_sentences) s = static_cast<uint32_t>(rng() % pool.size());
  start = std::chrono::steady_clock::now();
  NgramIndex big;
  std::vector<uint32_t> grams;
  for (size_t d = 0; d < synthetic; ++d) {
    grams.clear();
    for (size_t k = 0; k < kPerDoc; ++k) {
      const auto& g = pool_grams[doc_sentences[d * kPerDoc + k]];
      grams.insert(grams.end(), g.begin(), g.end());
    }
    std::sort(grams.begin(), grams.end());
    grams.erase(std::unique(grams.begin(), grams.end()), grams.end());
    big.AddForBulk({static_cast<int64_t>(d) + 1, 19000 + static_cast<int32_t>(d % 3000), true}, grams);
  }
  big.Compact();
  std::printf("synthetic: %zu articles from %zu sentences, %zu postings, built in %.1f s\n", synthetic, pool.size(),
              big.postings(), Seconds(start));
  auto load = [&](int64_t docno) -> Result<StoredVersion> {
    StoredVersion v;
    v.docno = docno;
    v.version_id = std::to_string(docno);
    const size_t d = static_cast<size_t>(docno - 1);
    for (size_t k = 0; k < kPerDoc; ++k) v.doc.text += pool[doc_sentences[d * kPerDoc + k]] + ". ";
    return v;
  };
  Tracer big_tracer(&big, load);
  std::vector<double> big_ms;
  size_t found = 0;
  linkgold::Corpus pool_corpus;  // quotes drawn from the synthetic articles' sentences
  for (size_t i = 0; i < 300; ++i) {
    StoredVersion v = *load(1 + static_cast<int64_t>(rng() % synthetic));
    pool_corpus.versions.push_back(v);
  }
  const auto big_quotes = linkgold::MakePositives(pool_corpus, 300, 15);
  for (const auto& q : big_quotes) {
    const auto t0 = std::chrono::steady_clock::now();
    auto r = big_tracer.Trace(q.text, {});
    big_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    found += r.ok() && !r->empty();
    if (std::getenv("LINK_EVAL_VERBOSE") != nullptr && big_ms.back() > 50) {
      const auto g = NgramSet(Tokenize(q.text).tokens);
      size_t max_df = 0, min_df = SIZE_MAX;
      for (uint32_t x : g) {
        max_df = std::max(max_df, big.DocFrequency(x));
        min_df = std::min(min_df, big.DocFrequency(x));
      }
      std::printf("slow %.1f ms: %zu grams df %zu..%zu: %s\n", big_ms.back(), g.size(), min_df, max_df, q.text.c_str());
    }
  }
  std::printf("  trace latency vs %zu articles: p50 %.2f ms p99 %.2f ms (%zu/%zu quotes found)\n", synthetic,
              Percentile(big_ms, 0.5), Percentile(big_ms, 0.99), found, big_quotes.size());
  return 0;
}
