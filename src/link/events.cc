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

// Cuts a time-ordered component (positions into `docs`, undated last) at its
// widest gaps between dated members until each part spans at most
// `max_span_days`; undated members stay with the first part.
std::vector<std::vector<int64_t>> SplitBySpan(const std::vector<int64_t>& ordered, const std::vector<LinkDocRow>& docs,
                                              int max_span_days) {
  auto day = [&](int64_t position) { return docs[static_cast<size_t>(position)].day; };
  size_t dated = 0;
  while (dated < ordered.size() && day(ordered[dated]) != IndexedDoc::kUnknownDay) ++dated;
  std::vector<std::vector<int64_t>> parts;
  // Iterative: a stack of [begin, end) ranges of the dated prefix.
  std::vector<std::pair<size_t, size_t>> todo = {{0, dated}};
  std::vector<std::pair<size_t, size_t>> done;
  while (!todo.empty()) {
    auto [begin, end] = todo.back();
    todo.pop_back();
    if (end - begin < 2 || day(ordered[end - 1]) - day(ordered[begin]) <= max_span_days) {
      if (end > begin) done.emplace_back(begin, end);
      continue;
    }
    // The widest gap; among equal ones the most central, so that evenly
    // spaced reports split into halves rather than shedding one at a time.
    const size_t middle = (begin + end) / 2;
    auto distance = [&](size_t i) { return i > middle ? i - middle : middle - i; };
    size_t cut = begin + 1;
    for (size_t i = begin + 1; i < end; ++i) {
      const int32_t gap = day(ordered[i]) - day(ordered[i - 1]);
      const int32_t best = day(ordered[cut]) - day(ordered[cut - 1]);
      if (gap > best || (gap == best && distance(i) < distance(cut))) cut = i;
    }
    todo.emplace_back(begin, cut);
    todo.emplace_back(cut, end);
  }
  std::sort(done.begin(), done.end());
  for (auto [begin, end] : done) parts.emplace_back(ordered.begin() + begin, ordered.begin() + end);
  if (parts.empty()) parts.emplace_back();
  parts.front().insert(parts.front().end(), ordered.begin() + dated, ordered.end());
  return parts;
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
    if (x == at.end() || y == at.end()) continue;
    // An undated member cannot be judged by its date: its link stands.
    const int32_t dx = docs[x->second].day, dy = docs[y->second].day;
    if (dx == IndexedDoc::kUnknownDay || dy == IndexedDoc::kUnknownDay || Within(dx, dy, options.link_days)) {
      join(x->second, y->second);
    }
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
    auto row = [&](int64_t position) -> const LinkDocRow& { return docs[static_cast<size_t>(position)]; };
    std::sort(g.docnos.begin(), g.docnos.end(), [&](int64_t a, int64_t b) {
      const LinkDocRow& x = row(a);
      const LinkDocRow& y = row(b);
      const bool xk = x.day != IndexedDoc::kUnknownDay, yk = y.day != IndexedDoc::kUnknownDay;
      if (xk != yk) return xk;
      if (x.day != y.day) return x.day < y.day;
      return x.docno < y.docno;
    });
    for (std::vector<int64_t>& part : SplitBySpan(g.docnos, docs, options.max_span_days)) {
      EventGroup e;
      e.key = g.key;
      size_t stories = 0;
      for (int64_t position : part) {
        const LinkDocRow& r = row(position);
        if (r.headline_stub) {
          ++e.stubs;
        } else {
          ++stories;
        }
        if (r.day != IndexedDoc::kUnknownDay) {
          if (e.first_day == IndexedDoc::kUnknownDay || r.day < e.first_day) e.first_day = r.day;
          if (e.last_day == IndexedDoc::kUnknownDay || r.day > e.last_day) e.last_day = r.day;
        }
        e.docnos.push_back(r.docno);
      }
      if (stories >= 2) out.push_back(std::move(e));
    }
  }
  std::sort(out.begin(), out.end(), [](const EventGroup& a, const EventGroup& b) {
    const bool ak = a.first_day != IndexedDoc::kUnknownDay, bk = b.first_day != IndexedDoc::kUnknownDay;
    if (ak != bk) return ak;
    if (a.first_day != b.first_day) return a.first_day < b.first_day;
    return a.docnos < b.docnos;
  });
  return out;
}

}  // namespace echotrace
