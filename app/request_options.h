#pragma once
// The request options `check` and `scrape` share: how to authenticate and which extra headers
// to send. They end up in a TargetConfig, so the Poller builds the request exactly as the
// console does (one place for User-Agent, redirects, caps, TLS and credentials).
//   --token-file F                 bearer token read from F
//   --user NAME --password-file F  basic auth, the password read from F
//   --header 'Name: value'         extra header (repeatable); 'Name: @FILE' reads the value
// Secrets are only read from files, never taken from the command line.

#include "app/cli.h"
#include "healthdeck/client/source/poller.h"
#include "healthdeck/client/target.h"

#include <QString>

namespace healthdeck::app {

/// Adds the options above to `cli`.
void addRequestOptions(CommandLine& cli);

/// Checks the options and writes them into `config` (auth, secretRef, extraHeaders). Returns
/// the usage error, or an empty string.
QString applyRequestOptions(const CommandLine& cli, TargetConfig& config);

/// The secret resolver for a Poller that serves `config` as set by applyRequestOptions:
/// files, and "user:password" for basic auth.
Poller::SecretResolver requestSecretResolver(const CommandLine& cli);

} // namespace healthdeck::app
