// Real foreign pages with hand-checked gold (../shared/provenance-dev):
// the page files, read once for every evaluation that scores them.
//
// A page file is `pages/NN_<outlet>_<slug>.txt`: line 1 the URL, line 2 the
// page date (ISO day, or YYYY-MM when only the month is known), line 3
// blank, then the page text (an excerpt, not HTML).
//
// Thread-safety: free functions without shared state.
// Cost: linear in the size of the folder.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"

namespace echotrace {

struct DevPage {
  std::string name;  // file name, e.g. "07_almanar_kju_marshal.txt" (the gold's `page` key)
  std::string url;
  std::string date;  // as written: "2012-07-18" or "2012-06"
  std::string text;  // everything after the blank third line, as stored
};

// Reads every `*.txt` in `dir`/pages, sorted by name. kNotFound when the
// folder is missing or holds no page; kBadInput naming the file when a page
// lacks its URL, date or blank line.
Result<std::vector<DevPage>> ReadDevPages(const std::string& dir);

}  // namespace echotrace
