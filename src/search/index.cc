#include "search/index.h"

#include <fcntl.h>  // AT_FDCWD
#include <stdio.h>  // renameat2, RENAME_EXCHANGE (glibc 2.28)
#include <sys/stat.h>
#include <xapian.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>
#include <string_view>

#include "core/text.h"
#include "search/facet_columns.h"
#include "search/facet_spies.h"

namespace echotrace {
namespace {

constexpr Xapian::valueno kDateSlot = 0;
constexpr Xapian::valueno kSourceSlot = 1;
constexpr Xapian::valueno kMonthSlot = 2;
constexpr Xapian::valueno kEntitySlot = 3;
constexpr size_t kEntityFacetSize = 20;
constexpr const char* kIndexedUpTo = "indexed_upto";
constexpr const char* kCompactedDocCount = "compacted_doccount";  // documents at the last Compact()

// "2022-03-29" -> "20220329"; empty if `iso` is not in that form.
std::string CompactDate(const std::string& iso) {
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return {};
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (iso[i] < '0' || iso[i] > '9') return {};
  }
  return iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2);
}

// --- Snippets ---------------------------------------------------------------
// Xapian's MSet::snippet with SNIPPET_BACKGROUND_MODEL | SNIPPET_EXHAUSTIVE
// stems every word of a body and looks each up in the index: milliseconds on a
// long speech (bodies reach 62k characters). Instead a byte scan finds the
// words that can match (by first letters, then the stemmer), the densest
// window of them is cut out, and Xapian highlights that window alone, with
// the same query and stemmer, so what is marked is what Xapian would mark.

// The query's words as a body holds them: stems ("Z" terms), exact lowercase
// words (phrases and capitalized words, which STEM_SOME does not stem), and
// wildcard prefixes. Prefixed terms (title:, filters) are not body words.
struct SnippetTerms {
  std::vector<std::string> stems, words, prefixes;
  bool empty() const { return stems.empty() && words.empty() && prefixes.empty(); }
};

SnippetTerms SnippetTermsOf(const Xapian::Query& query, const std::string& query_text) {
  SnippetTerms terms;
  auto is_body_word = [](const std::string& t) { return !t.empty() && !(t[0] >= 'A' && t[0] <= 'Z'); };
  for (auto it = query.get_unique_terms_begin(); it != query.get_unique_terms_end(); ++it) {
    const std::string term = *it;
    if (term.size() > 1 && term[0] == 'Z' && is_body_word(term.substr(1))) {
      terms.stems.push_back(term.substr(1));
    } else if (is_body_word(term)) {
      terms.words.push_back(term);
    }
  }
  // Wildcards are expanded inside the match, not in the query's term list:
  // take their prefixes from the text ("harv*" -> "harv").
  for (size_t star = query_text.find('*'); star != std::string::npos; star = query_text.find('*', star + 1)) {
    size_t begin = star;
    while (begin > 0 && std::isalnum(static_cast<unsigned char>(query_text[begin - 1])) != 0) --begin;
    if (begin < star) terms.prefixes.push_back(AsciiLower(query_text.substr(begin, star - begin)));
  }
  return terms;
}

// A word of a body that matches the query: [begin, end) bytes, which term.
struct WordMatch {
  size_t begin = 0, end = 0;
  size_t term = 0;  // index into stems, then words, then prefixes
};

// Bytes of the word separator at text[i], 0 inside a word: ASCII spaces and
// punctuation, the no-break space, and the General Punctuation block (dashes,
// quotes, the ellipsis), as Xapian's tokenizer splits on them.
size_t SeparatorAt(std::string_view text, size_t i) {
  const auto c = static_cast<unsigned char>(text[i]);
  if (c < 0x80) return std::isalnum(c) != 0 ? 0 : 1;
  const auto next = [&](size_t k) { return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0; };
  if (c == 0xC2 && next(1) == 0xA0) return 2;
  if (c == 0xE2 && next(1) == 0x80 && next(2) != 0) return 3;
  return 0;
}

// Every word of `text` that one of `terms` matches, in text order. Words are
// what SeparatorAt does not split, with inner apostrophes (’ read as '),
// lowercased in ASCII: close to Xapian's tokenizer, and only the window's
// position depends on the difference.
std::vector<WordMatch> FindMatches(std::string_view text, const SnippetTerms& terms, const Xapian::Stem& stemmer) {
  std::vector<WordMatch> out;
  std::string word;
  const auto alnum_at = [&](size_t k) {
    return k < text.size() && std::isalnum(static_cast<unsigned char>(text[k])) != 0;
  };
  for (size_t i = 0; i < text.size();) {
    if (const size_t skip = SeparatorAt(text, i); skip > 0) {
      i += skip;
      continue;
    }
    const size_t begin = i;
    word.clear();
    while (i < text.size()) {
      if (text[i] == '\'' && alnum_at(i + 1)) {
        word += '\'';
        ++i;
      } else if (text.compare(i, 3, "\xE2\x80\x99") == 0 && alnum_at(i + 3)) {
        word += '\'';
        i += 3;
      } else if (SeparatorAt(text, i) == 0) {
        const char c = text[i++];
        word += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
      } else {
        break;
      }
    }
    size_t term = 0;
    bool found = false;
    for (size_t k = 0; k < terms.stems.size() && !found; ++k, ++term) {
      const std::string& stem = terms.stems[k];
      // A Porter2 stem keeps its word's first letter and, but for dying ->
      // die and the like, its second: most words are rejected unstemmed.
      if (word.size() < stem.size() || word[0] != stem[0]) continue;
      if (stem.size() > 1 && word[1] != stem[1] && word[1] != 'y') continue;
      found = stemmer(word) == stem;
    }
    for (size_t k = 0; k < terms.words.size() && !found; ++k, ++term) found = word == terms.words[k];
    for (size_t k = 0; k < terms.prefixes.size() && !found; ++k, ++term) {
      found = word.compare(0, terms.prefixes[k].size(), terms.prefixes[k]) == 0;
    }
    if (found) out.push_back({begin, i, term - 1});
  }
  return out;
}

