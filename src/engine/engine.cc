#include "engine/engine.h"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "annotate/annotate.h"
#include "engine/ingest_run.h"
#include "extract/extract.h"
#include "lexicon/outlets.h"
#include "link/doc_trace.h"
#include "link/linker.h"

namespace echotrace {
namespace fs = std::filesystem;

namespace {
using engine_internal::SecondsSince;
using engine_internal::ToIndexed;

constexpr int64_t kRecoveryChunk = static_cast<int64_t>(kIngestBatchVersions);

}  // namespace

std::string_view IngestStageName(IngestStage stage) {
  switch (stage) {
    case IngestStage::kReading: return "reading";
    case IngestStage::kExtracting: return "extracting";
    case IngestStage::kStoring: return "storing";
    case IngestStage::kIndexing: return "indexing";
    case IngestStage::kLinking: return "linking";
    case IngestStage::kDone: return "done";
  }
  return "?";
}

Result<std::unique_ptr<Engine>> Engine::Open(const std::string& data_dir, Mode mode,
                                             std::shared_ptr<LinkSnapshots> links) {
  ET_RETURN_IF_ERROR(DataDir::Named(data_dir).status());
  std::unique_ptr<Engine> engine(new Engine());
  engine->data_dir_ = data_dir;
  engine->link_snapshots_ = links ? std::move(links) : std::make_shared<LinkSnapshots>();
  engine->mode_ = mode;
  const DataDir layout{data_dir};
  const fs::path dir(data_dir);
  const fs::path store_path = layout.StorePath();
  const fs::path index_path = layout.IndexPath();
  std::error_code ec;
  const bool has_store = fs::exists(store_path, ec);
  if (mode == Mode::kRead) {
    if (!has_store) {
      return Status::NotFound(data_dir + ": no echotrace data here (run `echotrace ingest` first, or pass --data)");
    }
    ET_ASSIGN_OR_RETURN(engine->store_, Store::Open(store_path.string(), false, true));
    if (fs::exists(index_path, ec)) {
      ET_ASSIGN_OR_RETURN(engine->index_, Index::OpenReadOnly(index_path.string()));
    }
    return engine;
  }
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir, ec)) return Status::Corrupt(data_dir + ": exists and is not a folder");
    // Re-check the store: another process may have created it since (a lost race, not a foreign folder).
    if (!has_store && !fs::is_empty(dir, ec) && !fs::exists(store_path, ec)) {
      return Status::Corrupt(data_dir + ": folder is not empty and is not an echotrace data directory (no " +
                             store_path.filename().string() + "); refusing to write there");
    }
  } else if (!fs::create_directories(dir, ec) && !fs::is_directory(dir)) {  // another process may win the race
    return Status::IOError(data_dir + ": cannot create folder: " + ec.message());
  }
  ET_ASSIGN_OR_RETURN(engine->store_, Store::Open(store_path.string(), true, false));
  ET_ASSIGN_OR_RETURN(engine->index_, Index::OpenWritable(index_path.string()));
  ET_ASSIGN_OR_RETURN(engine->recovered_, engine->CatchUpIndex());
  return engine;
}

Status Engine::IndexDocnos(const std::vector<int64_t>& docnos) {
  for (int64_t docno : docnos) {
    ET_ASSIGN_OR_RETURN(StoredVersion v, store_->Get(docno, false));
    ET_RETURN_IF_ERROR(index_->Put(ToIndexed(docno, v.version_id, v.doc, v.latest)));
  }
  return Status::Ok();
}

Result<int64_t> Engine::CatchUpIndex() {
  ET_ASSIGN_OR_RETURN(int64_t mark, index_->IndexedUpTo());
  int64_t recovered = 0;
  for (;;) {
    ET_ASSIGN_OR_RETURN(std::vector<int64_t> docnos, store_->DocnosAfter(mark, kRecoveryChunk));
    if (docnos.empty()) break;
    // A new version changes its siblings' "latest" flag: index them too.
    std::vector<int64_t> all;
    for (int64_t docno : docnos) {
      ET_ASSIGN_OR_RETURN(StoredVersion v, store_->Get(docno, false));
      if (v.version_count > 1) {
        ET_ASSIGN_OR_RETURN(std::vector<int64_t> siblings, store_->VersionsOf(v.article_id));
        all.insert(all.end(), siblings.begin(), siblings.end());
      } else {
        all.push_back(docno);
      }
    }
    ET_RETURN_IF_ERROR(IndexDocnos(all));
    mark = docnos.back();
    ET_RETURN_IF_ERROR(index_->Commit(mark));
    recovered += static_cast<int64_t>(docnos.size());
  }
  return recovered;
}

