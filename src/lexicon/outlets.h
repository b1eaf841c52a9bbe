// Known outlets (data/outlets.tsv, compiled in): canonical ids, display
// names, and whether an outlet is DPRK state media.
//
// Thread-safety: the table is immutable after first use (a function-local
// static, initialized once); lookups are safe from any thread.
// Cost: a lookup scans the table (a few dozen rows); linear in the input.
#pragma once

#include <string_view>
#include <vector>

namespace echotrace {

struct Outlet {
  std::string_view id;    // "kcna", "rodong", "reuters", "fox-news"
  std::string_view name;  // "Korean Central News Agency"
  bool state_media = false;
  std::vector<std::string_view> aliases;  // other names as written in the table ("KCNA", "Rodong Sinmun (En)")
};

// Every outlet of the table, in table order. The views point into the
// compiled-in table and live as long as the program.
std::vector<const Outlet*> AllOutlets();

// By id, display name or alias, case-insensitively ("KCNA", "Rodong Sinmun
// (En)", "reuters"). nullptr if unknown.
const Outlet* FindOutletByName(std::string_view name);

// The one definition of the two kinds of press, read by the index's media
// term (search --media, the "media:" prefix), the API's kind filter, the UI
// and linking: "state" for a known DPRK state-media outlet, "foreign" for
// every other source, unknown and empty ones included (whatever is not
// DPRK state media is foreign coverage of it).
bool IsStateMediaSource(std::string_view source);
std::string_view MediaKindOfSource(std::string_view source);

// By the host of a URL ("https://www.foxnews.com/world/..." -> fox-news);
// subdomains match their parent domain. nullptr if unknown or not a URL.
const Outlet* FindOutletByUrl(std::string_view url);

}  // namespace echotrace
