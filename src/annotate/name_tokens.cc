#include "annotate/name_tokens.h"

#include <algorithm>

#include "lexicon/tokens.h"

namespace echotrace::annotate_internal {

std::vector<NameToken> Tokenize(std::string_view text, uint32_t base) {
  std::vector<TextToken> scratch;
  std::vector<NameToken> tokens;
  AppendNameTokens(text, base, &scratch, &tokens);
  return tokens;
}

void AppendNameTokens(std::string_view text, uint32_t base, std::vector<TextToken>* scratch,
                      std::vector<NameToken>* out) {
  std::vector<TextToken>& words = *scratch;
  words.clear();
  echotrace::Tokenize(text, 0, TokenizeOptions::NameWords(), &words);
  std::vector<NameToken>& tokens = *out;
  // Geometric growth: a document's blocks are appended one after another to one vector.
  if (tokens.capacity() < tokens.size() + words.size()) {
    tokens.reserve(std::max(tokens.size() + words.size(), 2 * tokens.capacity()));
  }
  size_t previous_end = 0;
  for (size_t w = 0; w < words.size(); ++w) {
    const TextToken& word = words[w];
    NameToken token;
    token.begin = base + word.begin;
    token.end = base + word.end;
    const auto first = static_cast<unsigned char>(text[word.begin]);
    token.capitalized = (first >= 'A' && first <= 'Z') || (first >= '0' && first <= '9') || first >= 0x80;
    token.lower = first >= 'a' && first <= 'z';
    token.all_caps = !word.has_lower;
    if (w == 0) {
      token.sentence_start = true;
    } else if (word.begin == previous_end + 1 && text[previous_end] == ' ') {
      token.joined = true;  // the common case: one space
    } else {
      // What lies between the two words: spaces and a possessive or plural
      // apostrophe ("People’s Republic", "Workers' Party") let a name run on;
      // an empty gap is a lost space ("ComradeKim").
      bool only_spaces = true;
      bool sentence_end = false;
      for (size_t k = previous_end; k < word.begin;) {
        const CharInfo c = ClassifyChar(text, k);
        const char byte = text[k];
        k += c.length;
        if (c.cls == CharClass::kSpace && byte != '\n') continue;  // a space of any width
        if (byte == '.' || byte == '?' || byte == '!' || byte == '\n') sentence_end = true;
        if (c.cls == CharClass::kApostrophe) {
          if (k < word.begin && (text[k] == 's' || text[k] == 'S')) ++k;
          continue;
        }
        only_spaces = false;
      }
      token.joined = only_spaces;
      token.sentence_start = sentence_end;
    }
    tokens.push_back(token);
    previous_end = word.end;
  }
}

}  // namespace echotrace::annotate_internal
