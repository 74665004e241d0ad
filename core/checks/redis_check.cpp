#include "healthdeck/checks/redis_check.h"

#include "healthdeck/util/duration_text.h"
#include "healthdeck/util/secret_file.h"

#include <hiredis/hiredis.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <string_view>
#include <vector>

#include <csignal>
#include <pthread.h>

namespace healthdeck {

namespace {

using Clock = std::chrono::steady_clock;

struct ReplyDeleter {
  void operator()(redisReply* r) const noexcept {
    if (r) freeReplyObject(r);
  }
};
using Reply = std::unique_ptr<redisReply, ReplyDeleter>;

std::chrono::milliseconds timeLeft(const CheckContext& ctx) {
  return std::chrono::ceil<std::chrono::milliseconds>(ctx.deadline - Clock::now());
}

timeval toTimeval(std::chrono::milliseconds ms) {
  // A zero timeval means "no timeout" to the kernel: never hand one over.
  ms = std::max(ms, std::chrono::milliseconds(1));
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
  return tv;
}

std::string_view replyText(const redisReply& r) {
  return std::string_view(r.str ? r.str : "", r.str ? r.len : 0);
}

bool startsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

std::string lowerFirst(std::string text) {
  if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z' &&
      !(text.size() > 1 && text[1] >= 'A' && text[1] <= 'Z'))
    text[0] = static_cast<char>(text[0] - 'A' + 'a');
  return text;
}

} // namespace

struct RedisCheck::Connection {
  redisContext* context = nullptr;
  ~Connection() {
    if (context) redisFree(context);
  }

  // Sends one command with the time left as socket timeout. nullptr → context->err is set
  // (or the deadline had passed before sending: `expired`).
  Reply command(const CheckContext& ctx, const std::vector<std::string>& args, bool& expired) {
    expired = false;
    const auto left = timeLeft(ctx);
    if (left.count() <= 0) {
      expired = true;
      return nullptr;
    }
    redisSetTimeout(context, toTimeval(left));
    std::vector<const char*> argv;
    std::vector<size_t> lens;
    for (const auto& a : args) {
      argv.push_back(a.c_str());
      lens.push_back(a.size());
    }
    return Reply(static_cast<redisReply*>(
        redisCommandArgv(context, static_cast<int>(argv.size()), argv.data(), lens.data())));
  }
};

RedisCheck::RedisCheck(Options options) : m_options(std::move(options)) {}

RedisCheck::~RedisCheck() = default;

bool RedisCheck::connect(const CheckContext& ctx, CheckOutcome& outcome) {
  m_connection.reset();
  const std::string where = m_options.address.host + ':' + std::to_string(m_options.address.port);
  std::string password;
  if (!m_options.passwordFile.empty()) {
    std::string error;
    auto secret = readSecretFile(m_options.passwordFile, &error);
    if (!secret) {
      outcome = {Status::Down, "password_file: " + error};
      return false;
    }
    password = std::move(*secret);
  }
  const auto left = timeLeft(ctx);
  if (left.count() <= 0) {
    outcome = {Status::Down, "no answer from " + where + " within " + formatLatency(ctx.timeout)};
    return false;
  }
  auto connection = std::make_unique<Connection>();
  connection->context = redisConnectWithTimeout(m_options.address.host.c_str(),
                                                m_options.address.port, toTimeval(left));
  if (!connection->context) {
    outcome = {Status::Down, "cannot allocate a Redis connection"};
    return false;
  }
  if (connection->context->err) {
    const std::string why = lowerFirst(connection->context->errstr);
    if (Clock::now() >= ctx.deadline || why.find("timed out") != std::string::npos)
      outcome = {Status::Down, "no answer from " + where + " within " + formatLatency(ctx.timeout) +
                                   " (connect)"};
    else
      outcome = {Status::Down, "cannot connect to " + where + ": " + why};
    return false;
  }
  ++m_connectionsOpened;
  m_connection = std::move(connection);

  const auto failed = [&](const char* step, const Reply& reply, bool expired) {
    const redisContext* c = m_connection->context;
    if (expired ||
        (c->err == REDIS_ERR_IO && Clock::now() >= ctx.deadline - std::chrono::milliseconds(5)) ||
        (c->err == REDIS_ERR_IO && (errno == EAGAIN || errno == EWOULDBLOCK)))
      outcome = {Status::Down,
                 std::string("no answer to ") + step + " within " + formatLatency(ctx.timeout)};
    else if (c->err)
      outcome = {Status::Down, std::string(step) + " failed: " + lowerFirst(c->errstr)};
    else if (reply && reply->type == REDIS_REPLY_ERROR)
      outcome = {Status::Down, std::string(step) + " refused: " + std::string(replyText(*reply))};
    else
      outcome = {Status::Down, std::string(step) + " failed"};
    m_connection.reset();
    return false;
  };

  if (!password.empty()) {
    std::vector<std::string> args{"AUTH"};
    if (!m_options.username.empty()) args.push_back(m_options.username);
    args.push_back(std::move(password));
    bool expired = false;
    Reply reply = m_connection->command(ctx, args, expired);
    if (!reply) return failed("AUTH", reply, expired);
    if (reply->type == REDIS_REPLY_ERROR) {
      const std::string_view text = replyText(*reply);
      // WRONGPASS (Redis 6+ ACL) or "ERR invalid password" (older servers).
      if (startsWith(text, "WRONGPASS") || text.find("invalid password") != std::string_view::npos)
        outcome = {Status::Down,
                   "authentication failed (WRONGPASS): the password in " + m_options.passwordFile +
                       (m_options.username.empty() ? std::string()
                                                   : " for user \"" + m_options.username + '"') +
                       " was refused"};
      else
        outcome = {Status::Down, "AUTH refused: " + std::string(text)};
      m_connection.reset();
      return false;
    }
  }
  if (m_options.db != 0) {
    bool expired = false;
    Reply reply = m_connection->command(ctx, {"SELECT", std::to_string(m_options.db)}, expired);
    if (!reply || reply->type == REDIS_REPLY_ERROR) return failed("SELECT", reply, expired);
  }
  return true;
}