// The start of the `width`-byte window holding the most distinct terms (then
// the most matches; the first such), from matches in text order.
size_t DensestWindow(const std::vector<WordMatch>& matches, size_t width) {
  std::map<size_t, int> in_window;  // term -> matches of it in the window
  size_t best_start = matches.front().begin, best_distinct = 0, best_count = 0;
  size_t first = 0;
  for (size_t last = 0; last < matches.size(); ++last) {
    ++in_window[matches[last].term];
    while (first < last && matches[last].end - matches[first].begin > width) {
      if (--in_window[matches[first].term] == 0) in_window.erase(matches[first].term);
      ++first;
    }
    const size_t count = last - first + 1;
    if (in_window.size() > best_distinct || (in_window.size() == best_distinct && count > best_count)) {
      best_distinct = in_window.size();
      best_count = count;
      best_start = matches[first].begin;
    }
  }
  return best_start;
}

// The snippet of one hit: `text` cut to a window around its best matches,
// highlighted by Xapian (HTML-escaped, <mark>…</mark>, "…" where cut).
std::string MakeSnippet(const Xapian::MSet& mset, const std::string& text, const SnippetTerms& terms,
                        const Xapian::Stem& stemmer) {
  constexpr size_t kSnippetBytes = 300;  // what Xapian keeps of the window
  constexpr size_t kLead = 60;           // context shown before the first match
  constexpr size_t kWindowBytes = 2 * kSnippetBytes;
  size_t begin = 0;
  size_t end = std::min(text.size(), kWindowBytes);
  std::vector<WordMatch> matches;
  if (!terms.empty()) matches = FindMatches(text, terms, stemmer);
  if (matches.empty()) {
    end = std::min(text.size(), kSnippetBytes);  // no match in the body (a title match): its start
  } else if (text.size() > kWindowBytes) {
    begin = DensestWindow(matches, kSnippetBytes - kLead);
    begin = begin > kLead ? begin - kLead : 0;
    end = std::min(text.size(), begin + kWindowBytes);
  }
  // Cut at spaces, so that no word (nor UTF-8 character) is split.
  if (begin > 0) {
    const size_t space = text.find(' ', begin);
    begin = space == std::string::npos || space >= end ? begin : space + 1;
    while (begin < end && (static_cast<unsigned char>(text[begin]) & 0xC0) == 0x80) ++begin;
  }
  if (end < text.size()) {
    const size_t space = text.rfind(' ', end);
    end = space == std::string::npos || space <= begin ? end : space;
    while (end > begin && end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  }
  std::string snippet =
      mset.snippet(text.substr(begin, end - begin), kSnippetBytes, stemmer, 0, "<mark>", "</mark>", "…");
  const std::string_view ellipsis = "…";
  if (begin > 0 && snippet.compare(0, ellipsis.size(), ellipsis) != 0) snippet.insert(0, ellipsis);
  if (end < text.size() && (snippet.size() < ellipsis.size() ||
                            snippet.compare(snippet.size() - ellipsis.size(), ellipsis.size(), ellipsis) != 0)) {
    snippet += ellipsis;
  }
  return snippet;
}

// The inode of a folder (0 if it cannot be read).
uint64_t InodeOf(const std::string& dir) {
  struct stat st {};
  return ::stat(dir.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_ino) : 0;
}

// `dir`: the index folder, named in the message of a full disk (which disk).
Status FromXapian(const Xapian::Error& e, const std::string& context, const std::string& dir = "") {
  const std::string message = context + ": " + e.get_type() + ": " + e.get_msg();
  // Xapian::Error is not polymorphic: compare the type name.
  const std::string type = e.get_type();
  if (type == "DatabaseModifiedError") return Status::Retry(message);
  const std::string why = e.get_error_string() != nullptr ? e.get_error_string() : "";
  if (why.find("No space left") != std::string::npos || message.find("No space left") != std::string::npos) {
    return Status::IOError(context + ": the disk is full (No space left on device" +
                           (dir.empty() ? std::string() : " writing " + dir) +
                           "): free some space and run the same command "
                           "again; every committed batch is kept and the next run indexes the rest");
  }
  if (why.find("Permission denied") != std::string::npos || why.find("Read-only") != std::string::npos) {
    return Status::IOError(context + ": cannot write (" + why +
                           "): make the data directory writable, or choose another folder with --data");
  }
  if (type == "DatabaseLockError") {
    return Status::IOError(context + ": another process is writing to this data directory (index locked)");
  }
  if (type == "DatabaseOpeningError" || type == "DatabaseCorruptError" || type == "DatabaseVersionError") {
    return Status::Corrupt(message);
  }
  return Status::Internal(message);
}

}  // namespace

