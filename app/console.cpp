// Until the Qt Widgets console lands (issue 4), the default command runs the exporter.
#include "app/commands.h"

namespace healthdeck::app {

int runConsole(const Args& args) {
  return runServe(args);
}

} // namespace healthdeck::app
