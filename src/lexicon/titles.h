// Titles and honorifics as news text writes them before or after a name,
// once for every stage. Heads can carry a role alone ("the Premier",
// "spokesman Jay Carney"); modifiers only together with a head ("North
// Korean leader", "the respected Comrade", "First Vice Minister").
//
// Words are matched in lower case. Thread-safety: pure functions over
// constant tables. Cost: a hash lookup.
#pragma once

#include <string_view>

namespace echotrace::lexicon {

// "premier", "spokesman", "marshal", "sister", "mr" ...
bool IsTitleHead(std::string_view lower);
// "respected", "supreme", "vice", "foreign", "north" ...
bool IsTitleModifier(std::string_view lower);

}  // namespace echotrace::lexicon
