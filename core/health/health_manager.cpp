#include "healthdeck/health/health_manager.h"

#include "healthdeck/health/report.h"
#include "healthdeck/util/duration_text.h"

#include <algorithm>
#include <array>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

#include <pthread.h>

namespace healthdeck {

namespace {

using SteadyClock = std::chrono::steady_clock;
using SystemClock = std::chrono::system_clock;

// One registered check and the worker thread that owns its calls. The worker holds a
// shared_ptr to this, so a worker detached while stuck in run() keeps the check alive.
struct Entry {
  CheckSpec spec;
  std::shared_ptr<HealthCheck> check;

  std::mutex mutex;
  std::condition_variable wake; // worker: a job arrived or stop
  std::condition_variable done; // evaluator: a job finished
  bool stop = false;
  bool pending = false; // a job is queued but the worker has not picked it up yet
  bool busy = false;    // the worker is inside run()
  std::uint64_t nextJob = 0;
  std::uint64_t finishedJob = 0;
  CheckContext jobContext;
  SystemClock::time_point busySince{};
  CheckOutcome outcome;
  std::chrono::nanoseconds duration{0};

  // History for `since`; only touched by the single run in progress of this probe.
  std::optional<Status> lastStatus;
  SystemClock::time_point since{};
};

void nameThisThread(const std::string& component) {
  // Linux limits thread names to 15 characters; the prefix makes them easy to spot in top -H.
  std::string name = "hc:" + component;
  if (name.size() > 15) name.resize(15);
  pthread_setname_np(pthread_self(), name.c_str());
}

void workerLoop(const std::shared_ptr<Entry>& entry) {
  nameThisThread(entry->spec.name);
  std::unique_lock lock(entry->mutex);
  for (;;) {
    entry->wake.wait(lock, [&] { return entry->stop || entry->pending; });
    if (entry->stop) return;
    entry->pending = false;
    entry->busy = true;
    entry->busySince = SystemClock::now();
    const std::uint64_t job = entry->nextJob;
    const CheckContext ctx = entry->jobContext;
    lock.unlock();

    CheckOutcome outcome;
    const auto started = SteadyClock::now();
    try {
      outcome = entry->check->run(ctx);
    } catch (const std::exception& e) {
      outcome = {Status::Down, *e.what() ? std::string(e.what()) : std::string("check failed")};
    } catch (...) {
      outcome = {Status::Down, "check failed with an unknown exception"};
    }
    const auto elapsed = SteadyClock::now() - started;

    lock.lock();
    entry->busy = false;
    entry->finishedJob = job;
    entry->outcome = std::move(outcome);
    entry->duration = std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed);
    entry->done.notify_all();
  }
}

struct Worker {
  std::shared_ptr<Entry> entry;
  std::thread thread;
};

// Per-probe run bookkeeping: the cache and the single run that concurrent callers share.
struct ProbeState {
  std::vector<std::shared_ptr<Entry>> entries;
  bool running = false;
  std::uint64_t generation = 0; // bumped when a run completes
  std::optional<ProbeResult> last;
  SteadyClock::time_point completedAt{};
};

std::size_t probeIndex(Probe p) {
  return p == Probe::Liveness ? 0 : 1;
}

} // namespace

struct HealthManager::Impl {
  mutable std::mutex mutex;
  std::condition_variable runFinished;
  std::array<ProbeState, 2> probes;
  std::vector<Worker> workers;
  std::function<void(const ProbeResult&)> observer;

  ProbeResult runChecks(Probe probe, const std::vector<std::shared_ptr<Entry>>& entries,
                        std::chrono::milliseconds defaultTimeout);
};

ProbeResult HealthManager::Impl::runChecks(Probe probe,
                                           const std::vector<std::shared_ptr<Entry>>& entries,
                                           std::chrono::milliseconds defaultTimeout) {
  const auto start = SteadyClock::now();
  ProbeResult result;
  result.probe = probe;
  result.checks.resize(entries.size());

  // Hand every check its job first so they all run at once; then collect in order. Waiting
  // on each in turn costs no more than the slowest, because all deadlines started together.
  std::vector<std::optional<std::uint64_t>> jobs(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    Entry& e = *entries[i];
    ComponentResult& c = result.checks[i];
    c.component = e.spec.name;
    c.critical = e.spec.critical;
    const auto timeout = e.spec.timeout.count() > 0 ? e.spec.timeout : defaultTimeout;
    std::lock_guard lock(e.mutex);
    if (e.busy) {
      // The previous call never came back: starting another would pile up stuck calls.
      c.status = Status::Down;
      c.details = "still running since " + formatTimestamp(e.busySince) + " (hung)";
      continue;
    }
    e.jobContext = CheckContext{start + timeout, timeout};
    e.pending = true;
    jobs[i] = ++e.nextJob;
    e.wake.notify_one();
  }

  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (!jobs[i]) continue;
    Entry& e = *entries[i];
    ComponentResult& c = result.checks[i];
    std::unique_lock lock(e.mutex);
    const auto deadline = e.jobContext.deadline;
    const bool finished =
        e.done.wait_until(lock, deadline, [&] { return e.finishedJob == *jobs[i]; });
    if (!finished) {
      // A job the worker never picked up is withdrawn, so only a call really inside run()
      // counts as hung next time.
      e.pending = false;
      c.status = Status::Down;
      c.details = "no answer within " + formatLatency(e.jobContext.timeout);
      c.duration = std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now() - start);
      continue;
    }
    c.status = e.outcome.status;
    c.details = e.outcome.details;
    c.duration = e.duration;
    const auto slowAfter = e.spec.degradedAfter;
    if (c.status == Status::Up && slowAfter.count() > 0 && c.duration > slowAfter) {
      c.status = Status::Degraded;
      c.details =
          "answered in " + formatLatency(c.duration) + " (> " + formatLatency(slowAfter) + ")";
    }
  }

  result.timestamp = SystemClock::now();
  for (std::size_t i = 0; i < entries.size(); ++i) {
    Entry& e = *entries[i];
    ComponentResult& c = result.checks[i];
    if (!e.lastStatus || *e.lastStatus != c.status) {
      e.lastStatus = c.status;
      e.since = result.timestamp;
    }
    c.since = e.since;
  }
  result.status = aggregate(result.checks);
  return result;
}

