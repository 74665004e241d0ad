#include "healthdeck/client/parse/exposition_gzip.h"

#include <zlib.h>

#include <algorithm>

namespace healthdeck::client {

bool looksGzipped(std::string_view data) noexcept {
  return data.size() >= 2 && static_cast<unsigned char>(data[0]) == 0x1f &&
         static_cast<unsigned char>(data[1]) == 0x8b;
}

bool gunzip(std::string_view data, std::string& out, std::string& error, std::size_t maxBytes) {
  out.clear();
  z_stream z{};
  // 32 + MAX_WBITS: detect gzip or zlib headers automatically.
  if (inflateInit2(&z, 32 + MAX_WBITS) != Z_OK) {
    error = "cannot initialise zlib";
    return false;
  }
  const auto* in = reinterpret_cast<const unsigned char*>(data.data());
  std::size_t remaining = data.size();
  out.resize(std::min<std::size_t>(std::max<std::size_t>(data.size() * 4, 4096), maxBytes));
  std::size_t produced = 0;
  int rc = Z_OK;
  while (true) {
    if (z.avail_in == 0 && remaining > 0) {
      const auto chunk = static_cast<uInt>(std::min<std::size_t>(remaining, 1u << 30));
      z.next_in = const_cast<unsigned char*>(in); // zlib's API is not const-correct
      z.avail_in = chunk;
      in += chunk;
      remaining -= chunk;
    }
    if (produced == out.size()) {
      if (out.size() >= maxBytes) {
        inflateEnd(&z);
        out.clear();
        error = "decompressed body exceeds " + std::to_string(maxBytes) + " bytes";
        return false;
      }
      out.resize(std::min(out.size() * 2, maxBytes));
    }
    const auto room = static_cast<uInt>(std::min<std::size_t>(out.size() - produced, 1u << 30));
    z.next_out = reinterpret_cast<unsigned char*>(out.data() + produced);
    z.avail_out = room;
    rc = inflate(&z, Z_NO_FLUSH);
    produced += room - z.avail_out;
    if (rc == Z_STREAM_END) {
      // Concatenated gzip members are one body (RFC 1952 §2.2).
      if (z.avail_in == 0 && remaining == 0) break;
      if (inflateReset(&z) != Z_OK) break;
      continue;
    }
    if (rc == Z_BUF_ERROR && z.avail_in == 0 && remaining == 0) {
      rc = Z_DATA_ERROR;
      break;
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) break;
  }
  const std::string zmsg = z.msg ? z.msg : "";
  inflateEnd(&z);
  if (rc != Z_STREAM_END) {
    out.clear();
    error = zmsg.empty() ? std::string("truncated or invalid compressed body")
                         : "invalid compressed body: " + zmsg;
    return false;
  }
  out.resize(produced);
  return true;
}

} // namespace healthdeck::client
