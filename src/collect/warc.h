// WARC: captures written as ISO 28500 WARC/1.1 records, so a capture can be
// read back by any web-archive tool (pywb, warcio, the Wayback Machine's
// readers) and cited as "the page as it stood on D".
//
// A file is a `warcinfo` record followed by one `response` record per
// capture; with gzip, each record is its own gzip member (the form archives
// use, so a reader can seek to any record).
//
// Thread-safety: free functions without shared state.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "collect/fetch.h"

namespace echotrace {

// One HTTP response as captured: what a response record's block holds.
struct WarcResponse {
  std::string url;          // WARC-Target-URI
  std::string fetched_at;   // WARC-Date, UTC ISO 8601 with seconds
  std::string status_line;  // "HTTP/1.1 200 OK"
  std::vector<HttpHeader> headers;
  std::string body;        // as transferred (still gzip if it came gzip)
  std::string record_key;  // makes WARC-Record-ID unique and stable (e.g. the capture id)
};

// The warcinfo record that opens a file named `filename`.
std::string WarcInfoRecord(std::string_view filename, std::string_view fetched_at, bool gzip);
// One response record. Transfer-Encoding is renamed X-Echotrace-Original-Transfer-Encoding
// because the body is stored de-chunked (as libcurl delivers it) and a
// reader would otherwise try to de-chunk it again.
std::string WarcResponseRecord(const WarcResponse& response, bool gzip);

}  // namespace echotrace
