#include "link/reuse.h"

#include <algorithm>
#include <map>

#include "link/minhash.h"

namespace echotrace {

Result<std::vector<ReuseCluster>> FindReuse(const NgramIndex& index, const std::vector<std::vector<uint32_t>>& sets,
                                            const std::function<Result<StoredVersion>(int64_t)>& loader,
                                            size_t min_words) {
  const size_t n = index.docs().size();
  std::vector<size_t> parent(n);
  for (size_t i = 0; i < n; ++i) parent[i] = i;
  auto find = [&](size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  std::vector<ReusePassage> longest(n);
  const size_t min_grams = min_words > kNgramLength ? min_words - kNgramLength + 1 : 1;
  for (size_t slot = 0; slot < n && slot < sets.size(); ++slot) {
    if (sets[slot].size() < min_grams) continue;
    CandidateOptions copt;
    copt.max_probes = 24;
    copt.max_candidates = 16;
    copt.max_df = 2000;
    copt.exclude_docno = index.docs()[slot].docno;
    std::vector<uint32_t> partners;
    for (const Candidate& c : index.Candidates(sets[slot], copt)) {
      if (c.slot >= sets.size() || find(c.slot) == find(slot)) continue;
      if (Containment(sets[slot], sets[c.slot]) *
              static_cast<double>(std::min(sets[slot].size(), sets[c.slot].size())) >=
          static_cast<double>(min_grams)) {
        partners.push_back(c.slot);
      }
    }
    if (partners.empty()) continue;
    ET_ASSIGN_OR_RETURN(StoredVersion v, loader(index.docs()[slot].docno));
    const TokenStream tokens = TokenizeDocument(v.doc);
    const std::vector<PositionedNgram> grams = NgramsWithPositions(tokens.tokens);
    for (uint32_t other : partners) {
      const std::vector<uint32_t>& theirs = sets[other];
      size_t run_start = 0, run = 0;
      bool joined = false;
      for (size_t g = 0; g <= grams.size(); ++g) {
        const bool in = g < grams.size() && std::binary_search(theirs.begin(), theirs.end(), grams[g].hash) &&
                        (run == 0 || grams[g].position == grams[g - 1].position + 1);
        if (in) {
          if (run == 0) run_start = g;
          ++run;
          continue;
        }
        if (run >= min_grams) {
          const size_t words = run + kNgramLength - 1;
          const MatchToken& first = tokens.tokens[grams[run_start].position];
          const MatchToken& last = tokens.tokens[grams[run_start + run - 1].position + kNgramLength - 1];
          if (!joined) {
            parent[find(slot)] = find(other);
            joined = true;
          }
          if (words > longest[slot].words) {
            longest[slot] = {v.docno, first.begin, last.end, words,
                             v.doc.text.substr(first.begin, last.end - first.begin)};
          }
        }
        run = 0;
        if (g < grams.size() && std::binary_search(theirs.begin(), theirs.end(), grams[g].hash)) {
          run_start = g;
          run = 1;
        }
      }
    }
  }
  std::map<size_t, ReuseCluster> clusters;
  for (size_t slot = 0; slot < n; ++slot) {
    const size_t root = find(slot);
    if (root == slot && parent[slot] == slot) {
      // Only roots with members are clusters; checked below by size.
    }
    ReuseCluster& c = clusters[root];
    c.docnos.push_back(index.docs()[slot].docno);
    if (longest[slot].words > c.longest.words) c.longest = longest[slot];
  }
  std::vector<ReuseCluster> out;
  for (auto& [root, c] : clusters) {
    if (c.docnos.size() < 2) continue;
    std::sort(c.docnos.begin(), c.docnos.end());
    out.push_back(std::move(c));
  }
  std::sort(out.begin(), out.end(), [](const ReuseCluster& a, const ReuseCluster& b) {
    return a.docnos.size() != b.docnos.size() ? a.docnos.size() > b.docnos.size() : a.docnos < b.docnos;
  });
  return out;
}

}  // namespace echotrace
