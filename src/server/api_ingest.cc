// POST /api/ingest: uploaded files or pasted text, through the same Engine::Ingest
// as `echotrace ingest`.
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "engine/json.h"
#include "server/api.h"
#include "server/writer.h"

namespace echotrace::server {
namespace {

// A file name safe to create in our own temp folder: the last path part,
// only [A-Za-z0-9._-], not starting with a dot, at most 80 bytes.
std::string SafeName(const std::string& name, size_t index) {
  std::string base = name.substr(name.find_last_of("/\\") == std::string::npos ? 0 : name.find_last_of("/\\") + 1);
  std::string out;
  for (const char ch : base) {
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '.' ||
                    ch == '_' || ch == '-';
    out += ok ? ch : '_';
    if (out.size() >= 80) break;
  }
  while (!out.empty() && out.front() == '.') out.erase(out.begin());
  if (out.empty()) out = "paste.txt";
  return std::to_string(index) + "-" + out;  // distinct even when two uploads share a name
}

// A private folder under the temp dir, removed with the object.
class UploadDir {
 public:
  UploadDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "echotrace-upload-XXXXXX").string();
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~UploadDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  UploadDir(const UploadDir&) = delete;
  UploadDir& operator=(const UploadDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace

ApiReply ApiIngest(const ApiContext& context, const std::vector<Upload>& uploads) {
  if (uploads.empty()) return ErrorReply(400, "body: nothing to ingest (send text, JSON {\"text\"} or files)", "body");
  if (uploads.size() > 1000) return ErrorReply(400, "files: at most 1000 files at once", "files");
  UploadDir dir;
  if (dir.path().empty()) return ErrorReply(500, "cannot create a temporary folder for the upload");
  std::vector<std::string> paths;
  for (size_t i = 0; i < uploads.size(); ++i) {
    const std::string path = dir.path() + "/" + SafeName(uploads[i].name, i + 1);
    std::ofstream out(path, std::ios::binary);
    out.write(uploads[i].bytes.data(), static_cast<std::streamsize>(uploads[i].bytes.size()));
    if (!out) return ErrorReply(503, "cannot write the upload to a temporary file (disk full?)");
    paths.push_back(path);
  }
  Result<IngestReport> report = Status::Internal("the writer did not run the ingest");
  ApiReply failed = context.writer->Run([&](Engine& engine) {
    IngestOptions options;
    options.command_line = "echotrace serve: POST /api/ingest";
    options.workers = 1;  // a few records: threads would cost more than they save, and readers need the cores
    report = engine.Ingest(paths, options, nullptr);
    // Readers answer from the previous linking snapshot while the new one
    // loads (LinkSnapshots eager): load it here, so that no reader waits
    // for it and the poster sees its article linked.
    if (auto lease = context.pool->Acquire(); lease.ok()) (void)(*lease)->Events();
    return report.ok() ? ApiReply{200, {}} : ErrorReply(HttpStatusFor(report.status()), report.status().message());
  });
  if (failed.status != 200) return failed;
  const IngestRunTotals& t = report->totals;
  Json issues = Json::array();
  for (const InputIssue& issue : report->issues) {
    if (issues.size() >= 50) break;
    std::string where = issue.where;
    if (where.rfind(dir.path(), 0) == 0) where = where.substr(dir.path().size() + 1);  // the name as uploaded
    issues.push_back({{"error", issue.is_error}, {"where", where}, {"message", issue.message}});
  }
  const bool nothing_in = t.skipped > 0 && t.added + t.new_versions + t.duplicates == 0;
  Json body = IngestReportJson(*report);
  body["issues"] = std::move(issues);
  return {nothing_in ? 422 : 200, std::move(body)};
}

}  // namespace echotrace::server
