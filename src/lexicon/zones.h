// Time zones as pages write them, once for every stage: "KST", "GMT+9",
// "UTC+08:00", "GMT" → an ISO offset ("+09:00", "+08:00", "+00:00").
//
// Choices, made here only: "CST" is China Standard Time (+08:00), the zone of
// the Chinese press that covers the DPRK, not US Central; "ET" (US Eastern) is
// −04:00 from the second Sunday of March to the first Sunday of November and
// −05:00 otherwise, so it needs the date (without one it is refused); bare
// "GMT"/"UTC" is "+00:00". Pyongyang time changed in 2015–2018 (+08:30): that
// is a fact about Pyongyang, resolved by the date annotator, not a zone name.
//
// Thread-safety: pure functions. Cost: O(length of the word).
#pragma once

#include <string>
#include <string_view>

#include "lexicon/calendar.h"

namespace echotrace::lexicon {

// The ISO offset of a zone word, matched case-insensitively ("kst", "KST",
// "GMT+9", "utc-05:30"); empty when the word is no zone. `date` (optional)
// resolves season-dependent names ("ET"); without it they give empty.
std::string ZoneOffset(std::string_view word, const Ymd* date = nullptr);

// True when `word` is a zone name of the table (not a GMT±h form), e.g. to
// decide whether "KST" after a time belongs to it.
bool IsZoneName(std::string_view word);

}  // namespace echotrace::lexicon