HealthManager::HealthManager() : HealthManager(Options{}) {}

HealthManager::HealthManager(Options options)
    : m_options(options), m_impl(std::make_unique<Impl>()) {}

HealthManager::~HealthManager() {
  std::vector<Worker> workers;
  {
    std::lock_guard lock(m_impl->mutex);
    workers = std::move(m_impl->workers);
  }
  for (Worker& w : workers) {
    bool stuck = false;
    {
      std::lock_guard lock(w.entry->mutex);
      w.entry->stop = true;
      stuck = w.entry->busy;
      w.entry->wake.notify_one();
    }
    // A worker inside a hung run() cannot be interrupted; it owns a reference to its entry
    // and exits on its own when the call returns.
    if (stuck)
      w.thread.detach();
    else
      w.thread.join();
  }
}

void HealthManager::add(CheckSpec spec, std::shared_ptr<HealthCheck> check) {
  if (!check) throw std::invalid_argument("HealthManager::add: null check");
  if (spec.name.empty()) throw std::invalid_argument("HealthManager::add: empty component name");
  auto entry = std::make_shared<Entry>();
  entry->spec = std::move(spec);
  entry->check = std::move(check);

  std::lock_guard lock(m_impl->mutex);
  ProbeState& ps = m_impl->probes[probeIndex(entry->spec.probe)];
  for (const auto& existing : ps.entries) {
    if (existing->spec.name == entry->spec.name)
      throw std::invalid_argument("HealthManager::add: component \"" + entry->spec.name +
                                  "\" is already registered for " +
                                  std::string(toString(entry->spec.probe)));
  }
  std::thread thread([entry] { workerLoop(entry); });
  m_impl->workers.push_back(Worker{entry, std::move(thread)});
  ps.entries.push_back(std::move(entry));
}

ProbeResult HealthManager::evaluate(Probe probe) {
  std::unique_lock lock(m_impl->mutex);
  ProbeState& ps = m_impl->probes[probeIndex(probe)];
  const auto ttl = m_options.cacheTtl;
  if (!ps.running && ps.last && ttl.count() > 0 && SteadyClock::now() - ps.completedAt < ttl)
    return *ps.last;
  if (ps.running) {
    const std::uint64_t generation = ps.generation;
    m_impl->runFinished.wait(lock, [&] { return ps.generation != generation; });
    return *ps.last;
  }

  ps.running = true;
  const auto entries = ps.entries;
  lock.unlock();

  ProbeResult result;
  try {
    result = m_impl->runChecks(probe, entries, m_options.defaultTimeout);
  } catch (...) {
    // Only allocation can fail here; never leave waiters blocked on a run that ended.
    lock.lock();
    ps.running = false;
    ps.generation++;
    if (!ps.last) ps.last = ProbeResult{probe, Status::Down, SystemClock::now(), {}};
    m_impl->runFinished.notify_all();
    throw;
  }

  lock.lock();
  ps.last = result;
  ps.completedAt = SteadyClock::now();
  ps.running = false;
  ps.generation++;
  auto observer = m_impl->observer;
  m_impl->runFinished.notify_all();
  lock.unlock();

  if (observer) observer(result);
  return result;
}

ProbeResult HealthManager::lastResult(Probe probe) const {
  std::lock_guard lock(m_impl->mutex);
  const ProbeState& ps = m_impl->probes[probeIndex(probe)];
  if (ps.last) return *ps.last;
  ProbeResult empty;
  empty.probe = probe;
  return empty;
}

std::vector<std::string> HealthManager::components(Probe probe) const {
  std::lock_guard lock(m_impl->mutex);
  std::vector<std::string> names;
  for (const auto& e : m_impl->probes[probeIndex(probe)].entries)
    names.push_back(e->spec.name);
  return names;
}

void HealthManager::setResultObserver(std::function<void(const ProbeResult&)> observer) {
  std::lock_guard lock(m_impl->mutex);
  m_impl->observer = std::move(observer);
}

} // namespace healthdeck
