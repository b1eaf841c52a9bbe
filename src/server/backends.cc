// The one place where the API's hooks are wired to the annotation and linking
// stages (see backends.h and docs/api.md "Backend hooks" for the JSON each
// must return). Until those stages are merged every hook stays empty and its
// endpoint answers 501.
#include "server/backends.h"

namespace echotrace::server {

Backends DefaultBackends() {
  Backends backends;
  // backends.entities = ...;       // annotate: entity index
  // backends.quotes = ...;         // annotate + link: quotes with their originals
  // backends.trace = ...;          // link: quote provenance for a pasted text
  // backends.events = ...;         // link: events with their articles
  // backends.article_links = ...;  // link: one article's quote originals, republications, events
  return backends;
}

}  // namespace echotrace::server
