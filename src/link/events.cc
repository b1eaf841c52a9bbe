#include "link/events.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <unordered_map>

#include "link/minhash.h"

namespace echotrace {
namespace {

struct UnionFind {
  std::vector<size_t> parent;
  explicit UnionFind(size_t n) : parent(n) {
    for (size_t i = 0; i < n; ++i) parent[i] = i;
  }
  size_t Find(size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
  void Union(size_t a, size_t b) { parent[Find(a)] = Find(b); }
};

bool Within(int32_t a, int32_t b, int days) {
  return a != IndexedDoc::kUnknownDay && b != IndexedDoc::kUnknownDay && std::abs(a - b) <= days;
}

}  // namespace

std::vector<EventGroup> GroupEvents(const std::vector<LinkDocRow>& docs,
                                    const std::vector<std::pair<int64_t, int64_t>>& links,
                                    const EventOptions& options) {
  std::unordered_map<int64_t, size_t> at;
  for (size_t i = 0; i < docs.size(); ++i) at[docs[i].docno] = i;
  UnionFind uf(docs.size());
  std::vector<bool> linked(docs.size(), false);
  auto join = [&](size_t a, size_t b) {
    uf.Union(a, b);
    linked[a] = linked[b] = true;
  };
  for (const auto& [a, b] : links) {
    auto x = at.find(a), y = at.find(b);
    if (x != at.end() && y != at.end()) join(x->second, y->second);
  }
  std::map<std::string, std::vector<size_t>> by_event, by_entity;
  for (size_t i = 0; i < docs.size(); ++i) {
    for (const std::string& k : docs[i].event_keys) by_event[k].push_back(i);
    for (const std::string& k : docs[i].entity_keys) by_entity[k].push_back(i);
  }
  std::map<size_t, std::string> key_of_root_hint;  // doc -> event key
  for (auto& [key, members] : by_event) {
    std::sort(members.begin(), members.end(), [&](size_t a, size_t b) { return docs[a].day < docs[b].day; });
    for (size_t k = 1; k < members.size(); ++k) {
      if (Within(docs[members[k - 1]].day, docs[members[k]].day, options.event_key_days)) {
        join(members[k - 1], members[k]);
        key_of_root_hint[members[k]] = key;
        key_of_root_hint[members[k - 1]] = key;
      }
    }
  }
  // Shared entities: count per pair over non-ubiquitous keys.
  std::map<std::pair<size_t, size_t>, size_t> shared;
  for (const auto& [key, members] : by_entity) {
    if (members.size() < 2 || members.size() > options.max_entity_docs) continue;
    for (size_t x = 0; x < members.size(); ++x) {
      for (size_t y = x + 1; y < members.size(); ++y) {
        if (Within(docs[members[x]].day, docs[members[y]].day, options.window_days)) {
          ++shared[{std::min(members[x], members[y]), std::max(members[x], members[y])}];
        }
      }
    }
  }
  for (const auto& [pair, count] : shared) {
    if (count < options.min_shared_entities) continue;
    if (Jaccard(docs[pair.first].ngrams, docs[pair.second].ngrams) >= options.min_text_jaccard) {
      join(pair.first, pair.second);
    }
  }
  std::map<size_t, EventGroup> groups;
  for (size_t i = 0; i < docs.size(); ++i) {
    if (!linked[i]) continue;
    EventGroup& g = groups[uf.Find(i)];
    g.docnos.push_back(static_cast<int64_t>(i));  // positions for now
    auto hint = key_of_root_hint.find(i);
    if (g.key.empty() && hint != key_of_root_hint.end()) g.key = hint->second;
  }
  std::vector<EventGroup> out;
  for (auto& [root, g] : groups) {
    if (g.docnos.size() < 2) continue;
    std::sort(g.docnos.begin(), g.docnos.end(), [&](int64_t a, int64_t b) {
      const LinkDocRow& x = docs[static_cast<size_t>(a)];
      const LinkDocRow& y = docs[static_cast<size_t>(b)];
      const bool xk = x.day != IndexedDoc::kUnknownDay, yk = y.day != IndexedDoc::kUnknownDay;
      if (xk != yk) return xk;
      if (x.day != y.day) return x.day < y.day;
      return x.docno < y.docno;
    });
    for (int64_t& d : g.docnos) d = docs[static_cast<size_t>(d)].docno;
    out.push_back(std::move(g));
  }
  std::sort(out.begin(), out.end(), [](const EventGroup& a, const EventGroup& b) { return a.docnos < b.docnos; });
  return out;
}

}  // namespace echotrace
