// Gold data for linking, generated in code from ../shared/corpus (nothing is
// copied into the repo): quotes drawn from corpus sentences with edits at
// several strengths (positives), negatives that must find nothing, and
// near-duplicate copies injected with realistic edits. Shared by
// tests/link_corpus_test.cc and bench/link_eval.cc.
#pragma once

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "link/trace.h"

namespace echotrace::linkgold {

struct Corpus {
  std::vector<StoredVersion> versions;  // docno = index + 1
  NgramIndex index;
  std::vector<std::vector<uint32_t>> sets;
  Result<StoredVersion> Get(int64_t docno) const {
    if (docno < 1 || docno > static_cast<int64_t>(versions.size())) return Status::NotFound("docno");
    return versions[static_cast<size_t>(docno - 1)];
  }
};

// Loads JSON Lines records with a body (at most `limit` per file).
inline void LoadJsonl(const std::string& path, size_t limit, Corpus* corpus) {
  std::ifstream in(path);
  std::string line;
  size_t n = 0;
  while (n < limit && std::getline(in, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_object() || !j.contains("body") || !j["body"].is_string() || j["body"].get<std::string>().size() < 80)
      continue;
    StoredVersion v;
    v.docno = static_cast<int64_t>(corpus->versions.size()) + 1;
    auto field = [&](const char* name) {
      return j.contains(name) && j[name].is_string() ? j[name].get<std::string>() : std::string();
    };
    v.version_id = field("id");
    v.article_id = v.version_id;
    v.doc.title = field("title");
    v.doc.text = v.doc.title + "\n" + j["body"].get<std::string>();
    v.doc.source = field("source");
    v.doc.date = field("date");
    corpus->versions.push_back(std::move(v));
    ++n;
  }
}

inline void BuildIndex(Corpus* corpus) {
  for (const StoredVersion& v : corpus->versions) {
    corpus->sets.push_back(NgramSet(TokenizeDocument(v.doc).tokens));
    corpus->index.AddForBulk({v.docno, DayNumber(v.doc.date), true}, corpus->sets.back());
  }
  corpus->index.Compact();
}

inline std::vector<std::string> Words(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == ' ' || c == '\n') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

inline std::string Join(const std::vector<std::string>& w) {
  std::string out;
  for (const auto& s : w) out += (out.empty() ? "" : " ") + s;
  return out;
}

// Sentences of a body: split at ". " and newlines; 10 to 40 words, plain ASCII
// letters mostly (the KCNA 2011 artefacts ", ," are skipped).
inline std::vector<std::string> Sentences(const std::string& body) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i <= body.size(); ++i) {
    if (i == body.size() || body[i] == '\n' || (body[i] == '.' && i + 1 < body.size() && body[i + 1] == ' ')) {
      std::string s = body.substr(start, i - start);
      start = i + 1;
      const auto w = Words(s);
      if (w.size() < 10 || w.size() > 40 || s.find(", ,") != std::string::npos) continue;
      out.push_back(Join(w));
    }
  }
  return out;
}

enum class Expect : uint8_t { kKept, kChanged, kInserted };

struct GoldQuote {
  std::string text;
  int64_t source_docno = 0;  // 0 for a negative
  std::string original;      // the unedited sentence (positives)
  int strength = 0;
  std::string kind;
  std::vector<Expect> expected;  // per emitted word
  size_t expected_omitted = 0;
};

inline std::string Respell(const std::string& w, bool* changed) {
  // British <-> US spelling of a word, when it has a known ending.
  static const std::pair<const char*, const char*> kPairs[] = {{"ization", "isation"}, {"ize", "ise"}, {"ized", "ised"},
                                                               {"izing", "ising"},     {"our", "or"},  {"or", "our"}};
  std::string lower = w;
  for (auto [from, to] : kPairs) {
    const std::string f(from);
    if (lower.size() > f.size() + 3 && lower.compare(lower.size() - f.size(), f.size(), f) == 0) {
      if (f == "or" && (lower == "for" || lower.size() < 6 || lower.find("ior") != std::string::npos)) continue;
      if (f == "our" && (lower.size() < 6)) continue;
      if (f == "or") {
        static const char* kOk[] = {"labor", "honor", "color", "favor", "vigor", "rumor", "harbor", "armor", "valor"};
        bool ok = false;
        for (const char* k : kOk) ok |= lower == k;
        if (!ok) continue;
      }
      *changed = true;
      return lower.substr(0, lower.size() - f.size()) + to;
    }
  }
  return w;
}

inline std::string Reromanize(const std::string& w, bool* changed) {
  if (w.empty() || w[0] < 'A' || w[0] > 'Z') return w;
  std::string out = w;
  if (out[0] == 'T')
    out[0] = 'D';
  else if (out[0] == 'D')
    out[0] = 'T';
  else if (out[0] == 'K')
    out[0] = 'G';
  else if (out[0] == 'P')
    out[0] = 'B';
  else if (out.rfind("Ch", 0) == 0)
    out = "J" + out.substr(2);
  else if (out[0] == 'J')
    out = "Ch" + out.substr(1);
  *changed = out != w;
  return out;
}

