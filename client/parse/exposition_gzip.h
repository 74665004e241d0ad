#pragma once
// gzip decoding for /metrics bodies (a server may compress even when the client did not
// ask, and saved pages are often .gz). Stateless and thread-safe; zlib under the hood.

#include <cstddef>
#include <string>
#include <string_view>

namespace healthdeck::client {

/// True when `data` starts with the gzip magic bytes 1f 8b.
bool looksGzipped(std::string_view data) noexcept;

/// Inflates gzip (also concatenated members) or zlib data into `out` (replaced). Stops
/// with an error instead of inflating past `maxBytes`, so a small hostile body cannot
/// exhaust memory. On failure returns false and sets `error` to a sentence.
bool gunzip(std::string_view data, std::string& out, std::string& error,
            std::size_t maxBytes = std::size_t{256} << 20);

} // namespace healthdeck::client
