#include "ingest/reader.h"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "core/text.h"

namespace echotrace {
namespace fs = std::filesystem;

namespace {

constexpr size_t kChunk = size_t{1} << 16;

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Strips compression suffixes, lowercased: "a/B.JSONL.gz" -> "a/b.jsonl".
std::string UncompressedName(std::string_view path) {
  std::string lower = AsciiLower(path);
  for (std::string_view suffix : {".gz", ".zst", ".zstd"}) {
    if (EndsWith(lower, suffix)) {
      lower.resize(lower.size() - suffix.size());
      break;
    }
  }
  return lower;
}

// Files a folder walk picks up. A file named on the command line is always
// read, whatever its name; inside folders we skip what is plainly not an
// article (README.md, images, scripts) instead of ingesting it as text.
bool HasArticleExtension(const fs::path& path) {
  const std::string name = UncompressedName(path.filename().string());
  const size_t dot = name.rfind('.');
  if (dot == std::string::npos) return true;
  const std::string_view ext = std::string_view(name).substr(dot);
  for (std::string_view ok : {".txt", ".text", ".html", ".htm", ".xhtml", ".jsonl", ".ndjson", ".json"}) {
    if (ext == ok) return true;
  }
  return false;
}

bool IsHidden(const fs::path& path) {
  const std::string name = path.filename().string();
  return !name.empty() && name[0] == '.';
}

// A decompressing byte source over a file descriptor.
class ByteSource {
 public:
  ByteSource() = default;
  ByteSource(const ByteSource&) = delete;  // owns a descriptor and codec state
  ByteSource& operator=(const ByteSource&) = delete;
  ~ByteSource() {
    if (fd_ > 0) close(fd_);
    if (zs_ != nullptr) inflateEnd(zs_.get());
    if (zstd_ != nullptr) ZSTD_freeDStream(zstd_);
  }

  Status Open(const std::string& path) {
    path_ = path;
    if (path == "-") {
      fd_ = 0;
    } else {
      fd_ = open(path.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd_ < 0) return Status::IOError(path + ": cannot open: " + std::strerror(errno));
    }
    // Sniff the magic bytes, then hand what we read to the decoder.
    ET_RETURN_IF_ERROR(FillRaw());
    if (raw_.size() >= 2 && static_cast<unsigned char>(raw_[0]) == 0x1f &&
        static_cast<unsigned char>(raw_[1]) == 0x8b) {
      kind_ = Kind::kGzip;
      zs_ = std::make_unique<z_stream>();
      std::memset(zs_.get(), 0, sizeof(z_stream));
      if (inflateInit2(zs_.get(), 15 + 32) != Z_OK) return Status::Internal("zlib init failed");
    } else if (raw_.size() >= 4 && static_cast<unsigned char>(raw_[0]) == 0x28 &&
               static_cast<unsigned char>(raw_[1]) == 0xb5 && static_cast<unsigned char>(raw_[2]) == 0x2f &&
               static_cast<unsigned char>(raw_[3]) == 0xfd) {
      kind_ = Kind::kZstd;
      zstd_ = ZSTD_createDStream();
      if (zstd_ == nullptr) return Status::Internal("zstd init failed");
      ZSTD_initDStream(zstd_);
    }
    return Status::Ok();
  }

  // Appends up to ~kChunk decompressed bytes to `out`; `*eof` becomes true at
  // the end of the stream.
  Status Read(std::string* out, bool* eof) {
    *eof = false;
    switch (kind_) {
      case Kind::kPlain: {
        if (raw_pos_ >= raw_.size()) {
          ET_RETURN_IF_ERROR(FillRaw());
          if (raw_.empty()) {
            *eof = true;
            return Status::Ok();
          }
        }
        out->append(raw_, raw_pos_, std::string::npos);
        raw_pos_ = raw_.size();
        return Status::Ok();
      }
      case Kind::kGzip: return ReadGzip(out, eof);
      case Kind::kZstd: return ReadZstd(out, eof);
    }
    return Status::Internal("unknown stream kind");
  }

  uint64_t consumed() const { return consumed_; }

 private:
  enum class Kind { kPlain, kGzip, kZstd };

