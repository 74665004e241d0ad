#include "healthdeck/client/store/target_metrics.h"

#include "healthdeck/client/store/promql.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <utility>

namespace healthdeck::client {

namespace {

bool matches(const SeriesTable::Series& s, const std::vector<LabelMatcher>& matchers) {
  for (const LabelMatcher& m : matchers) {
    // PromQL: an absent label matches the empty string.
    const std::string_view v = s.label(m.name).value_or(std::string_view{});
    if ((v == m.value) == m.negate) return false;
  }
  return true;
}

bool sampleNameIs(std::string_view name, std::string_view family, std::string_view suffix) {
  return name.size() == family.size() + suffix.size() && name.starts_with(family) &&
         name.ends_with(suffix);
}

// Accumulator of one (def, split value).
struct Acc {
  std::string split;
  double sum = 0.0;
  double numerator = 0.0;
  double denominator = 0.0;
  double minPositive = kNoValue;
  bool any = false;
  std::vector<promql::Bucket> buckets;
};

Acc& accFor(std::vector<Acc>& accs, std::string_view split) {
  for (Acc& a : accs)
    if (a.split == split) return a;
  Acc& a = accs.emplace_back();
  a.split = std::string(split);
  return a;
}

std::string labelsText(const SeriesTable::Series& s) {
  std::string out;
  for (const LabelView& l : s.labels) {
    if (!out.empty()) out += ", ";
    out += l.name;
    out += "=\"";
    out += l.value;
    out += '"';
  }
  return out;
}

} // namespace

TargetMetrics::TargetMetrics() : m_parser(m_table) {}

void TargetMetrics::setPins(std::vector<std::string> seriesKeys) {
  m_pins = std::move(seriesKeys);
  m_pinsDirty = true;
}

double TargetMetrics::rateOf(SeriesId id, double value, std::int64_t atMs) {
  // The entry is created on first use; ingest() appends this scrape's point afterwards.
  const std::vector<Point>& window = m_windows[id];
  if (window.empty() || std::isnan(value)) return kNoValue;
  const std::int64_t start = atMs - m_rateWindowMs;
  std::vector<Point> pts;
  pts.reserve(window.size() + 1);
  for (const Point& p : window)
    if (p.timestampMs > start && p.timestampMs < atMs && !std::isnan(p.value)) pts.push_back(p);
  pts.push_back({atMs, value});
  if (pts.size() >= 2) {
    // History older than the window: PromQL's range. Younger: the range it covers, once it is
    // long enough to mean something (two scrapes 9 ms apart, a "Poll now" right after a
    // scheduled poll, made one request read as 111/s).
    const bool covered = window.front().timestampMs <= start;
    if (!covered && atMs - pts.front().timestampMs < kMinRateSpanMs) return kNoValue;
    return promql::rate(pts, covered ? start : pts.front().timestampMs, atMs).value_or(kNoValue);
  }
  // Polled less often than the window: the last two scrapes.
  const Point& prev = window.back();
  if (prev.timestampMs >= atMs || std::isnan(prev.value)) return kNoValue;
  if (atMs - prev.timestampMs < kMinRateSpanMs) return kNoValue;
  const Point two[2] = {prev, {atMs, value}};
  return promql::rate(two, prev.timestampMs, atMs).value_or(kNoValue);
}

double TargetMetrics::firstValue(FamilyId family) const {
  if (family == kNoId) return kNoValue;
  for (const FamilyRun& run : m_page.families) {
    if (run.family != family || run.sampleCount == 0) continue;
    return m_page.samples[run.firstSample].value;
  }
  return kNoValue;
}

void TargetMetrics::redetect() {
  std::vector<std::string_view> names;
  names.reserve(m_page.families.size());
  for (const FamilyRun& run : m_page.families)
    names.push_back(m_table.family(run.family).name);
  m_profile = detectProfile(names);
  m_resolved.clear();
  for (const KeyMetricDef& d : m_profile.metrics) {
    Resolved r{d};
    r.family = m_table.findFamily(d.family).value_or(kNoId);
    if (!d.denominator.empty()) r.denominator = m_table.findFamily(d.denominator).value_or(kNoId);
    m_resolved.push_back(std::move(r));
  }
  m_detectedFamilies = m_table.familyCount();
  m_pinsDirty = true;
}

void TargetMetrics::resolvePins() {
  std::erase_if(m_resolved, [](const Resolved& r) { return r.pinned; });
  for (const std::string& key : m_pins) {
    const auto id = m_table.findSeries(key);
    if (!id) {
      // Not on any page yet (or a pin from another server's page): shown, without a value.
      Resolved r{pinDefinition(key, key.substr(0, key.find('{')), MetricType::Untyped)};
      r.pinned = true;
      m_resolved.push_back(std::move(r));
      continue;
    }
    const SeriesTable::Series& s = m_table.series(*id);
    const SeriesTable::Family& f = m_table.family(s.family);
    Resolved r{pinDefinition(key, f.name, f.type)};
    r.family = s.family;
    r.pinned = true;
    m_resolved.push_back(std::move(r));
  }
  m_pinsDirty = false;
}

void TargetMetrics::derive(const Resolved& r, std::int64_t atMs,
                           std::vector<KeyMetricSample>& out) {
  const KeyMetricDef& d = r.def;
  const bool firstScrape = m_lastAtMs < 0 || m_lastAtMs >= atMs;
  std::vector<Acc> accs;
  std::uint32_t pinGroup = kNoId;
  SeriesId pinSeries = kNoId;
  if (!d.seriesKey.empty()) {
    pinSeries = m_table.findSeries(d.seriesKey).value_or(kNoId);
    if (pinSeries != kNoId) pinGroup = m_table.series(pinSeries).group;
  }

  const auto visit = [&](FamilyId family, bool denominatorSide) {
    if (family == kNoId) return;
    const std::string_view familyName = m_table.family(family).name;
    for (const FamilyRun& run : m_page.families) {
      if (run.family != family) continue;
      for (std::uint32_t i = run.firstSample; i < run.firstSample + run.sampleCount; ++i) {
        const Sample& smp = m_page.samples[i];
        const SeriesTable::Series& s = m_table.series(smp.series);
        if (!sampleNameIs(s.name(), familyName, d.sampleSuffix)) continue;
        if (!d.seriesKey.empty()) {
          const bool wholeHistogram =
              d.kind == KeyMetricKind::HistogramQuantile && pinGroup != kNoId;
          if (wholeHistogram ? s.group != pinGroup : smp.series != pinSeries) continue;
        }
        const bool matched = matches(s, d.matchers);
        if (!matched && d.kind != KeyMetricKind::RateRatio) continue;
        const std::string_view split = d.splitBy.empty()
                                           ? std::string_view{}
                                           : s.label(d.splitBy).value_or(std::string_view{});
        Acc& a = accFor(accs, split);
        switch (d.kind) {
        case KeyMetricKind::GaugeValue:
          a.sum += smp.value;
          a.any = true;
          break;
        case KeyMetricKind::GaugeRatio:
        case KeyMetricKind::GaugeDifference:
          (denominatorSide ? a.denominator : a.numerator) += smp.value;
          a.any = true;
          break;
        case KeyMetricKind::CounterRate: {
          const double rate = rateOf(smp.series, smp.value, atMs);
          if (!std::isnan(rate)) a.sum += rate;
          a.any = true;
          break;
        }
        case KeyMetricKind::RateRatio: {
          const double rate = rateOf(smp.series, smp.value, atMs);
          if (std::isnan(rate)) break;
          a.denominator += rate;
          if (matched) a.numerator += rate;
          a.any = true;
          break;
        }
        case KeyMetricKind::HistogramQuantile: {
          const double rate = rateOf(smp.series, smp.value, atMs);
          if (std::isnan(rate)) break;
          auto it = std::find_if(a.buckets.begin(), a.buckets.end(),
                                 [&](const promql::Bucket& b) { return b.upperBound == s.bound; });
          if (it == a.buckets.end())
            a.buckets.push_back({s.bound, rate});
          else
            it->count += rate;
          a.any = true;
          break;
        }
        case KeyMetricKind::TimestampAge:
          if (smp.value > 0 && (std::isnan(a.minPositive) || smp.value < a.minPositive))
            a.minPositive = smp.value;
          a.any = true;
          break;
        }
      }
    }
  };
  visit(r.family, false);
  if (d.kind == KeyMetricKind::GaugeRatio || d.kind == KeyMetricKind::GaugeDifference)
    visit(r.denominator, true);

  const auto valueOf = [&](const Acc& a) -> double {
    switch (d.kind) {
    case KeyMetricKind::GaugeValue: return a.any ? a.sum : kNoValue;
    case KeyMetricKind::CounterRate:
      // No matching series yet (no failures ever counted) reads as 0/s once a rate exists.
      return firstScrape ? kNoValue : a.sum;
    case KeyMetricKind::RateRatio:
      return a.denominator > 0 ? a.numerator / a.denominator : kNoValue;
    case KeyMetricKind::HistogramQuantile: return promql::histogramQuantile(d.quantile, a.buckets);
    case KeyMetricKind::TimestampAge:
      return std::isnan(a.minPositive) ? kNoValue
                                       : static_cast<double>(atMs) / 1000.0 - a.minPositive;
    case KeyMetricKind::GaugeRatio:
      return a.any && a.denominator != 0 ? a.numerator / a.denominator : kNoValue;
    case KeyMetricKind::GaugeDifference: return a.any ? a.numerator - a.denominator : kNoValue;
    }
    return kNoValue;
  };

  const bool split = !d.splitBy.empty() && !accs.empty();
  if (!split) {
    const Acc none;
    out.push_back({d.id, d.title, d.unit, r.pinned, valueOf(accs.empty() ? none : accs.front())});
    return;
  }
  std::sort(accs.begin(), accs.end(), [](const Acc& a, const Acc& b) { return a.split < b.split; });
  for (const Acc& a : accs)
    out.push_back({d.id + '/' + a.split, d.title + ' ' + (a.split.empty() ? "(none)" : a.split),
                   d.unit, r.pinned, valueOf(a)});
}

void TargetMetrics::exporterStatus(ScrapeStatus& status) {
  if (m_profile.kind != ProfileKind::Healthdeck) return;
  const std::string& ns = m_profile.namespace_;
  const double scrapes =
      firstValue(m_table.findFamily(ns + "exporter_scrapes_total").value_or(kNoId));
  const double last =
      firstValue(m_table.findFamily(ns + "exporter_last_scrape_timestamp_seconds").value_or(kNoId));
  if (std::isnan(scrapes)) return;
  // The exporter counts a scrape after serving it, so this page counts every scrape served
  // before it: the console's previous one plus whatever others (Prometheus) made since, and
  // its timestamp gauge is the latest of those.
  if (!std::isnan(m_prevExporterScrapes) && scrapes >= m_prevExporterScrapes) {
    status.othersSinceLast = std::max(0.0, scrapes - m_prevExporterScrapes - 1.0);
    if (status.othersSinceLast > 0 && last > 0)
      m_lastOtherScrapeMs = static_cast<std::int64_t>(std::llround(last * 1000.0));
  }
  m_prevExporterScrapes = scrapes;
  status.lastOtherScrapeMs = m_lastOtherScrapeMs;
}

MetricHealthResult TargetMetrics::health(const QList<MetricRule>& rules) const {
  MetricHealthResult r;
  if (!m_hasGoodPage) return r;
  r.samples = static_cast<std::uint32_t>(m_page.samples.size());
  r.document = metricHealth(m_page, m_table, rules);
  return r;
}

TargetMetricsUpdate TargetMetrics::ingest(std::string_view body, std::int64_t atMs) {
  const auto started = std::chrono::steady_clock::now();
  TargetMetricsUpdate u;
  ScrapeStatus& st = u.status;
  st.atMs = atMs;
  st.bytes = body.size();

  if (!m_parser.parse(body, m_page)) {
    st.error = m_page.error->toString();
    st.series = static_cast<std::uint32_t>(m_table.seriesCount());
    st.profile = m_profile.name;
    m_hasGoodPage = false;
    // The same tiles as the last good page (split values included), without values.
    u.metrics = m_lastShape;
    for (KeyMetricSample& m : u.metrics)
      m.value = kNoValue;
    // The half-read page's values must not feed the next rate.
    m_lastAtMs = -1;
    m_page.clear();
    st.parseMs =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    return u;
  }
  m_hasGoodPage = true;
  if (m_table.familyCount() != m_detectedFamilies) redetect();
  if (m_pinsDirty || m_table.seriesCount() > m_seenSeries) resolvePins();
  m_seenSeries = m_table.seriesCount();

  st.samples = static_cast<std::uint32_t>(m_page.samples.size());
  st.series = static_cast<std::uint32_t>(m_table.seriesCount());
  st.warnings = static_cast<std::uint32_t>(m_page.warnings.size());
  st.profile = m_profile.name;
  {
    std::vector<FamilyId> seen;
    for (const FamilyRun& run : m_page.families)
      if (std::find(seen.begin(), seen.end(), run.family) == seen.end()) seen.push_back(run.family);
    st.families = static_cast<std::uint32_t>(seen.size());
  }

  u.metrics.reserve(m_resolved.size());
  for (const Resolved& r : m_resolved)
    derive(r, atMs, u.metrics);
  exporterStatus(st);
  m_lastShape = u.metrics;

  // Keep this scrape's point of every series a rate was asked of, and drop what fell out of
  // the window (keeping one point at or before its start).
  const std::int64_t start = atMs - m_rateWindowMs;
  for (const Sample& s : m_page.samples) {
    auto it = m_windows.find(s.series);
    if (it == m_windows.end()) continue;
    std::vector<Point>& w = it->second;
    if (!w.empty() && w.back().timestampMs >= atMs) continue;
    w.push_back({atMs, s.value});
    std::size_t drop = 0;
    while (drop + 1 < w.size() && w[drop + 1].timestampMs <= start)
      ++drop;
    if (drop > 0) w.erase(w.begin(), w.begin() + static_cast<std::ptrdiff_t>(drop));
  }
  m_lastAtMs = atMs;
  st.parseMs =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return u;
}

std::vector<ExplorerFamily> TargetMetrics::explorer() const {
  std::vector<ExplorerFamily> out;
  if (!m_hasGoodPage) return out;
  std::vector<std::uint32_t> slot(m_table.familyCount(), kNoId);
  for (const FamilyRun& run : m_page.families) {
    if (slot[run.family] == kNoId) {
      slot[run.family] = static_cast<std::uint32_t>(out.size());
      const SeriesTable::Family& f = m_table.family(run.family);
      out.push_back({f.name, f.type, f.help, f.unit, {}});
    }
    ExplorerFamily& ef = out[slot[run.family]];
    for (std::uint32_t i = run.firstSample; i < run.firstSample + run.sampleCount; ++i) {
      const Sample& smp = m_page.samples[i];
      const SeriesTable::Series& s = m_table.series(smp.series);
      ef.series.push_back({std::string(s.key), labelsText(s), smp.value});
    }
  }
  return out;
}

std::size_t TargetMetrics::memoryBytes() const noexcept {
  std::size_t windowBytes = 0;
  for (const auto& [id, w] : m_windows)
    windowBytes += sizeof(id) + sizeof(w) + w.capacity() * sizeof(Point);
  return m_table.memoryBytes() + m_page.samples.capacity() * sizeof(Sample) +
         m_page.families.capacity() * sizeof(FamilyRun) + windowBytes;
}

} // namespace healthdeck::client
