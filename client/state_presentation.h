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
  QString helpLink;        ///< docs anchor for the state (disabled), else empty
  QString actionLabel;     ///< "How to enable", "Set credentials", or empty
  StateAction action = StateAction::None;
};

/// Docs section that tells how to turn monitoring on (linked from the Disabled state).
inline constexpr char kEnableMonitoringDocs[] = "docs/operations/monitoring.md#enabling-monitoring";

StatePresentation presentation(TargetState state);
/// Presentation of a flapping target (amber, "state-flapping"), whatever its held state.
StatePresentation flappingPresentation();
/// Presentation of a snapshot: flapping wins over the state.
StatePresentation presentation(const TargetSnapshot& snapshot);

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
/// "redis degraded: answers slowly", "Connection refused (127.0.0.1:9797)", "No answer within
/// 5 s", "Certificate expired on 2026-10-01", "Monitoring disabled on this server (HTTP 404)".
/// `timeout` is used for the timeout sentence.
QString describe(const TargetSnapshot& snapshot);

} // namespace healthdeck