RedisCheck::Attempt RedisCheck::attempt(const CheckContext& ctx, bool reused,
                                        CheckOutcome& outcome) {
  const auto started = Clock::now();
  bool expired = false;
  Reply reply = m_connection->command(ctx, {"PING"}, expired);
  const auto latency = Clock::now() - started;
  const redisContext* c = m_connection->context;
  if (!reply) {
    const bool timedOut = expired || Clock::now() >= ctx.deadline - std::chrono::milliseconds(5) ||
                          (c->err == REDIS_ERR_IO && (errno == EAGAIN || errno == EWOULDBLOCK));
    // A kept connection the server closed (restart, idle timeout) is not news: reconnect.
    if (reused && !timedOut && (c->err == REDIS_ERR_EOF || c->err == REDIS_ERR_IO)) {
      m_connection.reset();
      return Attempt::Retry;
    }
    outcome = timedOut ? CheckOutcome{Status::Down,
                                      "no answer to PING within " + formatLatency(ctx.timeout)}
                       : CheckOutcome{Status::Down, "PING failed: " + lowerFirst(c->errstr)};
    m_connection.reset();
    return Attempt::Done;
  }
  if (reply->type == REDIS_REPLY_ERROR) {
    const std::string text(replyText(*reply));
    if (startsWith(text, "NOAUTH")) {
      outcome = {Status::Down, "authentication required (NOAUTH): the server has a password; set "
                               "password_file"};
      m_connection.reset();
    } else if (startsWith(text, "LOADING")) {
      outcome = {m_options.degradeOnLoading ? Status::Degraded : Status::Down,
                 "loading its dataset into memory (LOADING)"};
    } else {
      outcome = {Status::Down, "PING refused: " + text};
      m_connection.reset();
    }
    return Attempt::Done;
  }
  outcome = {Status::Up, "PONG in " + formatLatency(latency)};
  if (m_options.degradeOnReplica) {
    Reply info = m_connection->command(ctx, {"INFO", "replication"}, expired);
    if (!info || info->type != REDIS_REPLY_STRING) {
      outcome = {Status::Down, expired || !info ? "no answer to INFO replication within " +
                                                      formatLatency(ctx.timeout)
                                                : "INFO replication refused"};
      m_connection.reset();
      return Attempt::Done;
    }
    const std::string_view text = replyText(*info);
    if (text.find("role:slave") != std::string_view::npos ||
        text.find("role:replica") != std::string_view::npos)
      outcome = {Status::Degraded,
                 "read-only replica (role:slave), PONG in " + formatLatency(latency)};
  }
  return Attempt::Done;
}

CheckOutcome RedisCheck::run(const CheckContext& ctx) {
  // hiredis writes with write(): a server that closed the connection would raise SIGPIPE and
  // kill the process. Blocked on this (dedicated) thread, the write fails with EPIPE instead.
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
  CheckOutcome outcome;
  for (int round = 0; round < 2; ++round) {
    const bool reused = m_connection != nullptr;
    if (!reused && !connect(ctx, outcome)) return outcome;
    if (attempt(ctx, reused, outcome) == Attempt::Done) return outcome;
  }
  return outcome;
}

CheckType redisCheckType() {
  return CheckType{
      "redis",
      {"address", "password_file", "username", "db", "degrade_on_loading", "degrade_on_replica"},
      true,
      [](const CheckConfig& cfg) -> std::shared_ptr<HealthCheck> {
        RedisCheck::Options o;
        std::string error;
        auto address = TcpCheck::parseAddress(cfg.required("address"), &error);
        if (!address) cfg.fail("address", error);
        o.address = std::move(*address);
        if (cfg.param("password_file")) o.passwordFile = cfg.required("password_file");
        if (cfg.param("username")) {
          o.username = cfg.required("username");
          if (o.passwordFile.empty())
            cfg.fail("username", "an ACL user needs a password: set password_file too");
        }
        const auto db = cfg.integer("db", 0);
        if (db < 0 || db > 1'000'000) cfg.fail("db", "must be a database number from 0");
        o.db = static_cast<int>(db);
        o.degradeOnLoading = cfg.boolean("degrade_on_loading", false);
        o.degradeOnReplica = cfg.boolean("degrade_on_replica", false);
        return std::make_shared<RedisCheck>(std::move(o));
      }};
}

} // namespace healthdeck
