#include "healthdeck/checks/check_factory.h"

#include "healthdeck/checks/disk_check.h"
#include "healthdeck/checks/heartbeat_file_check.h"
#include "healthdeck/checks/http_check.h"
#include "healthdeck/checks/postgres_check.h"
#include "healthdeck/checks/redis_check.h"
#include "healthdeck/checks/sqlite_check.h"
#include "healthdeck/checks/tcp_check.h"

#include <algorithm>
#include <stdexcept>

namespace healthdeck {

namespace {

// Built-in types, one line each; the registry is created on first use so it never depends on
// static-initialisation order or on the linker keeping a self-registering object file.
std::vector<CheckType> builtinCheckTypes() {
  std::vector<CheckType> types;
  types.push_back(diskCheckType());
  types.push_back(heartbeatFileCheckType());
  types.push_back(tcpCheckType());
  types.push_back(postgresCheckType());
  types.push_back(sqliteCheckType());
  types.push_back(redisCheckType());
  types.push_back(httpCheckType());
  return types;
}

std::vector<CheckType>& registry() {
  static std::vector<CheckType> types = builtinCheckTypes();
  return types;
}

std::string joinSorted(std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  std::string out;
  for (const auto& n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

} // namespace

const std::vector<CheckType>& checkTypes() {
  return registry();
}

const CheckType* findCheckType(const std::string& type) {
  for (const CheckType& t : registry())
    if (t.type == type) return &t;
  return nullptr;
}

void registerCheckType(CheckType type) {
  if (type.type.empty() || !type.build)
    throw std::invalid_argument("registerCheckType: a type needs a name and a builder");
  if (findCheckType(type.type))
    throw std::invalid_argument("registerCheckType: type \"" + type.type +
                                "\" is already registered");
  registry().push_back(std::move(type));
}

std::shared_ptr<HealthCheck> buildCheck(const CheckConfig& cfg) {
  std::vector<std::string> known;
  for (const CheckType& t : registry())
    known.push_back(t.type);
  if (cfg.type.empty())
    cfg.fail("type", "missing required key (one of: " + joinSorted(known) + ")");
  const CheckType* type = findCheckType(cfg.type);
  if (!type)
    cfg.fail("type",
             "unknown check type \"" + cfg.type + "\" (known types: " + joinSorted(known) + ")");

  for (const auto& [key, param] : cfg.params) {
    if (type->keys.count(key)) continue;
    const std::string accepted =
        type->keys.empty() ? std::string("it takes no keys besides the common ones")
                           : "accepted keys: " + joinSorted({type->keys.begin(), type->keys.end()});
    cfg.fail(key, "unknown key for type \"" + cfg.type + "\" (" + accepted + ")");
  }

  if (cfg.probe == Probe::Liveness && type->outsideService && !cfg.allowLiveness)
    cfg.fail("probe", "a \"" + cfg.type +
                          "\" check depends on an outside service and must not decide liveness "
                          "(restarting this process cannot fix it); use probe: readiness, or set "
                          "allow_liveness: true");

  auto check = type->build(cfg);
  if (!check) cfg.fail("type", "check type \"" + cfg.type + "\" built no check");
  return check;
}

CheckSpec checkSpec(const CheckConfig& cfg) {
  CheckSpec spec;
  spec.name = cfg.name;
  spec.probe = cfg.probe;
  spec.critical = cfg.critical;
  spec.timeout = cfg.timeout;
  spec.degradedAfter = cfg.degradedAfter;
  return spec;
}

} // namespace healthdeck
