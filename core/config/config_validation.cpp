// The validation stage of a load: relations between values, checked once after the file and
// the environment are both applied — route collisions, the TLS pair, readable secret files, the
// web configuration file, duplicate check names, check types — and the warnings for settings
// that load but are probably not meant.

#include "healthdeck/checks/check_factory.h"
#include "healthdeck/config/config_file.h"
#include "healthdeck/config/config_loader.h"
#include "healthdeck/config/config_text.h"
#include "healthdeck/config/key_suggestion.h"
#include "healthdeck/config/listen_address.h"

#include <map>

namespace healthdeck {

namespace {

using config_text::dotted;
using config_text::endsWith;
using config_text::inQuotes;

class ValidationStage {
public:
  explicit ValidationStage(LoadState& state) : m_state(state) {}

  // Of two keys in conflict, the one to blame: an environment override, else the later line.
  std::string laterOf(const std::string& a, const std::string& b) const {
    if (m_state.fromEnvironment(a) != m_state.fromEnvironment(b))
      return m_state.fromEnvironment(a) ? a : b;
    return m_state.sourceOf(a).line >= m_state.sourceOf(b).line ? a : b;
  }

  void checkReadable(const std::string& key, const std::string& path) const {
    if (path.empty()) return;
    const std::string reason = unreadableReason(path);
    if (!reason.empty())
      m_state.fail(m_state.sourceOf(key), key, "cannot read " + path + ": " + reason);
  }

  void validate() {
    MonitoringConfig& c = m_state.cfg;
    resolveListen(c);

    const std::vector<std::pair<std::string, std::string>> routes = {
        {"monitoring.prometheus.endpoint", c.prometheus.endpoint},
        {"monitoring.health_check.endpoints.health", c.health.healthPath},
        {"monitoring.health_check.endpoints.live", c.health.livePath},
        {"monitoring.health_check.endpoints.ready", c.health.readyPath},
    };
    for (std::size_t i = 0; i < routes.size(); ++i)
      for (std::size_t j = i + 1; j < routes.size(); ++j)
        if (routes[i].second == routes[j].second) {
          const std::string blamed = laterOf(routes[i].first, routes[j].first);
          const std::string other = blamed == routes[i].first ? routes[j].first : routes[i].first;
          m_state.fail(m_state.sourceOf(blamed), blamed,
                       inQuotes(routes[i].second) + " collides with " + other +
                           ": every route needs its own path");
        }

    if (c.tls.certFile.empty() != c.tls.keyFile.empty()) {
      const std::string given =
          c.tls.certFile.empty() ? "monitoring.tls.key_file" : "monitoring.tls.cert_file";
      const std::string missing = c.tls.certFile.empty() ? "cert_file" : "key_file";
      m_state.fail(m_state.sourceOf(given), given,
                   "TLS needs both cert_file and key_file; " + missing + " is not set");
    }
    checkReadable("monitoring.auth.bearer_token_file", c.auth.bearerTokenFile);
    checkReadable("monitoring.tls.cert_file", c.tls.certFile);
    checkReadable("monitoring.tls.key_file", c.tls.keyFile);
    checkReadable("monitoring.web_config_file", c.webConfigFile);
    if (!c.webConfigFile.empty()) {
      // Its own errors name its own file, line and key (the operator edits that file).
      c.webConfig = loadWebConfig(c.webConfigFile);
      if (c.webConfig->tls.enabled() && !c.tls.certFile.empty())
        m_state.fail(m_state.sourceOf("monitoring.web_config_file"), "monitoring.web_config_file",
                     "TLS is configured twice: " + c.webConfigFile +
                         " has tls_server_config and monitoring.tls is set too; keep one");
    }

    std::map<std::string, std::string> names; // name → key of its first definition
    for (auto& check : c.checks)
      validateCheck(check, names);
  }