int64_t Engine::IndexLag() const {
  auto max_docno = store_->MaxDocno();  // every search asks: keep it to one lookup
  if (!max_docno.ok()) return 0;
  int64_t mark = 0;
  if (index_) {
    auto indexed = index_->IndexedUpTo();
    if (!indexed.ok()) return *max_docno;  // nothing can be trusted as indexed
    mark = *indexed;
  }
  return *max_docno > mark ? *max_docno - mark : 0;
}

Result<IngestReport> Engine::Ingest(const std::vector<std::string>& paths, const IngestOptions& options,
                                    const ProgressCallback& progress) {
  if (mode_ != Mode::kWrite) return Status::Internal("Ingest on a read-only engine");
  IngestReport report;
  report.recovered = recovered_;
  auto expanded = ExpandInputs(paths, &report.issues);
  if (!expanded.ok()) {  // say why each path gave nothing
    std::string message = expanded.status().message();
    for (const InputIssue& issue : report.issues) message += "\n  " + issue.where + ": " + issue.message;
    return Status::BadInput(message);
  }
  const std::vector<InputFile>& files = expanded.value();
  int64_t bytes_total = 0;
  for (const InputFile& file : files) bytes_total = (file.size < 0 || bytes_total < 0) ? -1 : bytes_total + file.size;

  ET_ASSIGN_OR_RETURN(const int64_t run_id, store_->StartRun(options.command_line));
  for (const InputIssue& issue : report.issues)
    (void)store_->LogIssue(run_id, issue.where, issue.is_error, issue.message);

  IngestRun run(this, options, progress, run_id, bytes_total, &report);
  Status fatal;
  for (const InputFile& file : files) {
    fatal = run.ReadFile(file);
    if (!fatal.ok()) break;
  }
  if (fatal.ok()) fatal = run.CommitBatch();
  if (!fatal.ok()) {
    run.Abandon(fatal);
    return fatal;
  }
  ET_RETURN_IF_ERROR(run.Finish());
  // After a large ingest the index is about twice its compact size. Not
  // compacting only costs space: a failure (disk full) is a warning.
  const auto compact_start = std::chrono::steady_clock::now();
  auto compact = index_->ShouldCompact();
  Status compacted = compact.ok() ? (*compact ? index_->Compact() : Status::Ok()) : compact.status();
  if (!compacted.ok()) report.issues.push_back(InputIssue{false, layout().IndexPath(), compacted.message()});
  // (The store's content dictionary is trained by the run's batches: ingest_run.h, CommitOpenBatch.)
  report.seconds += SecondsSince(compact_start);
  ET_RETURN_IF_ERROR(UpdateWatches().status());  // watchlists see what ingest added, as after a collection
  return report;
}

Result<SearchResponse> Engine::Search(const SearchRequest& request, std::vector<StoredVersion>* versions) const {
  if (versions != nullptr) versions->clear();
  if (!index_) return SearchResponse{};
  std::unordered_map<int64_t, StoredVersion> loaded;
  ET_ASSIGN_OR_RETURN(SearchResponse response, index_->Search(request, [&](int64_t docno) {
    auto v = store_->GetHit(docno);
    if (!v.ok()) return std::string();
    std::string body = v->doc.Body();
    if (body.empty()) body = v->doc.title;
    if (versions != nullptr) loaded.emplace(docno, std::move(v).value());
    return body;
  }));
  if (versions != nullptr) {
    // A hit removed between the match and its lookup is dropped from both.
    std::erase_if(response.hits, [&](const SearchHit& hit) { return loaded.count(hit.docno) == 0; });
    for (const SearchHit& hit : response.hits) versions->push_back(std::move(loaded[hit.docno]));
  }
  return response;
}

Result<StoredVersion> Engine::HitVersion(int64_t docno) const { return store_->GetHit(docno); }

Result<std::vector<std::pair<std::string, int64_t>>> Engine::SurfaceForms(std::string_view kind, std::string_view key,
                                                                          int64_t limit) const {
  return store_->SurfaceForms(kind, key, limit);
}

