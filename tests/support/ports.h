#pragma once
// Loopback helpers for tests that talk to real servers.

#include <QtGlobal>

namespace healthdeck::testing {

/// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, read, released).
quint16 freePort();

/// Polls until something accepts TCP connections on 127.0.0.1:port, or the timeout passes.
bool waitForPort(quint16 port, int timeoutMs = 10000);

} // namespace healthdeck::testing
