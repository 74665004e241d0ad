#pragma once
// yaml-cpp helpers shared by the configuration loaders: line numbers for messages, what kind
// of node was found, and the one-document screen. Internal to healthdeck::core (it exposes
// yaml-cpp types, which core links privately): not part of the installed headers.
//
// Contract: pure functions; loadYamlDocument() throws ConfigError naming `file` and the line.

#include <yaml-cpp/yaml.h>

#include <string>

namespace healthdeck {

/// 1-based line of `node`, 0 when yaml-cpp has no mark for it.
int lineOf(const YAML::Node& node);
/// 1-based line of a mark, 0 when null.
int markLine(const YAML::Mark& mark);
/// An empty value's mark points past it (often at the next key), so blame the key's line.
int valueLineOf(const YAML::Node& value, int keyLine);
/// "a mapping", "a list", "a scalar", "nothing".
const char* nodeKind(const YAML::Node& node);

/// Parses `text` as exactly one YAML document. A second document, or a syntax error, is a
/// ConfigError naming `file` and the line; `expected` finishes "keep one ... document".
YAML::Node loadYamlDocument(const std::string& text, const std::string& file,
                            const std::string& expected);

} // namespace healthdeck