Result<std::vector<int64_t>> Engine::DocnosWithKey(std::string_view kind, std::string_view key, bool newest,
                                                   int64_t limit) const {
  return store_->DocnosWithKey(kind, key, newest, limit);
}

Result<std::vector<int64_t>> Engine::ListingsOf(const StoredVersion& story) const {
  if (!index_ || story.doc.IsHeadlineStub()) return std::vector<int64_t>{};
  return index_->StubsOfStory(story.doc.title, story.doc.source, story.doc.date);
}

Result<ArticleView> Engine::Show(std::string_view id) const {
  int64_t exact = 0;
  ET_ASSIGN_OR_RETURN(std::vector<int64_t> docnos, store_->Resolve(id, &exact));
  ArticleView view;
  ET_ASSIGN_OR_RETURN(view.version, store_->Get(exact, true));
  for (int64_t docno : docnos) {
    ET_ASSIGN_OR_RETURN(StoredVersion v, store_->Get(docno, false));
    view.versions.push_back(std::move(v));
  }
  return view;
}

Engine::~Engine() = default;

Result<LinkReport> Engine::LinkNew(const StageBudget& budget, const BudgetClock* clock) {
  if (!linker_) {
    ET_ASSIGN_OR_RETURN(linker_, Linker::Open(layout().StorePath(), false));
  }
  return linker_->CatchUp(*store_, budget, clock);
}

Result<std::shared_ptr<const LinkSnapshots::Snapshot>> Engine::LinkSnapshot() const {
  return link_snapshots_->Get(layout().StorePath());
}

Result<std::vector<QuoteMatch>> Engine::Trace(std::string_view text, const TraceRequest& request) const {
  ET_ASSIGN_OR_RETURN(std::shared_ptr<const LinkSnapshots::Snapshot> snapshot, LinkSnapshot());
  return snapshot->linker->Trace(*store_, text, request);
}

Result<std::shared_ptr<const std::vector<EventGroup>>> Engine::Events() const {
  ET_ASSIGN_OR_RETURN(std::shared_ptr<const LinkSnapshots::Snapshot> snapshot, LinkSnapshot());
  ET_ASSIGN_OR_RETURN(const std::vector<EventGroup>* events, snapshot->Events());
  return std::shared_ptr<const std::vector<EventGroup>>(snapshot, events);
}

Result<std::shared_ptr<const std::vector<DupPairRow>>> Engine::DupPairs() const {
  ET_ASSIGN_OR_RETURN(std::shared_ptr<const LinkSnapshots::Snapshot> snapshot, LinkSnapshot());
  ET_ASSIGN_OR_RETURN(const std::vector<DupPairRow>* pairs, snapshot->DupPairs());
  return std::shared_ptr<const std::vector<DupPairRow>>(snapshot, pairs);
}

Result<std::vector<ReuseCluster>> Engine::Reuse(size_t min_words) const {
  ET_ASSIGN_OR_RETURN(std::shared_ptr<const LinkSnapshots::Snapshot> snapshot, LinkSnapshot());
  // The n-gram sets come from the snapshot's index (their one home).
  const NgramIndex& index = snapshot->linker->index();
  std::vector<std::vector<uint32_t>> sets(index.docs().size());
  for (uint32_t slot = 0; slot < sets.size(); ++slot) {
    const std::span<const uint32_t> set = index.NgramsOf(slot);
    sets[slot].assign(set.begin(), set.end());
  }
  const Store& store = *store_;
  return FindReuse(
      index, sets, [&store](int64_t docno) { return store.Get(docno, false); }, min_words);
}

Result<const LinkStore*> Engine::LinkReader() const {
  if (link_reader_ == nullptr || !link_reader_->has_tables()) {
    ET_ASSIGN_OR_RETURN(link_reader_, LinkStore::Open(layout().StorePath(), true));
  }
  return link_reader_.get();
}

Result<int64_t> Engine::LinkLag() const {
  ET_ASSIGN_OR_RETURN(const LinkStore* links, LinkReader());
  ET_ASSIGN_OR_RETURN(const int64_t mark, links->Mark());
  ET_ASSIGN_OR_RETURN(const int64_t max_docno, store_->MaxDocno());
  return max_docno > mark ? max_docno - mark : 0;
}

