// Events: groups of articles (state media, foreign press, teaser stubs) that
// report the same happening.
//
// Two documents are put in one event when any of these holds:
//   - they share a named-event key (kEvent spans, written by annotation) and
//     are dated within `event_key_days` of each other;
//   - one quotes the other (a stored quote link) or they are near-duplicates,
//     and they are dated within `link_days` of each other or one is undated
//     (a title reused by a yearly story, or a quote of an old speech, is not
//     one happening);
//   - they share at least `min_shared_entities` entity keys (kEntity spans)
//     that are not ubiquitous (held by at most `max_entity_docs` documents),
//     are dated within `window_days`, and their n-gram sets overlap
//     (Jaccard >= min_text_jaccard).
// Groups are the connected components (union-find). A component whose dated
// members span more than `max_span_days` is cut at its widest gaps until no
// part does (a chain of links can otherwise drift across months). An event
// needs two members that are not headline stubs: a story and its own stub
// (or its republication's stub) is one report, not an event; the stubs stay
// in the event as its other listings.
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
  // Quote links and near-duplicates join within this many days: wires quote
  // a statement within days; a quote of an older speech is provenance, not
  // the same event.
  int link_days = 10;
  // One happening is reported within a month; longer named campaigns are
  // several events.
  int max_span_days = 30;
  int window_days = 3;
  size_t min_shared_entities = 2;
  size_t max_entity_docs = 300;
  double min_text_jaccard = 0.05;
};

struct EventGroup {
  std::string key;              // the shared event key when there is one, else ""
  std::vector<int64_t> docnos;  // time order (undated last), then docno
  // The first and last day of its dated members (days since 1970-01-01);
  // IndexedDoc::kUnknownDay when none is dated.
  int32_t first_day = IndexedDoc::kUnknownDay, last_day = IndexedDoc::kUnknownDay;
  size_t stubs = 0;  // members that are headline stubs
};

// `links`: (a, b) docno pairs known to be related (quote links, dup pairs).
// The result is in time order of first_day (undated last).
std::vector<EventGroup> GroupEvents(const std::vector<LinkDocRow>& docs,
                                    const std::vector<std::pair<int64_t, int64_t>>& links,
                                    const EventOptions& options = {});

}  // namespace echotrace
