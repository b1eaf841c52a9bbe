// Events: groups of articles (state media, foreign press, teaser stubs) that
// report the same happening.
//
// Two documents are put in one event when any of these holds:
//   - they share a named-event key (kEvent spans, written by annotation) and
//     are dated within `event_key_days` of each other;
//   - one quotes the other (a stored quote link) or they are near-duplicates;
//   - they share at least `min_shared_entities` entity keys (kEntity spans)
//     that are not ubiquitous (held by at most `max_entity_docs` documents),
//     are dated within `window_days`, and their n-gram sets overlap
//     (Jaccard >= min_text_jaccard).
// Groups are the connected components (union-find); singletons are dropped.
//
// Cost: O(D log D + pairs) where pairs are bounded by max_entity_docs per
// key. Thread-safety: pure function.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "link/link_store.h"

namespace echotrace {

struct EventOptions {
  int event_key_days = 7;
  int window_days = 3;
  size_t min_shared_entities = 2;
  size_t max_entity_docs = 300;
  double min_text_jaccard = 0.05;
};

struct EventGroup {
  std::string key;              // the shared event key when there is one, else ""
  std::vector<int64_t> docnos;  // time order (undated last), then docno
};

// `links`: (a, b) docno pairs known to be related (quote links, dup pairs).
std::vector<EventGroup> GroupEvents(const std::vector<LinkDocRow>& docs,
                                    const std::vector<std::pair<int64_t, int64_t>>& links,
                                    const EventOptions& options = {});

}  // namespace echotrace
