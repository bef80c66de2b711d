// Reader of the cuport fat-binary container and its manifest (docs/fatbin.md, include/cuport/fatbin.h).
#include "fatbin.h"

#include <cstring>
#include <set>

#include <cuport/fatbin.h>

namespace cuport {
namespace {

static_assert(sizeof(cuport_fatbin_header) == kFatbinHeaderSize, "header layout");
static_assert(sizeof(cuport_fatbin_entry) == 72, "entry layout");

// Little-endian loads that do not assume alignment.
uint32_t load_u32(const uint8_t* p) {
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}
uint64_t load_u64(const uint8_t* p) { return uint64_t(load_u32(p)) | uint64_t(load_u32(p + 4)) << 32; }

bool fail(std::string* error, const std::string& why) {
  if (error) *error = why;
  return false;
}

// Decimal, no sign, no leading '+', fits in `max`.
bool parse_uint(const std::string& s, uint64_t max, uint64_t* out) {
  if (s.empty() || s.size() > 20) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    uint64_t d = uint64_t(c - '0');
    if (v > (max - d) / 10) return false;
    v = v * 10 + d;
  }
  *out = v;
  return true;
}

std::vector<std::string> split_fields(const std::string& line) {
  std::vector<std::string> fields;
  size_t i = 0;
  while (i <= line.size()) {
    size_t j = line.find(' ', i);
    if (j == std::string::npos) j = line.size();
    fields.push_back(line.substr(i, j - i));
    i = j + 1;
  }
  return fields;
}

bool valid_name(const std::string& s) {
  if (s.empty()) return false;
  for (unsigned char c : s)
    if (c <= 0x20 || c == 0x7f) return false;
  return true;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

const KernelMeta* FatbinContents::find_kernel(const std::string& name) const {
  for (const KernelMeta& k : kernels)
    if (k.name == name) return &k;
  return nullptr;
}

const VarMeta* FatbinContents::find_var(const std::string& name) const {
  for (const VarMeta& v : vars)
    if (v.name == name) return &v;
  return nullptr;
}

const FatbinImage* FatbinContents::find_image(const std::string& target) const {
  for (const FatbinImage& i : images)
    if (i.target == target) return &i;
  return nullptr;
}

uint64_t fatbin_declared_size(const void* data) {
  const uint8_t* p = static_cast<const uint8_t*>(data);
  if (!p || std::memcmp(p, CUPORT_FATBIN_MAGIC, 8) != 0) return 0;
  if (load_u32(p + 8) != CUPORT_FATBIN_VERSION) return 0;
  return load_u64(p + 16);
}

bool parse_manifest(const char* text, size_t size, FatbinContents* out, std::string* error) {
  // A writer may pad the payload with NULs; anything else after a NUL is malformed.
  size_t len = size;
  while (len > 0 && text[len - 1] == '\0') --len;
  if (std::memchr(text, '\0', len) != nullptr) return fail(error, "manifest contains a NUL byte");

  std::vector<std::string> lines;
  for (size_t i = 0; i < len;) {
    const char* nl = static_cast<const char*>(std::memchr(text + i, '\n', len - i));
    size_t end = nl ? size_t(nl - text) : len;
    std::string line(text + i, end - i);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
    i = end + 1;
  }

  size_t li = 0;
  if (lines.empty() || lines[0] != "cuport-manifest 1")
    return fail(error, "manifest does not start with 'cuport-manifest 1'");
  ++li;

  std::set<std::string> kernel_names, var_names;
  for (; li < lines.size(); ++li) {
    const std::string& line = lines[li];
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> f = split_fields(line);
    const std::string where = "manifest line " + std::to_string(li + 1) + ": ";
    if (f[0] == "kernel") {
      uint64_t count = 0, bufsize = 0;
      if (f.size() != 4 || !valid_name(f[1]) || !parse_uint(f[2], UINT32_MAX, &count) ||
          !parse_uint(f[3], UINT32_MAX, &bufsize))
        return fail(error, where + "malformed kernel line");
      if (!kernel_names.insert(f[1]).second) return fail(error, where + "duplicate kernel " + f[1]);
      // Each parameter needs its own line: bound the count by the lines left before allocating.
      if (count > lines.size() - li - 1) return fail(error, where + "fewer param lines than declared");
      KernelMeta k;
      k.name = f[1];
      k.param_buffer_size = uint32_t(bufsize);
      k.params.reserve(count);
      for (uint64_t p = 0; p < count; ++p) {
        ++li;
        std::vector<std::string> g = split_fields(lines[li]);
        const std::string pwhere = "manifest line " + std::to_string(li + 1) + ": ";
        uint64_t off = 0, sz = 0, al = 0;
        if (g.size() != 4 || g[0] != "param" || !parse_uint(g[1], UINT32_MAX, &off) ||
            !parse_uint(g[2], UINT32_MAX, &sz) || !parse_uint(g[3], UINT32_MAX, &al))
          return fail(error, pwhere + "expected 'param <offset> <size> <align>'");
        if (al == 0 || (al & (al - 1)) != 0) return fail(error, pwhere + "param alignment is not a power of two");
        if (off % al != 0) return fail(error, pwhere + "param offset is not aligned");
        if (off + sz > bufsize) return fail(error, pwhere + "param exceeds the parameter buffer");
        k.params.push_back(cuport_param_info{uint32_t(off), uint32_t(sz), uint32_t(al)});
      }
      out->kernels.push_back(std::move(k));
    } else if (f[0] == "param") {
      return fail(error, where + "param line outside a kernel");
    } else if (f[0] == "var") {
      uint64_t sz = 0;
      if (f.size() != 4 || !valid_name(f[1]) || !parse_uint(f[2], UINT64_MAX, &sz))
        return fail(error, where + "malformed var line");
      VarMeta v;
      v.name = f[1];
      v.size = sz;
      if (f[3] == "device") v.kind = VarKind::Device;
      else if (f[3] == "constant") v.kind = VarKind::Constant;
      else if (f[3] == "managed") v.kind = VarKind::Managed;
      else return fail(error, where + "unknown var kind '" + f[3] + "'");
      if (!var_names.insert(f[1]).second) return fail(error, where + "duplicate var " + f[1]);
      out->vars.push_back(std::move(v));
    }
    else if (f[0] == "init") {
      // init <name> <hex>: a managed variable's initial bytes (after its var line).
      VarMeta* v = nullptr;
      if (f.size() == 3)
        for (VarMeta& m : out->vars)
          if (m.name == f[1]) v = &m;
      if (!v || v->kind != VarKind::Managed || !v->init.empty())
        return fail(error, where + "init line without a managed var line before it");
      if (f[2].size() % 2 != 0 || v->size != f[2].size() / 2) return fail(error, where + "init bytes do not match the variable's size");
      std::string bytes(size_t(v->size), '\0');
      for (size_t i = 0; i < bytes.size(); ++i) {
        const int hi = hex_digit(f[2][2 * i]), lo = hex_digit(f[2][2 * i + 1]);
        if (hi < 0 || lo < 0) return fail(error, where + "init bytes are not hexadecimal");
        bytes[i] = char(hi << 4 | lo);
      }
      v->init = std::move(bytes);
    }
    else if (f[0] == "rdc") {
      out->relocatable = f.size() == 2 && f[1] == "1";
    }
    // Unknown keywords are ignored (newer writers).
  }
  return true;
}

bool parse_fatbin(const void* data, size_t size, FatbinContents* out, std::string* error) {
  const uint8_t* p = static_cast<const uint8_t*>(data);
  if (!p) return fail(error, "null fat binary");
  if (size < kFatbinHeaderSize) return fail(error, "truncated header");
  if (std::memcmp(p, CUPORT_FATBIN_MAGIC, 8) != 0) return fail(error, "bad magic (not a cuport fat binary)");
  const uint32_t version = load_u32(p + 8);
  if (version != CUPORT_FATBIN_VERSION)
    return fail(error, "unsupported container version " + std::to_string(version));
  const uint32_t header_size = load_u32(p + 12);
  const uint64_t total_size = load_u64(p + 16);
  const uint32_t entry_count = load_u32(p + 24);
  const uint32_t entry_size = load_u32(p + 28);
  if (header_size < kFatbinHeaderSize) return fail(error, "header_size too small");
  if (entry_size < sizeof(cuport_fatbin_entry)) return fail(error, "entry_size too small");
  if (total_size > size) return fail(error, "total_size exceeds the available bytes");
  if (header_size > total_size) return fail(error, "header_size exceeds total_size");
  // Entry table: header_size + entry_count * entry_size <= total_size, without overflow (both factors < 2^32).
  const uint64_t table_bytes = uint64_t(entry_count) * uint64_t(entry_size);
  if (table_bytes > total_size - header_size) return fail(error, "entry table exceeds total_size");

  out->images.clear();
  out->kernels.clear();
  out->vars.clear();
  out->has_manifest = false;
  out->relocatable = false;
  const uint8_t* manifest = nullptr;
  uint64_t manifest_size = 0;

  for (uint32_t i = 0; i < entry_count; ++i) {
    const uint8_t* e = p + header_size + uint64_t(i) * entry_size;
    const uint32_t kind = load_u32(e);
    const uint64_t offset = load_u64(e + 8);
    const uint64_t esize = load_u64(e + 16);
    const char* target = reinterpret_cast<const char*>(e + 24);
    const std::string where = "entry " + std::to_string(i) + ": ";
    if (offset > total_size || esize > total_size - offset) return fail(error, where + "payload out of bounds");
    const void* nul = std::memchr(target, '\0', CUPORT_FATBIN_TARGET_LEN);
    if (!nul) return fail(error, where + "target string is not NUL-terminated");
    if (kind == CUPORT_FATBIN_MANIFEST) {
      if (manifest) return fail(error, "more than one manifest");
      manifest = p + offset;
      manifest_size = esize;
      out->has_manifest = true;
    } else if (kind == CUPORT_FATBIN_IMAGE) {
      FatbinImage img;
      img.target.assign(target, static_cast<const char*>(nul) - target);
      img.data = p + offset;
      img.size = size_t(esize);
      out->images.push_back(std::move(img));
    }
    // Other kinds: skipped.
  }
  if (manifest && !parse_manifest(reinterpret_cast<const char*>(manifest), size_t(manifest_size), out, error))
    return false;
  return true;
}

}  // namespace cuport
