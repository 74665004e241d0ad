#include "healthdeck/exporter/gzip_encoder.h"

#include <zlib.h>

#include <limits>

namespace healthdeck::exporter {

GzipEncoder::GzipEncoder(int level) : m_stream(new z_stream{}) {
  // windowBits 15 + 16 selects the gzip wrapper; memLevel 8 is zlib's default.
  m_ready = deflateInit2(m_stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK;
}

GzipEncoder::~GzipEncoder() {
  if (m_ready) deflateEnd(m_stream);
  delete m_stream;
}

bool GzipEncoder::compress(std::string_view in, std::string& out) {
  if (!m_ready || in.size() > std::numeric_limits<uInt>::max()) return false;
  if (deflateReset(m_stream) != Z_OK) return false;
  const std::size_t start = out.size();
  const auto bound = deflateBound(m_stream, static_cast<uLong>(in.size()));
  out.resize(start + bound);
  // zlib's API is not const-correct; it never writes through next_in.
  m_stream->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  m_stream->avail_in = static_cast<uInt>(in.size());
  m_stream->next_out = reinterpret_cast<Bytef*>(out.data() + start);
  m_stream->avail_out = static_cast<uInt>(bound);
  const int rc = deflate(m_stream, Z_FINISH);
  if (rc != Z_STREAM_END) {
    out.resize(start);
    return false;
  }
  out.resize(start + m_stream->total_out);
  return true;
}

} // namespace healthdeck::exporter
