#include "healthdeck/health/report.h"

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

// Length of the well-formed UTF-8 sequence starting at text[i], or 0 if it is malformed
// (overlong forms, surrogates and code points above U+10FFFF are malformed too).
std::size_t utf8SequenceLength(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  std::size_t len = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + len > text.size()) return 0;
  const unsigned char b1 = byte(i + 1);
  if (b1 < lo || b1 > hi) return 0;
  for (std::size_t k = 2; k < len; ++k) {
    const unsigned char b = byte(i + k);
    if (b < 0x80 || b > 0xBF) return 0;
  }
  return len;
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
