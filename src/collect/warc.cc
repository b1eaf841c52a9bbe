#include "collect/warc.h"

#include <zlib.h>

#include "core/text.h"

namespace echotrace {
namespace {

// A gzip member of `data` (each record on its own, as WARC readers expect).
std::string GzipMember(std::string_view data) {
  z_stream z{};
  deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, static_cast<uLong>(data.size())) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

// A stable urn:uuid from a key: the first 16 bytes of its SHA-256, shaped
// as a version-8 ("custom") UUID.
std::string RecordId(std::string_view key) {
  std::string hex = Sha256Hex(key).substr(0, 32);
  hex[12] = '8';
  hex[16] = "89ab"[(hex[16] - '0') & 3];
  return "<urn:uuid:" + hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) +
         "-" + hex.substr(20) + ">";
}

std::string Record(std::string_view type, const std::vector<HttpHeader>& fields, std::string_view block, bool gzip) {
  std::string record = "WARC/1.1\r\nWARC-Type: " + std::string(type) + "\r\n";
  for (const HttpHeader& field : fields) record += field.name + ": " + field.value + "\r\n";
  record += "Content-Length: " + std::to_string(block.size()) + "\r\n\r\n";
  record += block;
  record += "\r\n\r\n";
  return gzip ? GzipMember(record) : record;
}

// Header values go into one line each: no CR/LF from a hostile server.
std::string OneLine(std::string_view value) {
  std::string out(value);
  for (char& c : out) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return out;
}

// The HTTP status line and headers as a record's block starts.
std::string HttpHead(const WarcResponse& response) {
  std::string head = OneLine(response.status_line) + "\r\n";
  for (const HttpHeader& h : response.headers) {
    const bool chunked = AsciiLower(h.name) == "transfer-encoding";
    head += (chunked ? std::string("X-Echotrace-Original-Transfer-Encoding") : OneLine(h.name)) + ": " +
            OneLine(h.value) + "\r\n";
  }
  return head + "\r\n";
}

std::string ResponseRecordId(std::string_view record_key, std::string_view url) {
  return RecordId(std::string(record_key) + " " + std::string(url));
}

}  // namespace

std::string WarcInfoRecord(std::string_view filename, std::string_view fetched_at, bool gzip) {
  const std::string block =
      "software: echotrace collect\r\nformat: WARC File Format 1.1\r\n"
      "conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n";
  return Record("warcinfo",
                {{"WARC-Record-ID", RecordId("warcinfo " + std::string(filename) + std::string(fetched_at))},
                 {"WARC-Date", std::string(fetched_at)},
                 {"WARC-Filename", OneLine(filename)},
                 {"Content-Type", "application/warc-fields"}},
                block, gzip);
}

std::string WarcResponseRecord(const WarcResponse& response, bool gzip) {
  std::string block = HttpHead(response);
  block += response.body;
  return Record("response",
                {{"WARC-Record-ID", ResponseRecordId(response.record_key, response.url)},
                 {"WARC-Date", response.fetched_at},
                 {"WARC-Target-URI", OneLine(response.url)},
                 {"WARC-Payload-Digest", Sha256Base32(response.body)},
                 {"WARC-Block-Digest", Sha256Base32(block)},
                 {"Content-Type", "application/http;msgtype=response"}},
                block, gzip);
}

std::string WarcRevisitRecord(const WarcResponse& not_modified, const WarcRefersTo& refers_to, bool gzip) {
  const std::string block = HttpHead(not_modified);
  std::vector<HttpHeader> fields = {{"WARC-Record-ID", ResponseRecordId(not_modified.record_key, not_modified.url)},
                                    {"WARC-Date", not_modified.fetched_at},
                                    {"WARC-Target-URI", OneLine(not_modified.url)},
                                    {"WARC-Profile", "http://netpreserve.org/warc/1.1/revisit/server-not-modified"}};
  if (!refers_to.record_key.empty()) {
    fields.push_back({"WARC-Refers-To", ResponseRecordId(refers_to.record_key, refers_to.url)});
    fields.push_back({"WARC-Refers-To-Target-URI", OneLine(refers_to.url)});
    if (!refers_to.fetched_at.empty()) fields.push_back({"WARC-Refers-To-Date", OneLine(refers_to.fetched_at)});
  }
  fields.push_back({"WARC-Block-Digest", Sha256Base32(block)});
  fields.push_back({"Content-Type", "application/http;msgtype=response"});
  return Record("revisit", fields, block, gzip);
}

}  // namespace echotrace