Result<LinkReport> Engine::Link() {
  if (mode_ != Mode::kWrite) return Status::Usage("linking needs a writable engine");
  return LinkNew();
}

Result<std::vector<StoredQuoteLink>> Engine::LinksOf(int64_t docno) const {
  ET_ASSIGN_OR_RETURN(const LinkStore* links, LinkReader());
  return links->QuoteLinksOf(docno);
}

Result<std::vector<StoredQuoteLink>> Engine::EchoesOf(int64_t docno) const {
  ET_ASSIGN_OR_RETURN(const LinkStore* links, LinkReader());
  return links->QuoteLinksTo(docno);
}

Result<std::vector<StoredQuoteLink>> Engine::NewestLinks(int64_t limit, int64_t offset, int64_t* total) const {
  ET_ASSIGN_OR_RETURN(const LinkStore* links, LinkReader());
  return links->NewestQuoteLinks(limit, offset, total);
}

Result<StoredVersion> Engine::Version(int64_t docno) const { return store_->Get(docno, false); }

Result<std::vector<QuoteMatch>> Engine::TraceDocument(const Document& doc, int64_t exclude_docno) const {
  ET_ASSIGN_OR_RETURN(std::shared_ptr<const LinkSnapshots::Snapshot> snapshot, LinkSnapshot());
  return snapshot->linker->TraceDocument(*store_, doc, exclude_docno);
}

Result<std::vector<QuoteMatch>> Engine::TraceText(std::string_view text, std::string_view date, std::string_view url,
                                                  Document* doc_out) const {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return Status::Usage("nothing to trace: empty text");
  nlohmann::json record{{"body", std::string(text)}};
  if (!date.empty()) record["date"] = std::string(date);
  if (!url.empty()) record["url"] = std::string(url);
  ET_ASSIGN_OR_RETURN(Document doc, Extract(record.dump(), InputFormat::kJsonLine, "-"));
  if (!date.empty() && doc.date.empty()) {
    return Status::Usage("unrecognized date '" + std::string(date) + "' (want YYYY-MM-DD, YYYY-MM or 'April 2012')");
  }
  Annotate(&doc);
  ET_ASSIGN_OR_RETURN(std::vector<QuoteMatch> matches, TraceDocument(doc, 0));
  if (doc_out != nullptr) *doc_out = std::move(doc);
  return matches;
}

Result<int64_t> Engine::TraceFiles(const std::vector<std::string>& paths, const ReadLimits& limits,
                                   const TracedSink& sink, std::vector<InputIssue>* issues) const {
  ET_ASSIGN_OR_RETURN(std::vector<InputFile> files, ExpandInputs(paths, issues));
  int64_t traced = 0;
  Status stop = Status::Ok();  // the sink's or the tracer's error: ends the run
  for (const InputFile& file : files) {
    const Status read = ReadInput(
        file, limits,
        [&](RawRecord&& record) -> Status {
          Result<Document> extracted = Extract(record.bytes, record.format, record.Origin());
          if (!extracted.ok()) {
            issues->push_back({true, record.Origin(), extracted.status().message()});
            return Status::Ok();
          }
          TracedArticle article;
          article.origin = record.Origin();
          article.doc = std::move(extracted).value();
          Annotate(&article.doc);
          article.passages = FindQuotedPassages(article.doc).size();
          Result<std::vector<QuoteMatch>> matches = TraceDocument(article.doc, 0);
          if (!matches.ok()) return stop = matches.status();
          article.matches = std::move(matches).value();
          ++traced;
          return stop = sink(std::move(article));
        },
        issues);
    if (!stop.ok()) return stop;
    // A file lost whole is reported and skipped, as ingest does.
    if (!read.ok()) issues->push_back({true, file.path, read.message()});
  }
  return traced;
}

Result<StoreStats> Engine::Stats() const { return store_->Stats(); }