Index::Index() = default;
Index::~Index() = default;

const Xapian::Database& Index::db() const {
  return writer_ ? static_cast<const Xapian::Database&>(*writer_) : *reader_;
}

Result<std::unique_ptr<Index>> Index::OpenWritable(const std::string& dir) {
  std::unique_ptr<Index> index(new Index());
  try {
    index->dir_ = dir;
    index->writer_ = std::make_unique<Xapian::WritableDatabase>(dir, Xapian::DB_CREATE_OR_OPEN);
  } catch (const Xapian::Error& e) {
    return FromXapian(e, dir);
  }
  return index;
}

Result<std::unique_ptr<Index>> Index::OpenReadOnly(const std::string& dir) {
  if (!std::filesystem::exists(dir)) return Status::NotFound(dir + ": no search index yet (ingest something first)");
  std::unique_ptr<Index> index(new Index());
  try {
    index->dir_ = dir;
    index->dir_inode_ = InodeOf(dir);
    index->reader_ = std::make_unique<Xapian::Database>(dir);
  } catch (const Xapian::Error& e) {
    return FromXapian(e, dir);
  }
  index->facet_columns_ = std::make_shared<FacetColumnCache>();
  return index;
}

namespace {

// Whether `doc` holds `term` (its term list is sorted).
bool HasTerm(const Xapian::Document& doc, const std::string& term) {
  Xapian::TermIterator it = doc.termlist_begin();
  it.skip_to(term);
  return it != doc.termlist_end() && *it == term;
}

// Keeps XFOLDED right as versions arrive, in either order: a stub is folded
// when a latest story of its key is indexed; a story folds the latest stubs
// of its key already there. The writer sees its own uncommitted documents.
// Only the story key's own posting list is read (a handful of documents):
// opening XLATEST or XSTUB here would flush their pending postings on every Put.
void FoldStubs(Xapian::WritableDatabase& writer, const std::string& story, int64_t docno, bool stub,
               Xapian::Document* doc) {
  const std::string key = "XTKEY" + story;
  std::vector<Xapian::docid> same;
  for (auto it = writer.postlist_begin(key); it != writer.postlist_end(key); ++it) same.push_back(*it);
  for (const Xapian::docid id : same) {
    if (static_cast<int64_t>(id) == docno) continue;
    Xapian::Document other = writer.get_document(id);
    if (!HasTerm(other, "XLATEST")) continue;
    const bool other_stub = HasTerm(other, "XSTUB");
    if (stub && !other_stub) {
      doc->add_boolean_term("XFOLDED");
      return;
    }
    if (!stub && other_stub && !HasTerm(other, "XFOLDED")) {
      other.add_boolean_term("XFOLDED");
      writer.replace_document(id, other);
    }
  }
}

}  // namespace

std::string StoryKey(std::string_view title, std::string_view source, std::string_view date) {
  if (title.empty() || date.empty()) return {};
  std::string key = FoldForKey(title);
  if (key.empty()) return {};
  key += '\x1f';
  key += source;
  key += '\x1f';
  key += date;
  return Hash64Hex(key);
}

std::optional<SearchSort> SearchSortFromName(std::string_view name) {
  if (name == "relevance") return SearchSort::kRelevance;
  if (name == "date" || name == "newest") return SearchSort::kNewest;
  return std::nullopt;
}

std::string_view SearchSortName(SearchSort sort) { return sort == SearchSort::kNewest ? "date" : "relevance"; }

Result<std::vector<int64_t>> Index::StubsOfStory(std::string_view title, std::string_view source,
                                                 std::string_view date) const {
  std::vector<int64_t> out;
  const std::string story = StoryKey(title, source, date);
  if (story.empty()) return out;
  try {
    Xapian::Enquire enquire(db());
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    enquire.set_query(
        Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query("XTKEY" + story),
                      Xapian::Query(Xapian::Query::OP_AND, Xapian::Query("XSTUB"), Xapian::Query("XLATEST"))));
    enquire.set_docid_order(Xapian::Enquire::ASCENDING);
    const Xapian::MSet stubs = enquire.get_mset(0, 50);
    for (auto it = stubs.begin(); it != stubs.end(); ++it) out.push_back(static_cast<int64_t>(*it));
  } catch (const Xapian::Error& e) {
    return FromXapian(e, "listing a story's stubs");
  }
  return out;
}

