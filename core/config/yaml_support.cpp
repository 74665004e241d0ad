// yaml-cpp helpers for the configuration loaders (see yaml_support.h).

#include "healthdeck/config/yaml_support.h"

#include "healthdeck/config/monitoring_config.h"

#include <yaml-cpp/eventhandler.h>

#include <algorithm>
#include <sstream>

namespace healthdeck {

namespace {

// Records the shape of one YAML document without building it: where it starts and whether
// it is a bare null (and where), which is all screenDocuments needs.
class DocumentProbe : public YAML::EventHandler {
public:
  void OnDocumentStart(const YAML::Mark& mark) override { m_start = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override {
    if (++m_events == 1) m_null = mark;
  }
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override { m_events += 2; }
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {
    m_events += 2;
  }
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    m_events += 2;
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    m_events += 2;
  }
  void OnMapEnd() override {}

  const YAML::Mark& start() const { return m_start; }
  bool onlyNull() const { return m_events == 1; }
  const YAML::Mark& nullMark() const { return m_null; }

private:
  YAML::Mark m_start;
  YAML::Mark m_null = YAML::Mark::null_mark();
  int m_events = 0;
};

// Refuses a second document, and a token yaml-cpp 0.7 cannot place (a lone ',' at the top):
// its LoadAll then reports an empty document at the same spot forever, allocating each
// time, so documents are walked here one by one and the walk stops at the second.
void screenDocuments(const std::string& text, const std::string& file,
                     const std::string& expected) {
  std::istringstream stream(text);
  YAML::Parser parser(stream);
  DocumentProbe first;
  if (!parser.HandleNextDocument(first)) return;
  DocumentProbe second;
  if (!parser.HandleNextDocument(second)) return;
  const bool stuck = first.onlyNull() && second.start().pos <= first.nullMark().pos;
  const std::size_t pos = static_cast<std::size_t>(std::max(0, first.nullMark().pos));
  if (stuck && pos < text.size() && text[pos] != '-')
    throw ConfigError(file, markLine(first.nullMark()), {},
                      "YAML syntax error: unexpected '" + std::string(1, text[pos]) + '\'');
  throw ConfigError(file, markLine(second.start()), {},
                    "the file holds more than one YAML document; keep one " + expected +
                        " document");
}

} // namespace

int markLine(const YAML::Mark& mark) {
  return mark.is_null() || mark.line < 0 ? 0 : mark.line + 1;
}

int lineOf(const YAML::Node& node) {
  return markLine(node.Mark());
}

int valueLineOf(const YAML::Node& value, int keyLine) {
  const int line = lineOf(value);
  return value.IsNull() || line == 0 ? keyLine : line;
}

const char* nodeKind(const YAML::Node& node) {
  switch (node.Type()) {
  case YAML::NodeType::Map: return "a mapping";
  case YAML::NodeType::Sequence: return "a list";
  case YAML::NodeType::Scalar: return "a scalar";
  case YAML::NodeType::Null: return "nothing";
  case YAML::NodeType::Undefined: break;
  }
  return "an undefined value";
}

YAML::Node loadYamlDocument(const std::string& text, const std::string& file,
                            const std::string& expected) {
  try {
    screenDocuments(text, file, expected);
    return YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw ConfigError(file, markLine(e.mark), {}, "YAML syntax error: " + e.msg);
  }
}

} // namespace healthdeck