  void validateCheck(CheckConfig& check, std::map<std::string, std::string>& names) {
    const std::string path = std::string(kChecksKey) + '[' + std::to_string(check.index) + ']';
    if (check.name.empty())
      m_state.fail(m_state.sourceOf(path), path + ".name", "missing required key 'name'");
    if (check.type.empty())
      m_state.fail(m_state.sourceOf(path), path + ".type", "missing required key 'type'");
    const auto [first, inserted] = names.emplace(check.name, path + ".name");
    if (!inserted) {
      const ConfigSource earlier = m_state.sourceOf(first->second);
      std::string where = earlier.line > 0 ? "line " + std::to_string(earlier.line) : earlier.file;
      m_state.fail(m_state.sourceOf(path + ".name"), path + ".name",
                   "duplicate check name " + inQuotes(check.name) + " (first used by " +
                       first->second + ", " + where + ")");
    }
    for (const auto& [key, param] : check.params)
      if (endsWith(key, "_file")) checkReadable(dotted(path, key), param.value);

    const CheckType* type = findCheckType(check.type);
    if (!type) {
      std::vector<std::string> known;
      for (const auto& t : checkTypes())
        known.push_back(t.type);
      std::string message = "unknown check type " + inQuotes(check.type);
      const std::string guess = closestWord(check.type, known);
      if (!guess.empty())
        message += " (did you mean " + inQuotes(guess) + "?)";
      else
        message += " (known types: " + joinedWords(known) + ")";
      m_state.fail(m_state.sourceOf(path + ".type"), path + ".type", message);
    }
    if (type->outsideService && check.probe == Probe::Liveness && !check.allowLiveness)
      m_state.fail(
          m_state.sourceOf(path + ".probe"), path + ".probe",
          "a " + check.type +
              " check depends on an outside service and must not decide liveness (a restart "
              "cannot fix the dependency); use probe: readiness, or set allow_liveness: true");

    try {
      (void)buildCheck(check);
    } catch (const ConfigError& e) {
      // The check type knows only the entry; re-aim at the environment variable when the
      // offending value came from one.
      if (m_state.fromEnvironment(e.key()))
        m_state.fail(m_state.sourceOf(e.key()), e.key(), e.message());
      throw;
    } catch (const std::exception& e) {
      m_state.fail(m_state.sourceOf(path), path, e.what());
    }
  }

  LoadState& m_state;
};

} // namespace

void validate(LoadState& state) {
  ValidationStage(state).validate();
}

void addWarnings(MonitoringConfig& cfg) {
  const bool basicAuth = cfg.webConfig && !cfg.webConfig->basicAuthUsers.empty();
  const bool webTls = cfg.webConfig && cfg.webConfig->tls.enabled();
  if (cfg.webConfig)
    cfg.warnings.insert(cfg.warnings.end(), cfg.webConfig->warnings.begin(),
                        cfg.webConfig->warnings.end());
  if (!cfg.listensOnLoopback()) {
    if (cfg.auth.bearerTokenFile.empty() && !basicAuth &&
        !(webTls && cfg.webConfig->tls.clientAuth == ClientAuthType::RequireAndVerifyClientCert)) {
      cfg.warnings.push_back(
          "monitoring.listen " + cfg.listen +
          " accepts connections from other hosts and monitoring.auth.bearer_token_file is not "
          "set: anyone who can reach the port can read the metrics and health details");
    } else if (cfg.tls.certFile.empty() && !webTls) {
      cfg.warnings.push_back("monitoring.listen " + cfg.listen +
                             " accepts connections from other hosts without TLS: the " +
                             std::string(basicAuth ? "password" : "bearer token") +
                             " crosses the network in clear text");
    }
  }
  for (const auto& check : cfg.checks) {
    const auto timeout = check.timeout.count() > 0 ? check.timeout : cfg.health.timeout;
    if (check.degradedAfter.count() > 0 && check.degradedAfter >= timeout)
      cfg.warnings.push_back(
          "monitoring.checks[" + std::to_string(check.index) + "].degraded_after (" +
          std::to_string(check.degradedAfter.count()) + " ms) is not below the check's timeout (" +
          std::to_string(timeout.count()) + " ms): the check can never report degraded");
  }
}

} // namespace healthdeck
