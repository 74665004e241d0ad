// Kubernetes probe conventions (see probe_conventions.h).

#include "healthdeck/health/probe_conventions.h"

#include <algorithm>

namespace healthdeck {

namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// application/x-www-form-urlencoded decoding; nullopt on a malformed %-escape.
std::optional<std::string> formDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int hi = hexValue(text[i + 1]);
      const int lo = hexValue(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string_view probeWord(Probe probe) {
  return probe == Probe::Liveness ? "livez" : "readyz";
}

// One line of text: control characters (CR, LF, ...) become spaces.
void appendOneLine(std::string& out, std::string_view text) {
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u == 0x7f) ? ' ' : c;
  }
}

} // namespace

ProbeQuery parseProbeQuery(std::string_view query) {
  ProbeQuery q;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    const auto key = formDecode(pair.substr(0, eq));
    const auto value =
        formDecode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1));
    if (!key || !value) continue;
    if (*key == "verbose") {
      q.verbose = true;
    } else if (*key == "exclude") {
      q.exclude.push_back(*value);
    }
  }
  return q;
}

Exclusion excludeChecks(const ProbeResult& result, const std::vector<std::string>& names) {
  Exclusion out;
  out.result = result;
  out.result.checks.clear();
  for (const auto& check : result.checks) {
    if (std::find(names.begin(), names.end(), check.component) != names.end())
      out.excluded.push_back(check.component);
    else
      out.result.checks.push_back(check);
  }
  for (const auto& name : names) {
    const bool matched = std::any_of(result.checks.begin(), result.checks.end(),
                                     [&](const ComponentResult& c) { return c.component == name; });
    if (!matched &&
        std::find(out.unmatched.begin(), out.unmatched.end(), name) == out.unmatched.end())
      out.unmatched.push_back(name);
  }
  out.result.status = aggregate(out.result.checks);
  return out;
}

TextAnswer writeKubernetesText(const ProbeResult& result, const ProbeQuery& query, bool details) {
  const Exclusion ex = excludeChecks(result, query.exclude);
  TextAnswer answer;
  answer.httpStatus = ex.result.httpStatus();
  const bool passed = ex.result.status != Status::Down;
  if (passed && !query.verbose) {
    answer.body = "ok";
    return answer;
  }
  std::string& out = answer.body;
  // The result's order, with excluded checks in their place, as Kubernetes lists them.
  for (const auto& check : result.checks) {
    const bool excluded =
        std::find(ex.excluded.begin(), ex.excluded.end(), check.component) != ex.excluded.end();
    out += check.status == Status::Down && !excluded ? "[-]" : "[+]";
    appendOneLine(out, check.component);
    if (excluded) {
      out += " excluded: ok\n";
      continue;
    }
    if (check.status != Status::Down) {
      out += " ok\n";
      continue;
    }
    out += " failed: ";
    if (details && !check.details.empty())
      appendOneLine(out, check.details);
    else
      out += "reason withheld";
    out += '\n';
  }
  if (!ex.unmatched.empty()) {
    out += "warn: some health checks cannot be excluded: no matches for ";
    for (std::size_t i = 0; i < ex.unmatched.size(); ++i) {
      if (i > 0) out += ',';
      out += '"';
      appendOneLine(out, ex.unmatched[i]);
      out += '"';
    }
    out += '\n';
  }
  out += probeWord(result.probe);
  out += passed ? " check passed\n" : " check failed\n";
  return answer;
}

std::optional<ProbeResult> selectCheck(const ProbeResult& result, std::string_view name) {
  const auto it = std::find_if(result.checks.begin(), result.checks.end(),
                               [&](const ComponentResult& c) { return c.component == name; });
  if (it == result.checks.end()) return std::nullopt;
  ProbeResult one;
  one.probe = result.probe;
  one.timestamp = result.timestamp;
  one.checks = {*it};
  one.status = it->status;
  return one;
}

} // namespace healthdeck
