// The iden3 binary container (zkey, wtns): magic, u32 version, u32 section count, then
// {u32 id, u64 size, bytes} records. Every read is bounds-checked; duplicate ids and
// trailing bytes are refused.
#pragma once
#include <cstdint>
#include <cstring>
#include <map>

#include "../util/status.hpp"

namespace dourada {

struct Bytes {
  const uint8_t* data = nullptr;
  size_t size = 0;
};

inline uint32_t read_u32(const uint8_t* p) { uint32_t v; std::memcpy(&v, p, 4); return v; }
inline uint64_t read_u64(const uint8_t* p) { uint64_t v; std::memcpy(&v, p, 8); return v; }

struct BinFile {
  uint32_t version = 0;
  std::map<uint32_t, Bytes> sections;

  // The section with this id, or an empty view when absent.
  Bytes section(uint32_t id) const {
    auto it = sections.find(id);
    return it == sections.end() ? Bytes{} : it->second;
  }
  bool has(uint32_t id) const { return sections.count(id) != 0; }
};

inline Status parse_binfile(Bytes file, const char magic[4], uint32_t max_version, const char* code, BinFile& out) {
  if (file.size < 12) return Status::fail(code, "file shorter than its header");
  if (std::memcmp(file.data, magic, 4) != 0) return Status::fail(code, "wrong magic bytes");
  out.version = read_u32(file.data + 4);
  if (out.version == 0 || out.version > max_version) return Status::fail(code, "unsupported version");
  uint32_t count = read_u32(file.data + 8);
  if (count > 64) return Status::fail(code, "too many sections");
  size_t pos = 12;
  for (uint32_t i = 0; i < count; i++) {
    if (file.size - pos < 12) return Status::fail(code, "truncated section table");
    uint32_t id = read_u32(file.data + pos);
    uint64_t size = read_u64(file.data + pos + 4);
    pos += 12;
    if (size > file.size - pos) return Status::fail(code, "section " + std::to_string(id) + " runs past the end");
    if (out.sections.count(id)) return Status::fail(code, "duplicate section " + std::to_string(id));
    out.sections[id] = Bytes{file.data + pos, (size_t)size};
    pos += (size_t)size;
  }
  if (pos != file.size) return Status::fail(code, "trailing bytes after the last section");
  return Status::success();
}

}  // namespace dourada