namespace {

// Prefix of the exact spellings of hyphenated names (see MarkExactSpellings).
constexpr std::string_view kSpellingPrefix = "XHYPH";

// The letters a hyphenated name or word is made of, here and in FoldHyphenatedWords.
bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Calls `f(word)` for each hyphenated name spelling of `text`: ASCII letters
// joined by hyphens, the first capitalized ("Jong-un", "Il-Sung"), not glued
// to a digit or another hyphen, at most 40 bytes. Linear.
template <typename F>
void ForEachHyphenatedName(std::string_view text, F&& f) {
  const auto letter = IsAsciiLetter;
  const auto alnum = [](char c) { return IsAsciiLetter(c) || (c >= '0' && c <= '9'); };
  for (size_t i = 0; i < text.size();) {
    if (!letter(text[i]) || (i > 0 && (alnum(text[i - 1]) || text[i - 1] == '-'))) {
      ++i;
      continue;
    }
    size_t end = i;
    bool hyphen = false;
    while (end < text.size() && (letter(text[end]) || (text[end] == '-' && end + 1 < text.size() &&
                                                       letter(text[end + 1]) && letter(text[end - 1])))) {
      hyphen = hyphen || text[end] == '-';
      ++end;
    }
    const bool clean_end = end == text.size() || !(alnum(text[end]) || text[end] == '-');
    if (hyphen && clean_end && end - i <= 40 && text[i] >= 'A' && text[i] <= 'Z') f(text.substr(i, end - i));
    i = end + 1;
  }
}

// One boolean term (no positions) per distinct hyphenated name spelling of
// the title and body, lowercased: XHYPHjong-un.
void AddHyphenatedSpellings(const IndexedVersion& v, Xapian::Document* doc) {
  for (const std::string* text : {&v.title, &v.body}) {
    ForEachHyphenatedName(
        *text, [&](std::string_view word) { doc->add_boolean_term(std::string(kSpellingPrefix) + AsciiLower(word)); });
  }
}

}  // namespace

PreparedIndexDocument::PreparedIndexDocument() = default;
PreparedIndexDocument::~PreparedIndexDocument() = default;
PreparedIndexDocument::PreparedIndexDocument(PreparedIndexDocument&&) noexcept = default;
PreparedIndexDocument& PreparedIndexDocument::operator=(PreparedIndexDocument&&) noexcept = default;

Result<PreparedIndexDocument> PrepareIndexDocument(const IndexedVersion& v) {
  PreparedIndexDocument prepared;
  try {
    prepared.doc_ = std::make_unique<Xapian::Document>();
    Xapian::Document& doc = *prepared.doc_;
    Xapian::TermGenerator generator;
    generator.set_stemmer(Xapian::Stem("english"));
    generator.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
    generator.set_document(doc);
    generator.index_text(v.title, 1, "S");
    generator.index_text(v.title, 3);
    generator.increase_termpos();
    generator.index_text(v.body);
    AddHyphenatedSpellings(v, &doc);  // exact spellings for quoted phrases (issue 13)
    doc.add_boolean_term("Q" + v.version_id);
    doc.add_boolean_term("XSRC" + v.source);
    if (v.stub) doc.add_boolean_term("XSTUB");
    if (!v.media.empty()) doc.add_boolean_term("XMEDIA" + v.media);
    prepared.story_ = StoryKey(v.title, v.source, v.date);
    prepared.stub_ = v.stub;
    if (!prepared.story_.empty()) doc.add_boolean_term("XTKEY" + prepared.story_);
    std::string entity_slot;
    for (const std::string& id : v.entities) {
      doc.add_boolean_term("XENT" + id);
      if (!entity_slot.empty()) entity_slot += '\n';
      entity_slot += id;
    }
    for (const std::string& key : v.events) doc.add_boolean_term("XEVT" + key);
    for (const std::string& id : v.speakers) doc.add_boolean_term("XSPK" + id);
    if (!entity_slot.empty()) doc.add_value(kEntitySlot, entity_slot);
    const std::string date = CompactDate(v.date);
    doc.add_value(kDateSlot, date);
    doc.add_value(kSourceSlot, v.source);
    doc.add_value(kMonthSlot, v.date.size() >= 7 ? v.date.substr(0, 7) : std::string());
    doc.set_data(v.version_id);
  } catch (const Xapian::Error& e) {
    return FromXapian(e, "indexing " + v.version_id);
  }
  return prepared;
}

Status Index::Put(const IndexedVersion& v) {
  ET_ASSIGN_OR_RETURN(PreparedIndexDocument doc, PrepareIndexDocument(v));
  return Put(std::move(doc), v.docno, v.latest);
}

Status Index::Put(PreparedIndexDocument&& prepared, int64_t docno, bool latest) {
  if (!writer_) return Status::Internal("index opened read-only");
  if (prepared.empty()) return Status::Internal("Index::Put: an empty prepared document");
  const std::unique_ptr<Xapian::Document> doc = std::move(prepared.doc_);
  try {
    if (latest) doc->add_boolean_term("XLATEST");
    // Folding reads the writer's other documents: here, in index order, not
    // where the document was prepared.
    if (latest && !prepared.story_.empty()) FoldStubs(*writer_, prepared.story_, docno, prepared.stub_, doc.get());
    writer_->replace_document(static_cast<Xapian::docid>(docno), *doc);
  } catch (const Xapian::Error& e) {
    return FromXapian(e, "indexing " + doc->get_data(), dir_);
  }
  return Status::Ok();
}

Status Index::Begin() {
  if (!writer_) return Status::Internal("index opened read-only");
  if (in_batch_) return Status::Internal("Index::Begin: a batch is open already");
  try {
    writer_->begin_transaction(true);  // flushed: commit_transaction() writes to disk, as commit() does
  } catch (const Xapian::Error& e) {
    return FromXapian(e, "opening an index batch");
  }
  in_batch_ = true;
  return Status::Ok();
}

