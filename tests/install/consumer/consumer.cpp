// Prints one registry page, in the shape issue 14 promises to keep working for a service that
// links the installed library; with the argument `openmetrics` the OpenMetrics page instead.

#include <healthdeck/metrics/registry.h>

#include <iostream>
#include <string_view>

int main(int argc, char** argv) {
  healthdeck::metrics::Registry registry;
  registry.counter("consumer_events_total", "Events seen.").inc();
  if (argc > 1 && std::string_view(argv[1]) == "openmetrics")
    std::cout << registry.text(healthdeck::metrics::ExpositionFormat::OpenMetrics);
  else
    std::cout << registry.text();
  return 0;
}
