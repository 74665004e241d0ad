#pragma once
// "Did you mean" for configuration files: the closest known word to a misspelt key or value,
// and the one message every loader uses for an unknown key. Pure functions, thread-safe.

#include <string>
#include <vector>

namespace healthdeck {

/// Levenshtein distance between `a` and `b` (bytes, case-sensitive).
std::size_t editDistance(const std::string& a, const std::string& b);

/// The candidate closest to `word` (compared case-insensitively) when it is close enough to be
/// a plausible typo — at most max(2, word.size() / 3) edits away — else an empty string.
std::string closestWord(const std::string& word, const std::vector<std::string>& candidates);

/// "unknown key 'tls_sever_config' (did you mean 'tls_server_config'?)", or, with no close
/// candidate, "unknown key 'x' (known keys: a, b, c)".
std::string unknownKeyMessage(const std::string& word, const std::vector<std::string>& known);

/// "a, b, c".
std::string joinedWords(const std::vector<std::string>& items);

} // namespace healthdeck
