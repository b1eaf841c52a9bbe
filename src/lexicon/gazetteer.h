// The curated gazetteer: people, organizations, places and outlets that DPRK
// watchers meet, each with a canonical id and the surface forms it takes.
//
// Source: data/gazetteer.tsv (compiled in, see gazetteer_data.cc.in) plus
// every row of data/outlets.tsv (type "outlet", same ids as extraction uses).
// Aliases are matched by romanization key (lexicon/romanization.h), token by
// token, so "Kim Tok-hun", "Kim Tok Hun" and "Kim Dok-hun" need one alias.
//
// Thread-safety: a Gazetteer is immutable after construction; DefaultGazetteer()
// builds one on first use (a function-local static) and is safe from any thread.
// Cost: ParseGazetteer is linear in the table; a lookup is a hash probe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/status.h"

namespace echotrace {

struct GazetteerEntry {
  std::string id;                    // "kim-jong-un", "wpk", "kcna", "pyongyang", "dprk"
  std::string type;                  // "person" | "org" | "place" | "outlet"
  std::string name;                  // display name: "Kim Jong Un"
  std::vector<std::string> aliases;  // surface forms as written in the table (name included)
  // Canonical surname (romanization.h) of a person with a Korean surname, ""
  // otherwise; lets a later bare "Kim" refer back to this person.
  std::string surname;
};

// How one alias matches.
struct GazetteerAlias {
  uint32_t entry = 0;    // index into Gazetteer::entries
  bool acronym = false;  // all capitals in the table ("WPK", "US"): text must be all capitals too
  bool generic = false;  // a common word used as a name ("Party", "Cabinet"): not after another capitalized word
};

struct Gazetteer {
  std::vector<GazetteerEntry> entries;
  // Key of an alias's token sequence (token keys joined by "-", so "Tok-hun" = "Tok Hun") -> how it matches.
  std::unordered_map<std::string, GazetteerAlias> aliases;
  // Keys of every proper prefix of an alias's token sequence: a scan stops
  // extending a candidate as soon as it is in neither map.
  std::unordered_set<std::string> alias_prefixes;
  std::unordered_map<std::string, uint32_t> by_id;
  size_t max_alias_tokens = 0;  // the most syllables of any alias: no match spans more tokens
};

// Parses a gazetteer table. Columns (tab-separated): id, type, name, aliases
// (comma-separated; the name is always an alias; a leading "~" marks a generic
// alias). Lines starting with '#' and blank lines are skipped.
// Errors (kBadInput, naming the line): fewer than 3 columns, an unknown type,
// a duplicate id. Two entries claiming one alias: the first keeps it.
Result<Gazetteer> ParseGazetteer(std::string_view tsv);

// Adds the outlets of lexicon/outlets.h (data/outlets.tsv) as "outlet"
// entries; ids already present keep their row and gain the aliases.
void AddOutlets(Gazetteer* gazetteer);

// The compiled-in table (data/gazetteer.tsv + data/outlets.tsv), built once.
// The table is checked by tests; a malformed built-in table aborts at first use.
const Gazetteer& DefaultGazetteer();

// The entry with this id, or nullptr. The pointer lives as long as `g`.
const GazetteerEntry* FindEntry(const Gazetteer& g, std::string_view id);

// The key under which a token sequence is looked up in Gazetteer::aliases.
std::string AliasKey(std::string_view surface);

}  // namespace echotrace