void Index::Cancel() {
  if (!writer_ || !in_batch_) return;
  in_batch_ = false;
  try {
    writer_->cancel_transaction();
  } catch (const Xapian::Error&) {
    // Nothing was committed: the batch is lost either way.
  }
}

Status Index::Commit(int64_t indexed_upto) {
  if (!writer_) return Status::Internal("index opened read-only");
  try {
    writer_->set_metadata(kIndexedUpTo, std::to_string(indexed_upto));
    if (in_batch_) {
      in_batch_ = false;
      writer_->commit_transaction();
    } else {
      writer_->commit();
    }
  } catch (const Xapian::Error& e) {
    return FromXapian(e, "committing the index", dir_);
  }
  return Status::Ok();
}

Status Index::Compact() {
  if (!writer_) return Status::Internal("index opened read-only");
  namespace fs = std::filesystem;
  std::string dir = dir_;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  const std::string fresh = dir + ".compacting";
  std::error_code ec;
  fs::remove_all(fresh, ec);  // left by a run killed while compacting
  if (in_batch_) return Status::Internal("Index::Compact inside a batch: Commit() first");
  try {
    writer_->set_metadata(kCompactedDocCount, std::to_string(writer_->get_doccount()));
    writer_->commit();
    writer_->compact(fresh, Xapian::DBCOMPACT_NO_RENUMBER | Xapian::Compactor::FULLER);
  } catch (const Xapian::Error& e) {
    fs::remove_all(fresh, ec);
    return FromXapian(e, "compacting the index", dir_);
  }
  if (renameat2(AT_FDCWD, fresh.c_str(), AT_FDCWD, dir.c_str(), RENAME_EXCHANGE) != 0) {
    const std::string why = std::strerror(errno);
    fs::remove_all(fresh, ec);
    return Status::IOError("compacting the index: cannot swap " + fresh + " and " + dir + ": " + why);
  }
  // `fresh` now names the old index, which the writer still holds open.
  try {
    auto reopened = std::make_unique<Xapian::WritableDatabase>(dir, Xapian::DB_OPEN);
    writer_->close();
    writer_ = std::move(reopened);
  } catch (const Xapian::Error& e) {
    return FromXapian(e, "reopening the compacted index");
  }
  fs::remove_all(fresh, ec);
  return Status::Ok();
}

Result<bool> Index::ShouldCompact() const {
  try {
    const auto docs = static_cast<int64_t>(db().get_doccount());
    const std::string mark = db().get_metadata(kCompactedDocCount);
    const int64_t then = mark.empty() ? 0 : std::strtoll(mark.c_str(), nullptr, 10);
    return docs - then >= std::max(kCompactMinDocuments, then / 2);
  } catch (const Xapian::Error& e) {
    return FromXapian(e, "reading the index size");
  }
}

int64_t Index::SizeOnDisk() const {
  namespace fs = std::filesystem;
  int64_t total = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir_, ec)) {
    if (entry.is_regular_file(ec)) total += static_cast<int64_t>(entry.file_size(ec));
  }
  return total;
}

Result<int64_t> Index::IndexedUpTo() const {
  std::string mark;
  try {
    mark = db().get_metadata(kIndexedUpTo);
  } catch (const Xapian::Error& e) {
    return FromXapian(e, "reading the index mark");
  }
  if (mark.empty()) return int64_t{0};
  int64_t value = 0;
  for (char c : mark) {
    if (c < '0' || c > '9' || value > (INT64_MAX - 9) / 10) {
      return Status::Corrupt("the index mark '" + mark + "' is not a number");
    }
    value = value * 10 + (c - '0');
  }
  return value;
}

Result<int64_t> Index::LatestRevision() {
  if (!reader_) return Status::Internal("LatestRevision needs a read-only index");
  try {
    // A compaction replaced the folder: Xapian's reopen() would keep reading
    // the old files, so open the new ones.
    if (const uint64_t inode = InodeOf(dir_); inode != dir_inode_) {
      reader_ = std::make_unique<Xapian::Database>(dir_);
      dir_inode_ = inode;
    }
    reader_->reopen();
    return static_cast<int64_t>(reader_->get_revision());
  } catch (const Xapian::Error& e) {
    return FromXapian(e, "reading the index revision");
  }
}

Result<int64_t> Index::DocCount() const {
  try {
    return static_cast<int64_t>(db().get_doccount());
  } catch (const Xapian::Error& e) {
    return FromXapian(e, "counting indexed documents");
  }
}

std::string FoldHyphenatedWords(std::string_view query) {
  std::string out(query);
  const auto letter = IsAsciiLetter;
  bool in_phrase = false, in_prefixed = false;
  for (size_t i = 0; i < out.size(); ++i) {
    const char c = out[i];
    if (c == '"') {
      in_phrase = !in_phrase;
    } else if (c == ' ' || c == '\t' || c == '(' || c == ')') {
      in_prefixed = false;
    } else if (c == ':') {
      in_prefixed = true;  // "date:2011-2012", "person:kim-jong-un"
    } else if (c == '-' && !in_phrase && !in_prefixed && i > 0 && i + 1 < out.size() && letter(out[i - 1]) &&
               letter(out[i + 1])) {
      out[i] = ' ';
    }
  }
  return out;
}

