// Known outlets (data/outlets.tsv, compiled in): canonical ids, display
// names, and whether an outlet is DPRK state media.
//
// Thread-safety: the table is immutable after first use (a function-local
// static, initialized once); lookups are safe from any thread.
// Cost: a lookup scans the table (a few dozen rows); linear in the input.
#pragma once

#include <string_view>

namespace echotrace {

struct Outlet {
  std::string_view id;    // "kcna", "rodong", "reuters", "fox-news"
  std::string_view name;  // "Korean Central News Agency"
  bool state_media = false;
};

// By id, display name or alias, case-insensitively ("KCNA", "Rodong Sinmun
// (En)", "reuters"). nullptr if unknown.
const Outlet* FindOutletByName(std::string_view name);

// By the host of a URL ("https://www.foxnews.com/world/..." -> fox-news);
// subdomains match their parent domain. nullptr if unknown or not a URL.
const Outlet* FindOutletByUrl(std::string_view url);

}  // namespace echotrace
