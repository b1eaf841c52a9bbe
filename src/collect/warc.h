// WARC: captures written as ISO 28500 WARC/1.1 records, so a capture can be
// read back by any web-archive tool (pywb, warcio, the Wayback Machine's
// readers) and cited as "the page as it stood on D".
//
// A file is a `warcinfo` record followed by one record per capture: a
// `response`, or for a 304 (not modified) a `revisit` record with the
// server-not-modified profile that refers to the response it confirmed;
// with gzip, each record is its own gzip member (the form archives
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

// The earlier response a revisit confirms (its record_key and URL name its
// record, as WarcResponseRecord named it). Empty fields are left out.
struct WarcRefersTo {
  std::string record_key, url, fetched_at;
};
// A revisit record (WARC 1.1 section 6.7.3, profile server-not-modified)
// for a 304 answer: the block is the 304's status line and headers, with no
// payload; WARC-Refers-To* name the confirmed response when `refers_to` has
// a record_key.
std::string WarcRevisitRecord(const WarcResponse& not_modified, const WarcRefersTo& refers_to, bool gzip);

}  // namespace echotrace
