#pragma once
// GzipEncoder: one zlib deflate stream (gzip wrapper, fast level) kept across calls, so a
// scrape resets it instead of allocating ~256 KiB of deflate state each time.
//
// Contract: not thread-safe; the exporter keeps one per worker thread. compress() appends
// a complete gzip member to `out` and returns false only if zlib fails (then `out` is left
// at its original size).

#include <cstddef>
#include <string>
#include <string_view>

struct z_stream_s;

namespace healthdeck::exporter {

class GzipEncoder {
public:
  explicit GzipEncoder(int level = 1);
  ~GzipEncoder();
  GzipEncoder(const GzipEncoder&) = delete;
  GzipEncoder& operator=(const GzipEncoder&) = delete;

  bool compress(std::string_view in, std::string& out);

private:
  z_stream_s* m_stream = nullptr;
  bool m_ready = false;
};

} // namespace healthdeck::exporter