Result<std::vector<std::pair<std::string, int64_t>>> Engine::SizeBreakdown() const {
  std::vector<std::pair<std::string, int64_t>> out;
  const auto file_size = [](const std::string& path) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    return ec ? int64_t{0} : static_cast<int64_t>(size);
  };
  const auto tree_size = [&](const std::string& dir) {
    int64_t total = 0;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
      if (it->is_regular_file(ec)) total += file_size(it->path().string());
    }
    return total;
  };
  out.emplace_back("total", tree_size(layout().root));
  out.emplace_back("store file", file_size(layout().StorePath()));
  out.emplace_back("store wal", file_size(layout().StorePath() + "-wal"));
  out.emplace_back("index", index_ ? index_->SizeOnDisk() : 0);
  out.emplace_back("ngrams", tree_size(Linker::IndexDir(layout().StorePath())));
  ET_ASSIGN_OR_RETURN(auto store_parts, store_->SizeBreakdown());
  out.insert(out.end(), store_parts.begin(), store_parts.end());
  return out;
}

Result<std::vector<KeyCount>> Engine::TopKeys(std::string_view kind, std::string_view label, int64_t limit) const {
  return store_->TopKeys(kind, label, limit);
}

Result<std::vector<QuoteRow>> Engine::Quotes(std::string_view speaker, int64_t limit, int64_t offset) const {
  return store_->Quotes(speaker, limit, offset);
}

Result<ReindexReport> Engine::Reindex(const ProgressCallback& progress) {
  if (mode_ != Mode::kWrite) return Status::Internal("Reindex on a read-only engine");
  const auto start = std::chrono::steady_clock::now();
  ReindexReport report;
  int64_t after = 0;
  for (;;) {
    ET_ASSIGN_OR_RETURN(std::vector<int64_t> docnos, store_->DocnosAfter(after, kRecoveryChunk));
    if (docnos.empty()) break;
    ET_RETURN_IF_ERROR(store_->Begin());
    std::vector<int64_t> to_index = docnos;  // and the teaser stubs cut anew, with the versions they replace
    for (int64_t docno : docnos) {
      auto stored = store_->Get(docno, true);
      if (!stored.ok()) {
        store_->Rollback();
        return stored.status();
      }
      // A teaser stub is cut from its page again below, not re-extracted
      // (its few raw lines no longer say which outlet it came from).
      if (!stored->doc.derived_from.empty()) continue;
      ++report.versions;
      Result<Document> fresh = Extract(stored->doc.raw, stored->doc.format, stored->doc.origin);
      if (!fresh.ok()) {
        ++report.failed;
        continue;
      }
      // What the collector knew of a fetched page (its URL, its outlet) is
      // not in the page's bytes: keep it when extraction does not find it.
      if (fresh->url.empty()) fresh->url = stored->doc.url;
      if (fresh->source.empty()) fresh->source = stored->doc.source;
      Annotate(&fresh.value());
      if (fresh->text != stored->doc.text || fresh->title != stored->doc.title || fresh->source != stored->doc.source ||
          fresh->date != stored->doc.date || fresh->url != stored->doc.url || fresh->spans != stored->doc.spans) {
        ++report.changed;
      }
      Status status = store_->UpdateExtraction(docno, fresh.value());
      if (!status.ok()) {
        store_->Rollback();
        return status;
      }
      // Teaser items the page now yields; those already stored are duplicates.
      for (Document& stub : SplitTeasers(fresh.value())) {
        stub.derived_from = stored->version_id;
        Result<AddResult> added = store_->Add(stub);
        if (!added.ok()) {
          store_->Rollback();
          return added.status();
        }
        if (added->outcome == AddOutcome::kDuplicate) continue;
        ++report.teaser_stubs;
        to_index.push_back(added->docno);
        if (added->replaced_latest != 0) to_index.push_back(added->replaced_latest);
      }
    }
    ET_RETURN_IF_ERROR(store_->Commit());
    ET_RETURN_IF_ERROR(IndexDocnos(to_index));
    ET_ASSIGN_OR_RETURN(const int64_t indexed_upto, index_->IndexedUpTo());
    ET_RETURN_IF_ERROR(index_->Commit(std::max(indexed_upto, *std::max_element(to_index.begin(), to_index.end()))));
    after = docnos.back();
    if (progress) progress({report.versions, 0, -1, SecondsSince(start), IngestStage::kExtracting, ""});
  }
  // Links point into texts reindex may have changed: forget them and link
  // everything again (linking is derived data, like the index).
  linker_.reset();
  ET_RETURN_IF_ERROR(Linker::ForgetLinks(layout().StorePath()));
  ET_RETURN_IF_ERROR(LinkNew().status());
  return report;
}

}  // namespace echotrace
