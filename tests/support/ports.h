#pragma once
// Loopback helpers for tests that talk to real servers.

#include <QtGlobal>

namespace healthdeck::testing {

/// A TCP port on 127.0.0.1 that was free a moment ago: drawn at random from below (or above) the
/// kernel's ephemeral range so no outgoing connection can take it before the server binds it,
/// checked by binding it, and never returned twice in one process. Thread-safe; 0 if none found.
quint16 freePort();

/// Polls until something accepts TCP connections on 127.0.0.1:port, or the timeout passes.
bool waitForPort(quint16 port, int timeoutMs = 10000);

} // namespace healthdeck::testing
