#include "healthdeck/health/report.h"

#include "healthdeck/util/utf8.h"

#include <charconv>
#include <ctime>

namespace healthdeck {

namespace {

constexpr char kHex[] = "0123456789abcdef";

void appendEscapedControl(std::string& out, unsigned char c) {
  switch (c) {
  case '\b': out += "\\b"; break;
  case '\f': out += "\\f"; break;
  case '\n': out += "\\n"; break;
  case '\r': out += "\\r"; break;
  case '\t': out += "\\t"; break;
  default:
    out += "\\u00";
    out += kHex[c >> 4];
    out += kHex[c & 0xF];
  }
}

void appendStatusFields(std::string& out, const ProbeResult& result) {
  out += "\"success\":";
  out += result.status == Status::Down ? "false" : "true";
  out += ",\"status\":";
  appendJsonString(out, toString(result.status));
}

std::string formatMillisecondsNumber(std::chrono::nanoseconds d) {
  // Shortest round-trip form of the milliseconds value ("1.234567", "412", "0.0003").
  const double ms = static_cast<double>(d.count()) / 1e6;
  char buf[64];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, ms);
  if (ec != std::errc{}) return "0";
  return std::string(buf, end);
}

} // namespace

void appendJsonString(std::string& out, std::string_view text) {
  out.reserve(out.size() + text.size() + 2);
  out += '"';
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (c == '"') {
        out += "\\\"";
      } else if (c == '\\') {
        out += "\\\\";
      } else if (c < 0x20 || c == 0x7F) {
        appendEscapedControl(out, c);
      } else {
        out += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    // Valid UTF-8 passes through untouched; a malformed byte becomes U+FFFD so the document
    // stays valid JSON whatever a failing dependency put in its error message.
    const std::size_t len = utf8SequenceLength(text, i);
    if (len == 0) {
      out += "\\ufffd";
      ++i;
    } else {
      out.append(text.substr(i, len));
      i += len;
    }
  }
  out += '"';
}

std::string formatTimestamp(std::chrono::system_clock::time_point t) {
  const std::time_t secs =
      std::chrono::system_clock::to_time_t(std::chrono::floor<std::chrono::seconds>(t));
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  const std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return std::string(buf, n);
}

std::string writeHealthJson(const ProbeResult& result, bool details) {
  std::string out;
  out.reserve(128 + result.checks.size() * 96);
  out += '{';
  appendStatusFields(out, result);
  out += ",\"probe\":";
  appendJsonString(out, toString(result.probe));
  out += ",\"timestamp\":";
  appendJsonString(out, formatTimestamp(result.timestamp));
  if (details) {
    out += ",\"checks\":[";
    bool first = true;
    for (const ComponentResult& c : result.checks) {
      if (!first) out += ',';
      first = false;
      out += "{\"component\":";
      appendJsonString(out, c.component);
      out += ",\"status\":";
      appendJsonString(out, toString(c.status));
      out += ",\"details\":";
      appendJsonString(out, c.details);
      out += ",\"duration\":";
      out += std::to_string(c.duration.count());
      out += '}';
    }
    out += ']';
  }
  out += '}';
  return out;
}

std::string writeSummaryJson(const ProbeResult& result) {
  std::string out = "{";
  appendStatusFields(out, result);
  out += '}';
  return out;
}

std::string writeIetfHealthJson(const ProbeResult& result, bool details) {
  std::string out;
  out.reserve(128 + result.checks.size() * 160);
  out += "{\"status\":";
  appendJsonString(out, toIetfString(result.status));
  out += ",\"description\":";
  appendJsonString(out, "healthdeck " + std::string(toString(result.probe)) + " probe");
  if (details) {
    const std::string time = formatTimestamp(result.timestamp);
    out += ",\"checks\":{";
    bool first = true;
    for (const ComponentResult& c : result.checks) {
      if (!first) out += ',';
      first = false;
      appendJsonString(out, c.component);
      out += ":[{\"componentId\":";
      appendJsonString(out, c.component);
      out += ",\"status\":";
      appendJsonString(out, toIetfString(c.status));
      out += ",\"observedValue\":";
      out += formatMillisecondsNumber(c.duration);
      out += ",\"observedUnit\":\"ms\",\"time\":";
      appendJsonString(out, time);
      // The draft reserves `output` for warn/fail; a passing check's details are not an error.
      if (c.status != Status::Up) {
        out += ",\"output\":";
        appendJsonString(out, c.details);
      }
      out += "}]";
    }
    out += '}';
  }
  out += '}';
  return out;
}

} // namespace healthdeck
