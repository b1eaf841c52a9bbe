#include "lexicon/gazetteer.h"

#include <cstdlib>
#include <iostream>
#include <utility>

#include "core/text.h"
#include "lexicon/outlets.h"
#include "lexicon/romanization.h"
#include "lexicon/tokens.h"

namespace echotrace {
namespace lexicon_internal {
extern const std::string_view kGazetteerTsv;
}

namespace {

bool IsAcronym(std::string_view alias) {
  bool has_letter = false;
  for (char c : alias) {
    if (c >= 'a' && c <= 'z') return false;
    if (c >= 'A' && c <= 'Z') has_letter = true;
    if (c == ' ') return false;
  }
  return has_letter;
}

// Registers one alias of entry `index`; the first entry to claim a key keeps it.
void AddAlias(std::string_view alias, uint32_t index, Gazetteer* g) {
  bool generic = false;
  if (!alias.empty() && alias[0] == '~') {
    generic = true;
    alias.remove_prefix(1);
  }
  if (alias.empty()) return;
  const std::string key = AliasKey(alias);
  if (key.empty()) return;
  // Every syllable boundary is a possible token boundary in the text ("Tok-hun"
  // may be written "Tok Hun"), so each prefix ending before a '-' is a prefix.
  size_t syllables = 1;
  for (size_t at = key.find('-'); at != std::string::npos; at = key.find('-', at + 1)) {
    g->alias_prefixes.insert(key.substr(0, at));
    ++syllables;
  }
  g->aliases.try_emplace(key, GazetteerAlias{index, IsAcronym(alias), generic});
  if (syllables > g->max_alias_tokens) g->max_alias_tokens = syllables;
  g->entries[index].aliases.emplace_back(alias);
}

uint32_t AddEntry(std::string_view id, std::string_view type, std::string_view name, Gazetteer* g) {
  const auto index = static_cast<uint32_t>(g->entries.size());
  GazetteerEntry entry;
  entry.id = std::string(id);
  entry.type = std::string(type);
  entry.name = std::string(name);
  if (entry.type == "person") {
    const size_t space = name.find(' ');
    if (space != std::string_view::npos) entry.surname = std::string(CanonicalSurname(name.substr(0, space)));
  }
  g->entries.push_back(std::move(entry));
  g->by_id.emplace(std::string(id), index);
  AddAlias(name, index, g);
  return index;
}

}  // namespace

std::string AliasKey(std::string_view surface) {
  std::vector<TextToken> tokens;
  Tokenize(surface, 0, TokenizeOptions::NameWords(), &tokens);
  std::string key;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (i > 0) key.push_back('-');
    key += NameWordKey(surface.substr(tokens[i].begin, tokens[i].end - tokens[i].begin), i == 0);
  }
  return key;
}

Result<Gazetteer> ParseGazetteer(std::string_view tsv) {
  Gazetteer g;
  size_t line_number = 0;
  for (std::string_view line : SplitTrimmed(tsv, '\n')) {
    ++line_number;
    if (line.empty() || line[0] == '#') continue;
    const std::vector<std::string_view> columns = SplitTrimmed(line, '\t');
    const std::string where = "gazetteer line " + std::to_string(line_number) + ": ";
    if (columns.size() < 3 || columns[0].empty() || columns[2].empty()) {
      return Status::BadInput(where + "expected id, type, name[, aliases]");
    }
    const std::string_view type = columns[1];
    if (type != "person" && type != "org" && type != "place" && type != "outlet") {
      return Status::BadInput(where + "unknown type '" + std::string(type) + "' (person, org, place, outlet)");
    }
    if (g.by_id.count(std::string(columns[0])) > 0) {
      return Status::BadInput(where + "duplicate id '" + std::string(columns[0]) + "'");
    }
    const uint32_t index = AddEntry(columns[0], type, columns[2], &g);
    if (columns.size() > 3) {
      for (std::string_view alias : SplitTrimmed(columns[3], ',')) AddAlias(alias, index, &g);
    }
  }
  return g;
}

// Outlets come from lexicon/outlets.h (data/outlets.tsv, parsed once there).
void AddOutlets(Gazetteer* g) {
  for (const Outlet* outlet : AllOutlets()) {
    const auto found = g->by_id.find(std::string(outlet->id));
    const uint32_t index = found != g->by_id.end() ? found->second : AddEntry(outlet->id, "outlet", outlet->name, g);
    if (found != g->by_id.end()) AddAlias(outlet->name, index, g);
    {
      for (std::string_view alias : outlet->aliases) {
        // "(En)" variants are source-field spellings, not running text; and
        // "Guardian" without its "The" is an ordinary word in running text
        // ("Ulji Freedom Guardian"), so an alias that is the display name
        // minus a leading "The " is left out.
        if (alias.find('(') != std::string_view::npos) continue;
        if (outlet->name.size() == alias.size() + 4 && outlet->name.substr(0, 4) == "The " &&
            outlet->name.substr(4) == alias && alias.find(' ') == std::string_view::npos) {
          continue;
        }
        AddAlias(alias, index, g);
      }
    }
  }
}

const Gazetteer& DefaultGazetteer() {
  static const Gazetteer gazetteer = [] {
    Result<Gazetteer> parsed = ParseGazetteer(lexicon_internal::kGazetteerTsv);
    if (!parsed.ok()) {
      std::cerr << "echotrace: built-in data/gazetteer.tsv is malformed: " << parsed.status().message() << "\n";
      std::abort();
    }
    Gazetteer g = std::move(parsed).value();
    AddOutlets(&g);
    return g;
  }();
  return gazetteer;
}

const GazetteerEntry* FindEntry(const Gazetteer& g, std::string_view id) {
  const auto found = g.by_id.find(std::string(id));
  return found == g.by_id.end() ? nullptr : &g.entries[found->second];
}

}  // namespace echotrace
