#include "search/facet_columns.h"

#include <string_view>
#include <unordered_map>

namespace echotrace {

FacetColumn ReadFacetColumn(const Xapian::Database& database, Xapian::valueno slot) {
  FacetColumn column;
  const Xapian::docid last = database.get_lastdocid();
  column.offsets.assign(static_cast<size_t>(last) + 2, 0);
  std::unordered_map<std::string, uint32_t> index_of;
  Xapian::docid next = 0;  // the first docid whose offset is not set yet
  for (auto it = database.valuestream_begin(slot); it != database.valuestream_end(slot); ++it) {
    const Xapian::docid did = it.get_docid();
    if (did > last) break;  // added after get_lastdocid (a writer's uncommitted view): not covered
    for (; next <= did; ++next) column.offsets[next] = static_cast<uint32_t>(column.ids.size());
    ForEachFacetId(*it, [&](std::string_view id) {
      auto [where, added] = index_of.try_emplace(std::string(id), static_cast<uint32_t>(column.names.size()));
      if (added) column.names.push_back(where->first);
      column.ids.push_back(where->second);
    });
  }
  for (; next <= last + 1; ++next) column.offsets[next] = static_cast<uint32_t>(column.ids.size());
  column.ids.shrink_to_fit();
  return column;
}

std::shared_ptr<const FacetColumns> FacetColumnCache::Get(const Xapian::Database& database, Xapian::valueno source_slot,
                                                          Xapian::valueno month_slot, Xapian::valueno entity_slot) {
  std::string key = database.get_uuid() + "@" + std::to_string(database.get_revision());
  MutexLock lock(&mutex_);
  if (columns_ != nullptr && columns_->key == key) return columns_;
  auto columns = std::make_shared<FacetColumns>();
  columns->key = std::move(key);
  columns->source = ReadFacetColumn(database, source_slot);
  columns->month = ReadFacetColumn(database, month_slot);
  columns->entity = ReadFacetColumn(database, entity_slot);
  columns_ = std::move(columns);
  return columns_;
}

}  // namespace echotrace