std::string MarkExactSpellings(std::string_view query) {
  std::string out;
  out.reserve(query.size());
  size_t copied = 0;
  for (size_t open = query.find('"'); open != std::string_view::npos;) {
    const size_t close = query.find('"', open + 1);
    if (close == std::string_view::npos) break;
    // Only a bare phrase: "title:\"...\"" and other prefix:"values" stay as written.
    const bool bare = open == 0 || query[open - 1] != ':';
    std::string filters;
    if (bare) {
      ForEachHyphenatedName(query.substr(open + 1, close - open - 1), [&](std::string_view word) {
        filters += " spelling:";
        filters += AsciiLower(word);
      });
    }
    if (!filters.empty()) {
      out.append(query.substr(copied, open - copied));
      out += '(';
      out.append(query.substr(open, close + 1 - open));
      out += filters;
      out += ')';
      copied = close + 1;
    }
    open = query.find('"', close + 1);
  }
  out.append(query.substr(copied));
  return out;
}

Status CheckQueryCost(const std::string& query) {
  if (query.size() > kMaxQueryStringBytes) {
    return Status::Usage("query: longer than " + std::to_string(kMaxQueryStringBytes) + " bytes");
  }
  const auto wildcards = std::count(query.begin(), query.end(), '*');
  if (wildcards > kMaxQueryWildcards) {
    return Status::Usage("query: " + std::to_string(wildcards) + " wildcards; at most " +
                         std::to_string(kMaxQueryWildcards) + " per query (use fewer, longer prefixes)");
  }
  // NEAR or ADJ anywhere as a word (Xapian's lexer also takes "NEAR(" and
  // "NEAR/3"): then the query may hold only words, spaces and "/n".
  const auto alnum = [](unsigned char c) { return std::isalnum(c) != 0 || c >= 0x80; };
  // The operator's boundaries are judged by ASCII letters and digits only: a
  // stray byte after "NEAR" (invalid UTF-8 included) still ends the operator
  // for Xapian's lexer (the fuzzer found "-x NEAR\x87...").
  const auto ascii_alnum = [](unsigned char c) { return c < 0x80 && std::isalnum(c) != 0; };
  bool proximity = false;
  for (const char* op : {"NEAR", "ADJ"}) {
    const std::string_view o = op;
    for (size_t at = query.find(o); at != std::string::npos; at = query.find(o, at + 1)) {
      const bool starts = at == 0 || !ascii_alnum(static_cast<unsigned char>(query[at - 1]));
      const bool ends = at + o.size() == query.size() || !ascii_alnum(static_cast<unsigned char>(query[at + o.size()]));
      if (starts && ends) proximity = true;
    }
  }
  if (proximity) {
    for (const char c : query) {
      const auto u = static_cast<unsigned char>(c);
      if (!alnum(u) && c != ' ' && c != '\t' && c != '/') {
        return Status::Usage(std::string("query: NEAR and ADJ take plain words only ('") + c +
                             "' is not allowed with them); use a \"phrase\" instead");
      }
    }
  }
  return Status::Ok();
}

namespace {

bool IsBinaryOperator(std::string_view token) {
  if (token == "AND" || token == "OR" || token == "XOR") return true;
  for (std::string_view op : {std::string_view("NEAR"), std::string_view("ADJ")}) {
    if (token == op) return true;
    if (token.size() > op.size() + 1 && token.substr(0, op.size()) == op && token[op.size()] == '/') return true;
  }
  return false;
}

}  // namespace

