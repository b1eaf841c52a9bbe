#include "search/facet_spies.h"

#include <algorithm>
#include <string_view>

#include "core/varint.h"

namespace echotrace {
namespace {

// Reads what PutVarint and PutString (core/varint.h) wrote; throws, as Xapian's unserialise expects, on truncated or
// oversized input.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool done() const { return in_.done(); }
  uint64_t Varint() {
    uint64_t value = 0;
    if (!in_.GetVarint(&value)) Fail();
    return value;
  }
  std::string String() {
    std::string_view s;
    if (!in_.GetString(&s)) Fail();
    return std::string(s);
  }

 private:
  [[noreturn]] static void Fail() { throw Xapian::NetworkError("malformed serialised match spy"); }
  ByteReader in_;
};

}  // namespace

SlotReader::SlotReader(Xapian::valueno slot, const Xapian::Database* database) : slot_(slot) {
  if (database != nullptr) database_ = *database;
}

std::string SlotReader::Read(const Xapian::Document& doc) {
  if (!database_) return doc.get_value(slot_);
  const Xapian::docid did = doc.get_docid();
  if (!started_ || did < last_) {
    stream_ = database_->valuestream_begin(slot_);
    started_ = true;
  }
  last_ = did;
  const Xapian::ValueIterator end;
  if (stream_ != end && stream_.get_docid() < did) stream_.skip_to(did);
  if (stream_ == end || stream_.get_docid() != did) return {};
  return *stream_;
}

void MultiValueCountSpy::operator()(const Xapian::Document& doc, double /*weight*/) {
  if (max_documents_ > 0 && documents_ >= max_documents_) return;
  ++documents_;
  if (column_ != nullptr) {
    if (const Xapian::docid did = doc.get_docid(); column_->Covers(did)) {
      if (column_counts_.empty()) column_counts_.assign(column_->names.size(), 0);
      for (const uint32_t id : column_->IdsOf(did)) {
        if (column_counts_[id]++ == 0) column_touched_.push_back(id);
      }
      return;
    }
  }
  ForEachFacetId(slot_.Read(doc), [&](std::string_view id) {
    auto it = counts_.find(id);
    if (it == counts_.end()) it = counts_.emplace(std::string(id), 0).first;
    ++it->second;
  });
}

void MultiValueCountSpy::FoldColumnCounts() const {
  for (const uint32_t id : column_touched_) {
    counts_[column_->names[id]] += column_counts_[id];
    column_counts_[id] = 0;
  }
  column_touched_.clear();
}

std::string MultiValueCountSpy::serialise() const {
  std::string out;
  PutVarint(slot_.slot(), &out);
  PutVarint(static_cast<uint64_t>(max_documents_), &out);
  return out;
}

Xapian::MatchSpy* MultiValueCountSpy::unserialise(const std::string& serialised, const Xapian::Registry&) const {
  Reader in(serialised);
  const auto slot = static_cast<Xapian::valueno>(in.Varint());
  const auto max_documents = static_cast<int64_t>(in.Varint());
  if (max_documents < 0) throw Xapian::NetworkError("malformed serialised match spy");
  return new MultiValueCountSpy(slot, nullptr, max_documents);
}

std::string MultiValueCountSpy::serialise_results() const {
  FoldColumnCounts();
  std::string out;
  PutVarint(static_cast<uint64_t>(documents_), &out);
  for (const auto& [id, count] : counts_) {
    PutString(id, &out);
    PutVarint(static_cast<uint64_t>(count), &out);
  }
  return out;
}

void MultiValueCountSpy::merge_results(const std::string& serialised) {
  FoldColumnCounts();
  Reader in(serialised);
  documents_ += static_cast<int64_t>(in.Varint());
  while (!in.done()) {
    std::string id = in.String();
    const auto count = static_cast<int64_t>(in.Varint());
    counts_[std::move(id)] += count;
  }
}

std::vector<std::pair<std::string, int64_t>> MultiValueCountSpy::Top(size_t n) const {
  FoldColumnCounts();
  std::vector<std::pair<std::string, int64_t>> top(counts_.begin(), counts_.end());
  const auto order = [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  };
  if (top.size() > n) {
    std::partial_sort(top.begin(), top.begin() + static_cast<std::ptrdiff_t>(n), top.end(), order);
    top.resize(n);
  } else {
    std::sort(top.begin(), top.end(), order);
  }
  return top;
}

void MonthOutletSpy::operator()(const Xapian::Document& doc, double /*weight*/) {
  const std::string date = date_slot_.Read(doc);
  if (date.size() < 6) return;  // undated
  const std::string month = date.substr(0, 4) + "-" + date.substr(4, 2);
  if (!from_month_.empty() && month < from_month_) return;
  if (!to_month_.empty() && month > to_month_) return;
  std::string source = source_slot_.Read(doc);
  if (source.empty()) source = "?";
  auto& row = counts_[month];
  ++row[source];
  ++row[""];
}

std::string MonthOutletSpy::serialise() const {
  std::string out;
  PutVarint(date_slot_.slot(), &out);
  PutVarint(source_slot_.slot(), &out);
  PutString(from_month_, &out);
  PutString(to_month_, &out);
  return out;
}

Xapian::MatchSpy* MonthOutletSpy::unserialise(const std::string& serialised, const Xapian::Registry&) const {
  Reader in(serialised);
  const auto date_slot = static_cast<Xapian::valueno>(in.Varint());
  const auto source_slot = static_cast<Xapian::valueno>(in.Varint());
  std::string from = in.String();
  std::string to = in.String();
  return new MonthOutletSpy(date_slot, source_slot, std::move(from), std::move(to));
}

std::string MonthOutletSpy::serialise_results() const {
  std::string out;
  for (const auto& [month, row] : counts_) {
    PutString(month, &out);
    PutVarint(row.size(), &out);
    for (const auto& [source, count] : row) {
      PutString(source, &out);
      PutVarint(static_cast<uint64_t>(count), &out);
    }
  }
  return out;
}

void MonthOutletSpy::merge_results(const std::string& serialised) {
  Reader in(serialised);
  while (!in.done()) {
    auto& row = counts_[in.String()];
    for (uint64_t n = in.Varint(); n > 0; --n) {
      std::string source = in.String();
      row[std::move(source)] += static_cast<int64_t>(in.Varint());
    }
  }
}

}  // namespace echotrace
