// JSON views of engine results, one encoder for the CLI's --json and the
// HTTP API, so the same thing has the same field names everywhere.
//
// Thread-safety: pure functions. Cost: linear in the value encoded.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "link/diff.h"

namespace echotrace {

// A word diff as runs: consecutive words of one op make one entry
// {"op": "kept"|"changed"|"inserted"|"omitted", "quote": ..., "original": ...}.
nlohmann::json DiffJson(const std::vector<DiffWord>& diff);

// DiffJson's runs on one line, as RenderDiff writes words: kept words plain,
// "[-omitted-]", "{+inserted+}", "[-old-]{+new+}" for a change.
std::string RenderDiffJson(const nlohmann::json& runs);

// An ingest run's totals, as `ingest --json` prints them and POST
// /api/ingest answers: files, files_failed, records, added, new_versions,
// duplicates, skipped, warnings, teaser_stubs, recovered, bytes, seconds.
// The caller adds its own list of issues (paths differ: CLI vs upload).
nlohmann::json IngestReportJson(const IngestReport& report);

// A collection's report: {"sources": [{name, url, feed_kind, feed_status,
// feed_not_modified, items, fetched, new, edited, unchanged, gone, restored,
// errors, messages, seconds}], "new_matches", "interrupted", "seconds",
// and "webhook": {status, error, delivered, pending} when a delivery was
// tried or is still owed}.
nlohmann::json CollectReportJson(const CollectReport& report);
// One ledger entry: {id, at, kind, url, source, reason, docno, previous_docno,
// capture_id, title, diff (edited only, as DiffJson)}. Docnos are the
// store's; the version ids are given as "version" / "previous_version" by
// the caller when it wants them.
nlohmann::json LedgerJson(const LedgerView& view);
// A watchlist's spec: {name, query, phrase, speaker, sources, entities, from, to, media}.
nlohmann::json WatchSpecJson(const WatchSpec& spec);

}  // namespace echotrace