std::optional<QueryProblem> FindQueryProblem(std::string_view query) {
  // One pass: tokens split at spaces and parentheses outside quotes, each
  // with its 1-based character position.
  enum class Last { kStart, kOpen, kBinary, kNot, kTerm };
  Last last = Last::kStart;
  std::string last_op;
  size_t last_op_at = 0;
  std::vector<size_t> open_parens;
  size_t chars = 0;  // characters before position i
  size_t quote_at = 0;
  bool in_quote = false;
  std::string token;
  size_t token_at = 0;
  auto problem = [](size_t at, std::string message) { return QueryProblem{at, std::move(message)}; };
  auto where = [](size_t at) { return "at character " + std::to_string(at); };
  auto end_token = [&]() -> std::optional<QueryProblem> {
    if (token.empty()) return std::nullopt;
    const bool binary = IsBinaryOperator(token);
    if (binary || token == "NOT") {
      if (binary && (last == Last::kBinary || last == Last::kNot)) {
        return problem(token_at, "query: '" + token + "' " + where(token_at) + " follows '" + last_op +
                                     "': put a word or a \"phrase\" between two operators");
      }
      if (binary && (last == Last::kStart || last == Last::kOpen)) {
        return problem(token_at, "query: '" + token + "' " + where(token_at) +
                                     " has nothing before it: it joins two words or \"phrases\"");
      }
      if (!binary && last == Last::kNot) {
        return problem(token_at, "query: 'NOT' " + where(token_at) + " follows 'NOT'");
      }
      last = binary ? Last::kBinary : Last::kNot;
      last_op = token;
      last_op_at = token_at;
    } else {
      last = Last::kTerm;
    }
    token.clear();
    return std::nullopt;
  };
  auto dangling = [&]() -> std::optional<QueryProblem> {
    if (last == Last::kBinary || last == Last::kNot) {
      return problem(last_op_at, "query: '" + last_op + "' " + where(last_op_at) +
                                     " has nothing after it: add a word or a \"phrase\", or remove it");
    }
    return std::nullopt;
  };
  for (size_t i = 0; i < query.size(); ++i) {
    const char c = query[i];
    const bool lead = (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    if (lead) ++chars;
    if (in_quote) {
      token += c;
      if (c == '"') in_quote = false;
      continue;
    }
    if (c == '"') {
      if (token.empty()) token_at = chars;
      token += c;
      in_quote = true;
      quote_at = chars;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '(' || c == ')') {
      if (auto p = end_token()) return p;
      if (c == '(') {
        open_parens.push_back(chars);
        // "word (" is an implicit AND: fine after a term as after an operator.
        last = Last::kOpen;
      } else if (c == ')') {
        if (open_parens.empty()) {
          return problem(chars, "query: ')' " + where(chars) + " closes nothing: remove it or add a '(' before");
        }
        if (last == Last::kOpen) return problem(chars, "query: '()' " + where(open_parens.back()) + " is empty");
        if (auto p = dangling()) return p;
        open_parens.pop_back();
        last = Last::kTerm;
      }
      continue;
    }
    if (token.empty()) token_at = chars;
    token += c;
  }
  if (in_quote) {
    return problem(quote_at, "query: unterminated quote: the phrase opened " + where(quote_at) +
                                 " is never closed (add a closing \")");
  }
  if (auto p = end_token()) return p;
  if (!open_parens.empty()) {
    return problem(open_parens.back(), "query: '(' " + where(open_parens.back()) + " is never closed (add a ')')");
  }
  if (auto p = dangling()) return p;
  return std::nullopt;
}

Result<SearchResponse> Index::Search(const SearchRequest& request, const BodyLookup& bodies) const {
  if (request.limit <= 0 || request.limit > 10000) return Status::Usage("limit must be between 1 and 10000");
  if (request.offset < 0) return Status::Usage("offset must not be negative");
  SearchResponse response;
  try {
    const Xapian::Database& database = db();
    Xapian::QueryParser parser;
    const Xapian::Stem stemmer("english");
    parser.set_stemmer(stemmer);
    parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    parser.set_database(database);
    parser.set_default_op(Xapian::Query::OP_AND);
    parser.set_max_expansion(kMaxWildcardExpansion, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    parser.add_prefix("title", "S");
    // One vocabulary with the CLI's flags and the API's parameters (outlet,
    // kind, entity, event, speaker); source: and media: are the old spellings.
    for (const char* field : {"outlet", "source"}) parser.add_boolean_prefix(field, "XSRC");
    // One id space for entities: person:kim-jong-un and entity:kim-jong-un agree.
    for (const char* field : {"entity", "person", "org", "organization", "place"}) {
      parser.add_boolean_prefix(field, "XENT");
    }
    parser.add_boolean_prefix("event", "XEVT");
    parser.add_boolean_prefix("speaker", "XSPK");
    // Exact spellings of hyphenated names (MarkExactSpellings); a document
    // holds many, so several filters must all match (not exclusive).
    parser.add_boolean_prefix("spelling", std::string(kSpellingPrefix), false);
    for (const char* field : {"kind", "media"}) parser.add_boolean_prefix(field, "XMEDIA");
    Xapian::DateRangeProcessor dates(kDateSlot, "date:");
    parser.add_rangeprocessor(&dates);
    Xapian::Query query;
    const unsigned flags = Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
                           Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_WILDCARD |
                           Xapian::QueryParser::FLAG_PURE_NOT;
    if (request.query.find_first_not_of(" \t\n") == std::string::npos) {
      query = Xapian::Query::MatchAll;
    } else {
      ET_RETURN_IF_ERROR(CheckQueryCost(request.query));
      if (auto problem = FindQueryProblem(request.query)) return Status::Usage(problem->message);
      try {
        query = parser.parse_query(FoldHyphenatedWords(MarkExactSpellings(request.query)), flags);
      } catch (const Xapian::QueryParserError& e) {
        return Status::Usage("query: cannot be read ('" + request.query + "'): " + e.get_msg());
      }
      if (query.empty()) query = Xapian::Query::MatchNothing;  // only stopwords or punctuation
    }
    std::vector<Xapian::Query> filters;
    if (!request.all_versions) filters.emplace_back("XLATEST");
    const bool empty_query = request.query.find_first_not_of(" \t\n") == std::string::npos;
    if (!request.sources.empty()) {
      std::vector<Xapian::Query> sources;
      for (const std::string& source : request.sources) sources.emplace_back("XSRC" + source);
      filters.emplace_back(Xapian::Query::OP_OR, sources.begin(), sources.end());
    }
    for (const std::string& id : request.entities) filters.emplace_back("XENT" + id);
    for (const std::string& key : request.events) filters.emplace_back("XEVT" + key);
    for (const std::string& id : request.speakers) filters.emplace_back("XSPK" + id);
    if (!request.media.empty()) {
      if (request.media != "state" && request.media != "foreign") {
        return Status::Usage("media must be 'state' or 'foreign', not '" + request.media + "'");
      }
      filters.emplace_back("XMEDIA" + request.media);
    }
    if (!request.from_date.empty() || !request.to_date.empty()) {
      const std::string from = request.from_date.empty() ? "00000000" : CompactDate(request.from_date);
      const std::string to = request.to_date.empty() ? "99999999" : CompactDate(request.to_date);
      if (from.empty() || to.empty()) return Status::Usage("dates must be YYYY-MM-DD");
      filters.emplace_back(Xapian::Query::OP_VALUE_RANGE, kDateSlot, from, to);
    }
    for (const Xapian::Query& filter : filters) query = Xapian::Query(Xapian::Query::OP_FILTER, query, filter);
    if (request.fold_stubs) query = Xapian::Query(Xapian::Query::OP_AND_NOT, query, Xapian::Query("XFOLDED"));

    Xapian::Enquire enquire(database);
    enquire.set_query(query);
    enquire.set_time_limit(kSearchTimeLimitSeconds);
    response.sort = request.sort != SearchSort::kDefault ? request.sort
                    : empty_query                        ? SearchSort::kNewest
                                                         : SearchSort::kRelevance;
    // Newest first; undated versions (an empty value) last; ties by relevance.
    if (response.sort == SearchSort::kNewest) enquire.set_sort_by_value_then_relevance(kDateSlot, true);
    // A reader's second facet search on decodes the facet slots once (per
    // revision) and counts from memory; see Search's header comment.
    std::shared_ptr<const FacetColumns> columns;
    if ((request.with_facets || request.with_histogram) && reader_ != nullptr && facet_columns_ != nullptr &&
        facet_searches_.fetch_add(1) >= 1) {
      columns = facet_columns_->Get(database, kSourceSlot, kMonthSlot, kEntitySlot);
    }
    MultiValueCountSpy source_spy(kSourceSlot, &database, 0, columns ? &columns->source : nullptr);
    MultiValueCountSpy month_spy(kMonthSlot, &database, 0, columns ? &columns->month : nullptr);
    // From memory the entity facet is cheap: it then counts every facet match.
    MultiValueCountSpy entity_spy(kEntitySlot, &database, columns ? 0 : kEntityFacetMatches,
                                  columns ? &columns->entity : nullptr);
    if (request.with_facets) {
      enquire.add_matchspy(&source_spy);
      enquire.add_matchspy(&month_spy);
      if (request.with_entity_facet) enquire.add_matchspy(&entity_spy);
    }
    const auto check_at_least = static_cast<Xapian::doccount>(request.with_facets ? kFacetMatches : 0);
    Xapian::MSet mset = enquire.get_mset(static_cast<Xapian::doccount>(request.offset),
                                         static_cast<Xapian::doccount>(request.limit), check_at_least);
    response.total_estimate = mset.get_matches_estimated();
    const SnippetTerms snippet_terms = bodies ? SnippetTermsOf(query, request.query) : SnippetTerms();
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      SearchHit hit;
      hit.docno = static_cast<int64_t>(*it);
      hit.score = it.get_weight();
      hit.percent = it.get_percent();
      if (bodies) {
        const std::string body = bodies(hit.docno);
        hit.snippet = MakeSnippet(mset, body, snippet_terms, stemmer);
      }
      response.hits.push_back(std::move(hit));
    }
    if (request.with_facets) {
      for (const auto& [source, count] : source_spy.counts()) response.by_source[source] = count;
      for (const auto& [month, count] : month_spy.counts()) response.by_month[month] = count;
      response.facet_documents = source_spy.documents();
      if (request.with_entity_facet) {
        response.by_entity = entity_spy.Top(kEntityFacetSize);
        response.entity_facet_documents = entity_spy.documents();
      }
      // The spies saw every match exactly when Xapian's bounds meet.
      response.total_exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound() &&
                             response.facet_documents >= response.total_estimate;
      response.facets_approximate =
          !response.total_exact ||
          (request.with_entity_facet && response.entity_facet_documents < response.facet_documents);
    }
    if (request.with_histogram) {
      // Every match counted by month (one value read each): the histogram
      // must cover the whole date range, not the first kFacetMatches.
      Xapian::Enquire all(database);
      all.set_query(query);
      all.set_weighting_scheme(Xapian::BoolWeight());
      all.set_time_limit(kSearchTimeLimitSeconds);
      MultiValueCountSpy months(kMonthSlot, &database, 0, columns ? &columns->month : nullptr);
      all.add_matchspy(&months);
      const Xapian::MSet counted = all.get_mset(0, 0, database.get_doccount());
      int64_t dated = 0;
      for (const auto& [month, count] : months.counts()) {
        response.histogram[month] = count;
        dated += count;
      }
      // Undated versions have no month value: the spy saw them but counted nothing.
      if (const int64_t undated = months.documents() - dated; undated > 0) response.histogram[""] = undated;
      response.histogram_approximate = counted.get_matches_lower_bound() != counted.get_matches_upper_bound() ||
                                       months.documents() < static_cast<int64_t>(counted.get_matches_lower_bound());
      if (!response.histogram_approximate) {
        response.total_estimate = counted.get_matches_estimated();  // exact
        response.total_exact = true;
      }
    }
  } catch (const Xapian::Error& e) {
    return FromXapian(e, "search");
  }
  return response;
}

}  // namespace echotrace
