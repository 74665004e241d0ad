// Suggestions for misspelt configuration keys and values.

#include "healthdeck/config/key_suggestion.h"

#include <algorithm>

namespace healthdeck {

namespace {

std::string lowerAscii(std::string text) {
  for (char& c : text)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return text;
}

} // namespace

std::size_t editDistance(const std::string& a, const std::string& b) {
  // One row of the dynamic-programming table is enough: each cell needs only its left,
  // upper and upper-left neighbours.
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string closestWord(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t bestDistance = std::string::npos;
  const std::string lowered = lowerAscii(word);
  for (const auto& candidate : candidates) {
    const std::size_t d = editDistance(lowered, lowerAscii(candidate));
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  const std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
  return bestDistance <= limit ? best : std::string{};
}

std::string joinedWords(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

std::string unknownKeyMessage(const std::string& word, const std::vector<std::string>& known) {
  std::string message = "unknown key '" + word + '\'';
  const std::string suggestion = closestWord(word, known);
  if (!suggestion.empty()) return message + " (did you mean '" + suggestion + "'?)";
  return message + " (known keys: " + joinedWords(known) + ")";
}

} // namespace healthdeck
