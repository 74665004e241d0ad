#pragma once
// The one table of how each target state reads: a colour *role* (the UI maps roles to a
// palette that keeps contrast in light and dark themes), an icon name (resources/icons,
// "state-<name>"), and the sentence. Shared by the console, tray, notifications and
// `healthdeck check`, so every surface says the same thing. Pure functions, thread-safe.

#include "healthdeck/client/target_snapshot.h"

#include <QString>

namespace healthdeck {

enum class ColorRole : std::uint8_t {
  Good,      ///< green: up
  Warning,   ///< amber: degraded, flapping
  Critical,  ///< red: down, unreachable
  Attention, ///< purple/blue: unauthorized
  Neutral,   ///< grey: disabled, unknown
};

/// What the state's button does; the button's text is only its label.
enum class StateAction { None, SetCredentials, HowToEnable };

struct StatePresentation {
  ColorRole color = ColorRole::Neutral;
  QString iconName;        ///< "state-up", "state-degraded", ..., "state-flapping"
  QString word;            ///< "Up", "Degraded", ... (title case, for badges)
  QString genericSentence; ///< when nothing more specific is known
  QString helpLink;        ///< URL of the docs for the state (disabled), else empty
  QString actionLabel;     ///< "How to enable", "Set credentials", or empty
  StateAction action = StateAction::None;
};

/// Docs section that tells how to turn monitoring on (linked from the Disabled state), relative
/// to the source tree; use enableMonitoringHelpUrl() for a link that opens.
inline constexpr char kEnableMonitoringDocs[] = "docs/operations/monitoring.md#enabling-monitoring";
/// The project's published docs, for systems without the installed copy.
inline constexpr char kProjectDocsBase[] = "https://github.com/healthdeck/healthdeck/blob/main/";

/// A link to kEnableMonitoringDocs that works where the console runs: the installed copy
/// (`file:///usr/share/doc/healthdeck/operations/monitoring.md#enabling-monitoring`, or under
/// the configured install prefix) when it exists, else the project's published page.
QString enableMonitoringHelpUrl();

/// Standard reason phrase of an HTTP status ("Bad Gateway"), empty for unknown codes.
QString httpReasonPhrase(int status);

StatePresentation presentation(TargetState state);
/// Presentation of a flapping target (amber, "state-flapping"), whatever its held state.
StatePresentation flappingPresentation();
/// Presentation of a snapshot: flapping wins over the state; a 404 on a server not known to
/// run the monitoring module reads "Not found" (word and sentence; grey like Disabled, the
/// state it stays in) with no "How to enable" link.
StatePresentation presentation(const TargetSnapshot& snapshot);
/// A 404 from a server not known to run the monitoring module: Disabled, worded "Not found".
bool isNotFound(const TargetSnapshot& snapshot);
/// "Not found": the badge word of such a snapshot (and of its transitions).
QString notFoundWord();

/// Presentation of a stale target (issue 12): grey, "state-stale", word "Stale"; the badge
/// draws the last state's mark greyed.
StatePresentation stalePresentation();
/// Presentation of a target in a maintenance window: grey, "state-maintenance".
StatePresentation maintenancePresentation();
/// "just now", "45 s ago", "14 min ago", "3 h ago", "2 d ago" for an age in seconds.
QString ageText(qint64 seconds);
/// "down, 14 min ago — no answer since": the last state (lower case) with its age, never
/// worded as current. `now` and the snapshot's polledAt are UTC.
QString describeStale(const TargetSnapshot& last, const QDateTime& now);

/// The sentence for a snapshot, from its state, error and document: "All 4 components up",
/// "redis degraded: answers slowly", "Up: Prometheus Server is Ready.", "HTTP 502 Bad
/// Gateway", "Connection refused (127.0.0.1:9797)", "No answer within 5 s", "Certificate
/// expired on 2026-10-01", "Not found at /helth (HTTP 404)", "Monitoring disabled on this
/// server (HTTP 404)" (only when the module is known to run there), "Credentials missing or
/// refused (HTTP 401, realm "metrics"): CSRF Error", "Redirected to a login page (302 →
/// /login)". The result is plain text that may carry server words: show it as plain text.
QString describe(const TargetSnapshot& snapshot);

} // namespace healthdeck