  Status FillRaw() {
    raw_.resize(kChunk);
    raw_pos_ = 0;
    for (;;) {
      const ssize_t n = read(fd_, raw_.data(), raw_.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        raw_.clear();
        return Status::IOError(path_ + ": read failed: " + std::strerror(errno));
      }
      raw_.resize(static_cast<size_t>(n));
      consumed_ += static_cast<uint64_t>(n);
      return Status::Ok();
    }
  }

  Status ReadGzip(std::string* out, bool* eof) {
    char buffer[kChunk];
    for (;;) {
      if (raw_pos_ >= raw_.size()) {
        ET_RETURN_IF_ERROR(FillRaw());
        if (raw_.empty()) {
          if (!gz_stream_ended_) return Status::BadInput(path_ + ": truncated gzip stream");
          *eof = true;
          return Status::Ok();
        }
      }
      if (gz_stream_ended_) {  // concatenated gzip members
        inflateReset(zs_.get());
        gz_stream_ended_ = false;
      }
      zs_->next_in = reinterpret_cast<Bytef*>(raw_.data() + raw_pos_);
      zs_->avail_in = static_cast<uInt>(raw_.size() - raw_pos_);
      zs_->next_out = reinterpret_cast<Bytef*>(buffer);
      zs_->avail_out = sizeof buffer;
      const int rc = inflate(zs_.get(), Z_NO_FLUSH);
      raw_pos_ = raw_.size() - zs_->avail_in;
      if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
        return Status::BadInput(path_ + ": corrupt gzip data (" + (zs_->msg ? zs_->msg : "zlib error") + ")");
      }
      if (rc == Z_STREAM_END) gz_stream_ended_ = true;
      const size_t produced = sizeof buffer - zs_->avail_out;
      if (produced > 0) {
        out->append(buffer, produced);
        return Status::Ok();
      }
    }
  }

  Status ReadZstd(std::string* out, bool* eof) {
    std::string buffer(ZSTD_DStreamOutSize(), '\0');
    for (;;) {
      if (raw_pos_ >= raw_.size()) {
        ET_RETURN_IF_ERROR(FillRaw());
        if (raw_.empty()) {
          if (zstd_pending_ != 0) return Status::BadInput(path_ + ": truncated zstd stream");
          *eof = true;
          return Status::Ok();
        }
      }
      ZSTD_inBuffer in{raw_.data() + raw_pos_, raw_.size() - raw_pos_, 0};
      ZSTD_outBuffer zout{buffer.data(), buffer.size(), 0};
      const size_t rc = ZSTD_decompressStream(zstd_, &zout, &in);
      raw_pos_ += in.pos;
      if (ZSTD_isError(rc)) {
        return Status::BadInput(path_ + ": corrupt zstd data (" + ZSTD_getErrorName(rc) + ")");
      }
      zstd_pending_ = rc;
      if (zout.pos > 0) {
        out->append(buffer.data(), zout.pos);
        return Status::Ok();
      }
    }
  }

