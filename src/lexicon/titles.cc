#include "lexicon/titles.h"

#include <array>
#include <unordered_set>

namespace echotrace::lexicon {
namespace {

constexpr auto kTitleHeads = std::to_array<std::string_view>({"North Korean leader",
                                                              "the respected Comrade",
                                                              "premier",
                                                              "president",
                                                              "vice-president",
                                                              "chairman",
                                                              "chairwoman",
                                                              "secretary",
                                                              "comrade",
                                                              "marshal",
                                                              "vice-marshal",
                                                              "leader",
                                                              "minister",
                                                              "director",
                                                              "chief",
                                                              "researcher",
                                                              "professor",
                                                              "lecturer",
                                                              "spokesman",
                                                              "spokeswoman",
                                                              "spokesperson",
                                                              "ambassador",
                                                              "envoy",
                                                              "commander",
                                                              "officer",
                                                              "sister",
                                                              "wife",
                                                              "daughter",
                                                              "general",
                                                              "colonel",
                                                              "lieutenant",
                                                              "head",
                                                              "member",
                                                              "official",
                                                              "diplomat",
                                                              "representative",
                                                              "worker",
                                                              "teacher",
                                                              "scientist",
                                                              "engineer",
                                                              "manager",
                                                              "hero",
                                                              "analyst",
                                                              "mr",
                                                              "mrs",
                                                              "dr",
                                                              "ms",
                                                              "expert",
                                                              "correspondent",
                                                              "dictator",
                                                              "senator",
                                                              "chancellor",
                                                              "journalist",
                                                              "reporter",
                                                              "scholar",
                                                              "fellow",
                                                              "author",
                                                              "governor",
                                                              "king",
                                                              "miss",
                                                              "physicist",
                                                              "economist",
                                                              "historian",
                                                              "activist",
                                                              "lawmaker",
                                                              "politician",
                                                              "commentator",
                                                              "specialist",
                                                              "adviser",
                                                              "advisor",
                                                              "negotiator"});

constexpr auto kTitleModifiers = std::to_array<std::string_view>(
    {"respected", "dear",      "beloved", "esteemed",  "great",    "supreme", "foreign",     "defence",
     "defense",   "vice",      "first",   "deputy",    "senior",   "prime",   "state",       "former",
     "top",       "chinese",   "russian", "american",  "japanese", "south",   "north",       "korean",
     "party",     "executive", "ruling",  "labour",    "labor",    "chief",   "unification", "national",
     "cabinet",   "political", "general", "department"});

template <size_t N>
std::unordered_set<std::string_view> SetOf(const std::array<std::string_view, N>& words) {
  return std::unordered_set<std::string_view>(words.begin(), words.end());
}

}  // namespace

bool IsTitleHead(std::string_view lower) {
  static const std::unordered_set<std::string_view> heads = SetOf(kTitleHeads);
  return heads.count(lower) != 0;
}

bool IsTitleModifier(std::string_view lower) {
  static const std::unordered_set<std::string_view> modifiers = SetOf(kTitleModifiers);
  return modifiers.count(lower) != 0;
}

}  // namespace echotrace::lexicon
