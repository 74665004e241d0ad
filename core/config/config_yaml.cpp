// The YAML stage of a load: walks the `monitoring:` document, applies every scalar through the
// key table and collects the check entries. Unknown and repeated keys are errors with a
// suggestion, so a typo never silently leaves a default in force.

#include "healthdeck/config/config_file.h"
#include "healthdeck/config/config_loader.h"
#include "healthdeck/config/config_text.h"
#include "healthdeck/config/key_suggestion.h"
#include "healthdeck/config/yaml_support.h"

#include <map>

namespace healthdeck {

namespace {

using config_text::dotted;
using config_text::endsWith;

class YamlReader {
public:
  explicit YamlReader(LoadState& state) : m_state(state) {}

  void read(const std::string& text) {
    const YAML::Node root = loadYamlDocument(text, m_state.file, "`monitoring:`");
    if (root.IsNull()) return;
    if (!root.IsMap())
      m_state.fail(at(lineOf(root)), {},
                   std::string("expected a mapping with a `monitoring:` key at the top, got ") +
                       nodeKind(root));
    walkMapping(root, {});
  }

private:
  ConfigSource at(int line) const { return ConfigSource{m_state.file, line}; }

  void walkMapping(const YAML::Node& node, const std::string& path) {
    std::map<std::string, int> seen;
    for (const auto& pair : node) {
      // Copies: yaml-cpp iterators hand out temporaries, and a Node is a cheap handle.
      const YAML::Node keyNode = pair.first;
      const YAML::Node value = pair.second;
      const std::string where = path.empty() ? std::string("the top level") : path;
      if (!keyNode.IsScalar())
        m_state.fail(at(lineOf(keyNode)), path, "keys in " + where + " must be plain words");
      const std::string& key = keyNode.Scalar(); // keyNode outlives it
      const std::string full = path.empty() ? key : dotted(path, key);
      const int keyLine = lineOf(keyNode);
      if (const auto prev = seen.find(key); prev != seen.end())
        m_state.fail(at(keyLine), full,
                     "duplicate key (first set at line " + std::to_string(prev->second) + ")");
      seen.emplace(key, keyLine);

      if (const SettingKey* setting = findSettingKey(full)) {
        const int valueLine = valueLineOf(value, keyLine);
        m_state.apply(*setting, scalarText(value, full, valueLine), at(valueLine));
      } else if (isSectionKey(full)) {
        if (value.IsNull()) continue; // `tls:` with nothing under it: all defaults
        if (!value.IsMap())
          m_state.fail(at(lineOf(value) > 0 ? lineOf(value) : keyLine), full,
                       std::string("expected a mapping, got ") + nodeKind(value));
        walkMapping(value, full);
      } else if (full == kChecksKey) {
        readChecks(value, keyLine);
      } else {
        m_state.fail(at(keyLine), full, unknownKeyMessage(key, childKeys(path)));
      }
    }
  }

  std::string scalarText(const YAML::Node& value, const std::string& key, int line) const {
    if (value.IsNull()) return {};
    if (!value.IsScalar())
      m_state.fail(at(line), key, std::string("expected a single value, got ") + nodeKind(value));
    return value.Scalar();
  }

  void readChecks(const YAML::Node& list, int keyLine) {
    const std::string checksKey(kChecksKey);
    if (list.IsNull()) return;
    if (!list.IsSequence())
      m_state.fail(at(lineOf(list) > 0 ? lineOf(list) : keyLine), checksKey,
                   std::string("expected a list of checks, got ") + nodeKind(list));
    int index = 0;
    for (const YAML::Node& entry : list) {
      const std::string path = checksKey + '[' + std::to_string(index) + ']';
      const int entryLine = lineOf(entry) > 0 ? lineOf(entry) : keyLine;
      if (!entry.IsMap())
        m_state.fail(at(entryLine), path,
                     std::string("expected a mapping with at least name and type, got ") +
                         nodeKind(entry));
      CheckConfig check;
      check.file = m_state.file;
      check.line = entryLine;
      check.index = index;
      m_state.cfg.sources[path] = at(entryLine);
      std::map<std::string, int> seen;
      for (const auto& pair : entry) {
        const YAML::Node keyNode = pair.first;
        const YAML::Node value = pair.second;
        const int entryKeyLine = lineOf(keyNode);
        if (!keyNode.IsScalar())
          m_state.fail(at(entryKeyLine), path, "keys in a check must be plain words");
        const std::string& key = keyNode.Scalar(); // keyNode outlives it
        const std::string full = dotted(path, key);
        if (const auto prev = seen.find(key); prev != seen.end())
          m_state.fail(at(entryKeyLine), full,
                       "duplicate key (first set at line " + std::to_string(prev->second) + ")");
        seen.emplace(key, entryKeyLine);
        const int valueLine = valueLineOf(value, entryKeyLine);
        std::string text = scalarText(value, full, valueLine);
        // A type-specific file key is resolved next to the config file, like the others.
        if (!findCheckKey(key) && endsWith(key, "_file") && !text.empty())
          text = resolveAgainst(m_state.file, text);
        m_state.applyCheck(check, key, text, at(valueLine));
      }
      m_state.cfg.checks.push_back(std::move(check));
      ++index;
    }
  }

  LoadState& m_state;
};

} // namespace

void readYaml(LoadState& state, const std::string& text) {
  YamlReader(state).read(text);
}

} // namespace healthdeck