// Positives: `count` quotes with edits at strengths 0..3.
inline std::vector<GoldQuote> MakePositives(const Corpus& corpus, size_t count, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<GoldQuote> out;
  while (out.size() < count) {
    const auto& v = corpus.versions[rng() % corpus.versions.size()];
    const auto sentences = Sentences(v.doc.text);
    if (sentences.empty()) continue;
    const std::string sentence = sentences[rng() % sentences.size()];
    std::vector<std::string> words = Words(sentence);
    GoldQuote q;
    q.source_docno = v.docno;
    q.original = sentence;
    q.strength = static_cast<int>(out.size() % 4);
    std::vector<Expect> exp(words.size(), Expect::kKept);
    // Trim: drop up to 3 leading words (strength >= 1), capitalize.
    if (q.strength >= 1) {
      const size_t trim = rng() % 4;
      words.erase(words.begin(), words.begin() + static_cast<long>(std::min(trim, words.size() - 8)));
      exp.resize(words.size());
    }
    if (q.strength >= 2) {
      // Spelling and romanization variants, one bracketed insertion.
      for (size_t i = 0; i < words.size(); ++i) {
        bool changed = false;
        std::string w = Respell(words[i], &changed);
        if (changed) {
          words[i] = w;
          continue;  // folded spelling: still "kept"
        }
        if (i > 0 && rng() % 2 == 0) {
          w = Reromanize(words[i], &changed);
          if (changed) {
            words[i] = w;
            exp[i] = Expect::kChanged;
          }
        }
      }
      const size_t at = 1 + rng() % (words.size() - 2);
      static const char* kInsert[] = {"(is)", "[the]", "[Kim]", "(sic)", "[he]"};
      words.insert(words.begin() + static_cast<long>(at), kInsert[rng() % 5]);
      exp.insert(exp.begin() + static_cast<long>(at), Expect::kInserted);
    }
    if (q.strength >= 3 && words.size() > 14) {
      // Ellipsis or {snip} over 2-5 words in the middle (not touching the insertion).
      size_t from = 4 + rng() % (words.size() - 10);
      size_t n = 2 + rng() % 4;
      bool has_insert = false;
      for (size_t k = from; k < from + n + 1 && k < exp.size(); ++k) has_insert |= exp[k] == Expect::kInserted;
      if (!has_insert && from + n < words.size() - 2) {
        words.erase(words.begin() + static_cast<long>(from), words.begin() + static_cast<long>(from + n));
        exp.erase(exp.begin() + static_cast<long>(from), exp.begin() + static_cast<long>(from + n));
        words[from - 1] += rng() % 2 == 0 ? " ..." : " {snip}";
        q.expected_omitted = n;
      }
    }
    // Quote style: curly apostrophes and quote marks around.
    std::string text = Join(words);
    if (q.strength >= 1) {
      std::string curly;
      for (char c : text) curly += c == '\'' ? std::string("\xE2\x80\x99") : std::string(1, c);
      text = "\xE2\x80\x9C" + curly + "\xE2\x80\x9D";
    }
    q.text = text;
    q.expected = exp;
    q.kind = "strength" + std::to_string(q.strength);
    out.push_back(std::move(q));
  }
  return out;
}

// Negatives: paraphrases, unrelated sentences in the same style, short common fragments.
inline std::vector<GoldQuote> MakeNegatives(const Corpus& corpus, size_t count, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<GoldQuote> out;
  static const char* kSubject[] = {"The delegation",           "Working people across the country",
                                   "The youth league members", "Scientists at the institute",
                                   "The farm workers",         "Officials of the ministry"};
  static const char* kVerb[] = {"pledged once more to", "resolved with renewed vigour to", "expressed readiness to",
                                "turned out in high spirits to", "vowed in one voice to"};
  static const char* kObject[] = {
      "raise grain output on every hillside plot", "finish the sluice repairs before the rainy spell",
      "carry forward the spirit of the pioneers of the coal valley", "bring fresh vegetables to the tables of miners",
      "open a new chapter of friendship with sister towns"};
  static const char* kTail[] = {"this spring", "ahead of the festival", "without a moment of rest",
                                "in honour of the anniversary", "at a meeting held on Tuesday"};
  while (out.size() < count) {
    GoldQuote q;
    const int kind = static_cast<int>(out.size() % 3);
    if (kind == 0) {
      // Paraphrase: a corpus sentence with content words swapped for
      // synonyms and its clauses reordered.
      const auto& v = corpus.versions[rng() % corpus.versions.size()];
      const auto sentences = Sentences(v.doc.text);
      if (sentences.empty()) continue;
      auto words = Words(sentences[rng() % sentences.size()]);
      std::vector<std::string> para;
      static const char* kSyn[] = {"notably", "truly", "broadly", "firmly", "openly"};
      for (size_t i = 0; i < words.size(); ++i) {
        if (i % 3 == 2) {
          para.push_back(kSyn[rng() % 5]);
        } else {
          para.push_back(words[i]);
        }
      }
      // Reverse the order of 2-word chunks.
      std::vector<std::string> reordered;
      for (size_t i = para.size(); i >= 2; i -= 2) {
        reordered.push_back(para[i - 2]);
        reordered.push_back(para[i - 1]);
      }
      q.text = Join(reordered);
      q.kind = "paraphrase";
    } else if (kind == 1) {
      q.text = std::string(kSubject[rng() % 6]) + " " + kVerb[rng() % 5] + " " + kObject[rng() % 5] + " " +
               kTail[rng() % 5] + ".";
      q.kind = "same-style";
    } else {
      const auto& v = corpus.versions[rng() % corpus.versions.size()];
      auto words = Words(v.doc.text);
      if (words.size() < 10) continue;
      const size_t n = 1 + rng() % 2;
      const size_t at = rng() % (words.size() - n);
      q.text = Join(
          std::vector<std::string>(words.begin() + static_cast<long>(at), words.begin() + static_cast<long>(at + n)));
      q.kind = "fragment";
    }
    out.push_back(std::move(q));
  }
  return out;
}

}  // namespace echotrace::linkgold