  std::string path_;
  int fd_ = -1;
  Kind kind_ = Kind::kPlain;
  std::string raw_;
  size_t raw_pos_ = 0;
  uint64_t consumed_ = 0;
  std::unique_ptr<z_stream> zs_;
  bool gz_stream_ended_ = false;
  ZSTD_DStream* zstd_ = nullptr;
  size_t zstd_pending_ = 0;
};

bool StartsWithIgnoringCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

std::string_view SkipBomAndSpace(std::string_view s) {
  if (s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
  while (!s.empty() && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n')) s.remove_prefix(1);
  return s;
}

// Splits `buffer` into lines, handing each complete one to `sink`; keeps the
// incomplete tail in `buffer`.
class LineSplitter {
 public:
  LineSplitter(const InputFile& file, const ReadLimits& limits, const RecordSink& sink, std::vector<InputIssue>* issues)
      : file_(file), limits_(limits), sink_(sink), issues_(issues) {}

  Status Feed(std::string* buffer, bool eof) {
    if (skipping_) {  // the tail of an over-long line: drop it, unread
      const size_t newline = buffer->find('\n');
      if (newline == std::string::npos) {
        buffer->clear();
        scan_from_ = 0;
        return Status::Ok();
      }
      buffer->erase(0, newline + 1);
      skipping_ = false;
      ++line_;
      scan_from_ = 0;
    }
    size_t start = 0;
    for (;;) {
      const size_t newline = buffer->find('\n', scan_from_);
      if (newline == std::string::npos) break;
      ET_RETURN_IF_ERROR(Emit(std::string_view(*buffer).substr(start, newline - start)));
      start = newline + 1;
      scan_from_ = start;
    }
    buffer->erase(0, start);
    scan_from_ = buffer->size();
    if (eof && !buffer->empty()) {
      ET_RETURN_IF_ERROR(Emit(*buffer));
      buffer->clear();
    } else if (buffer->size() > limits_.max_line_bytes) {
      // Drop the rest of this line: remember to skip up to the next newline.
      Report("line is over the " + std::to_string(limits_.max_line_bytes >> 20) + " MiB limit; skipped", line_ + 1);
      buffer->clear();
      scan_from_ = 0;
      skipping_ = true;
    }
    return Status::Ok();
  }

 private:
  Status Emit(std::string_view line) {
    ++line_;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (TrimAscii(line).empty()) return Status::Ok();
    // A NUL byte (raw binary in a scraper's output) costs only its own line.
    if (const size_t nul = line.find('\0'); nul != std::string_view::npos) {
      Report("NUL byte at column " + std::to_string(nul + 1) + " (binary data, not a JSON record); line skipped",
             line_);
      return Status::Ok();
    }
    RawRecord record;
    record.bytes.assign(line);
    record.format = InputFormat::kJsonLine;
    record.path = file_.path;
    record.line = line_;
    return sink_(std::move(record));
  }

  void Report(std::string message, uint64_t line) {
    if (issues_ != nullptr) issues_->push_back({true, file_.path + ":" + std::to_string(line), std::move(message)});
  }

  const InputFile& file_;
  const ReadLimits& limits_;
  const RecordSink& sink_;
  std::vector<InputIssue>* issues_;
  uint64_t line_ = 0;
  size_t scan_from_ = 0;
  bool skipping_ = false;
};

}  // namespace

std::string RawRecord::Origin() const { return line == 0 ? path : path + ":" + std::to_string(line); }

InputFormat DetectFormat(std::string_view head, std::string_view path) {
  const std::string name = UncompressedName(path);
  const bool jsonl_name = EndsWith(name, ".jsonl") || EndsWith(name, ".ndjson") || EndsWith(name, ".json");
  const std::string_view s = SkipBomAndSpace(head);
  if (!s.empty() && s[0] == '{') {
    if (jsonl_name) return InputFormat::kJsonLine;
    // A text page may start with "{snip}": require a parseable line among
    // the first three (one damaged line must not turn a file into text).
    std::string_view rest = s;
    for (int i = 0; i < 3 && !rest.empty(); ++i) {
      const size_t newline = rest.find('\n');
      const std::string_view line = rest.substr(0, newline);
      if (nlohmann::json::accept(line)) return InputFormat::kJsonLine;
      if (newline == std::string_view::npos) break;
      rest = SkipBomAndSpace(rest.substr(newline + 1));
      if (rest.empty() || rest[0] != '{') break;
    }
    return InputFormat::kText;
  }
  if (!s.empty() && s[0] == '<') {
    for (std::string_view tag : {"<!doctype html", "<html", "<head", "<body", "<!--", "<meta", "<div", "<p>", "<p ",
                                 "<article", "<title", "<?xml"}) {
      if (StartsWithIgnoringCase(s, tag)) return InputFormat::kHtml;
    }
  }
  if (EndsWith(name, ".html") || EndsWith(name, ".htm") || EndsWith(name, ".xhtml")) {
    // An HTML file whose first tag comes after some text: trust the name
    // only if a tag does appear.
    if (head.find('<') != std::string_view::npos) return InputFormat::kHtml;
  }
  return InputFormat::kText;
}

Result<std::vector<InputFile>> ExpandInputs(const std::vector<std::string>& paths, std::vector<InputIssue>* issues) {
  if (paths.empty()) return Status::Usage("no input given (name files, folders, or - for stdin)");
  std::vector<InputFile> files;
  auto report = [&](const std::string& where, std::string message) {
    if (issues != nullptr) issues->push_back({true, where, std::move(message)});
  };
  for (const std::string& path : paths) {
    if (path == "-") {
      files.push_back({"-", -1});
      continue;
    }
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
      report(path, "no such file or folder");
      continue;
    }
    if (fs::is_regular_file(status)) {
      files.push_back({path, static_cast<int64_t>(fs::file_size(path, ec))});
      continue;
    }
    if (!fs::is_directory(status)) {
      report(path, "not a regular file or folder");
      continue;
    }
    std::vector<InputFile> found;
    size_t skipped_names = 0;
    // Walked by hand (not recursive_directory_iterator with
    // skip_permission_denied): every folder that cannot be read is reported.
    std::vector<fs::path> folders = {fs::path(path)};
    while (!folders.empty()) {
      const fs::path folder = std::move(folders.back());
      folders.pop_back();
      fs::directory_iterator it(folder, ec);
      if (ec) {
        report(folder.string(), "cannot read folder (" + ec.message() + "); its files were skipped");
        continue;
      }
      for (; it != fs::directory_iterator(); it.increment(ec)) {
        if (ec) {
          report(folder.string(), "error while reading folder (" + ec.message() + "); the rest of it was skipped");
          break;
        }
        const fs::path& entry = it->path();
        if (IsHidden(entry)) continue;
        std::error_code entry_ec;
        if (it->is_directory(entry_ec) && !it->is_symlink(entry_ec)) {
          folders.push_back(entry);
          continue;
        }
        if (!it->is_regular_file(entry_ec)) continue;
        if (!HasArticleExtension(entry)) {
          ++skipped_names;
          continue;
        }
        if (access(entry.c_str(), R_OK) != 0) {
          report(entry.string(), "not readable (" + std::string(std::strerror(errno)) + "); skipped");
          continue;
        }
        found.push_back({entry.string(), static_cast<int64_t>(it->file_size(entry_ec))});
      }
    }
    if (found.empty()) {
      report(path, skipped_names > 0 ? "folder has no readable article files (" + std::to_string(skipped_names) +
                                           " files with other extensions skipped)"
                                     : "folder has no readable files");
      continue;
    }
    std::sort(found.begin(), found.end(), [](const InputFile& a, const InputFile& b) { return a.path < b.path; });
    files.insert(files.end(), found.begin(), found.end());
  }
  if (files.empty()) return Status::NotFound("no readable input among the paths given");
  return files;
}

Status ReadInput(const InputFile& file, const ReadLimits& limits, const RecordSink& sink,
                 std::vector<InputIssue>* issues, const ByteProgress& progress) {
  ByteSource source;
  ET_RETURN_IF_ERROR(source.Open(file.path));
  std::string buffer;
  bool eof = false;
  // Read enough to decide the format.
  while (!eof && buffer.size() < kChunk) ET_RETURN_IF_ERROR(source.Read(&buffer, &eof));
  if (TrimAscii(buffer).empty()) {
    return Status::BadInput(file.path + ": empty file" + (buffer.empty() ? "" : " (only whitespace)"));
  }
  // JSON Lines are judged line by line (a NUL loses its line, not the file);
  // a text or HTML file is one record, judged whole.
  const InputFormat format = DetectFormat(buffer, file.path);
  size_t binary_at = 0;
  if (format != InputFormat::kJsonLine && LooksBinary(buffer, kChunk, &binary_at)) {
    return Status::BadInput(file.path + "@" + std::to_string(binary_at) +
                            ": binary data, not text (NUL or control bytes); skipped");
  }
  if (format == InputFormat::kJsonLine) {
    LineSplitter splitter(file, limits, sink, issues);
    for (;;) {
      ET_RETURN_IF_ERROR(splitter.Feed(&buffer, eof));
      if (progress) progress(source.consumed());
      if (eof) return Status::Ok();
      ET_RETURN_IF_ERROR(source.Read(&buffer, &eof));
    }
  }
  while (!eof) {
    if (buffer.size() > limits.max_document_bytes) {
      return Status::BadInput(file.path + ": over the " + std::to_string(limits.max_document_bytes >> 20) +
                              " MiB limit for one article; skipped");
    }
    ET_RETURN_IF_ERROR(source.Read(&buffer, &eof));
  }
  if (buffer.size() > limits.max_document_bytes) {
    return Status::BadInput(file.path + ": over the " + std::to_string(limits.max_document_bytes >> 20) +
                            " MiB limit for one article; skipped");
  }
  if (progress) progress(source.consumed());
  RawRecord record;
  record.bytes = std::move(buffer);
  record.format = format;
  record.path = file.path;
  return sink(std::move(record));
}

}  // namespace echotrace
