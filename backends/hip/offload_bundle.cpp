// Clang offload bundles: parsing and code-object selection (offload_bundle.h).
#include "offload_bundle.h"

#include <cstring>

namespace cuport_hip {
namespace {

constexpr char kAmdgcnTriple[] = "amdgcn-amd-amdhsa-";

uint64_t read_u64(const unsigned char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

// The target features of a target id ("gfx90a:sramecc+:xnack-" -> {"sramecc+", "xnack-"}).
std::vector<std::string> features(const std::string& target_id) {
  std::vector<std::string> out;
  size_t i = target_id.find(':');
  while (i != std::string::npos) {
    const size_t j = target_id.find(':', i + 1);
    out.push_back(target_id.substr(i + 1, j == std::string::npos ? std::string::npos : j - i - 1));
    i = j;
  }
  return out;
}

// Whether code built for `code_features` runs on a device with `device_features`: a feature the code sets
// ("xnack+") must not be set the other way on the device ("xnack-"); features either side leaves out are
// "any".
bool compatible(const std::vector<std::string>& code_features, const std::vector<std::string>& device_features) {
  for (const std::string& c : code_features) {
    if (c.empty()) return false;
    const std::string name = c.substr(0, c.size() - 1);
    for (const std::string& d : device_features)
      if (!d.empty() && d.substr(0, d.size() - 1) == name && d != c) return false;
  }
  return true;
}

}  // namespace

bool parse_offload_bundle(const void* data, size_t size, std::vector<BundleEntry>* entries, std::string* error) {
  entries->clear();
  const auto* bytes = static_cast<const unsigned char*>(data);
  auto bad = [&](const std::string& why) {
    *error = "malformed offload bundle (" + std::to_string(size) + " bytes): " + why;
    entries->clear();
    return false;
  };
  if (!bytes || size < kOffloadBundleMagicSize || std::memcmp(bytes, kOffloadBundleMagic, kOffloadBundleMagicSize) != 0)
    return bad("it does not start with \"" + std::string(kOffloadBundleMagic) + "\"");
  size_t pos = kOffloadBundleMagicSize;
  if (size - pos < 8) return bad("truncated before the entry count");
  const uint64_t count = read_u64(bytes + pos);
  pos += 8;
  // Each entry takes at least 24 header bytes, which bounds the count before anything is reserved.
  if (count > (size - pos) / 24) return bad("entry count " + std::to_string(count) + " does not fit in the bundle");
  entries->reserve(size_t(count));
  for (uint64_t i = 0; i < count; ++i) {
    const std::string which = "entry " + std::to_string(i);
    if (size - pos < 24) return bad(which + " is truncated");
    BundleEntry e;
    e.offset = read_u64(bytes + pos);
    e.size = read_u64(bytes + pos + 8);
    const uint64_t id_size = read_u64(bytes + pos + 16);
    pos += 24;
    if (id_size > size - pos) return bad(which + ": its id (" + std::to_string(id_size) + " bytes) is truncated");
    e.id.assign(reinterpret_cast<const char*>(bytes + pos), size_t(id_size));
    pos += size_t(id_size);
    if (e.offset > size || e.size > size - e.offset)
      return bad(which + " ('" + e.id + "'): bytes " + std::to_string(e.offset) + " + " + std::to_string(e.size) +
                 " lie outside the bundle");
    entries->push_back(std::move(e));
  }
  return true;
}

std::string amdgcn_target_id(const std::string& entry_id) {
  // "<kind>-amdgcn-amd-amdhsa-<environment>-<target id>", the environment normally empty.
  const size_t dash = entry_id.find('-');
  if (dash == std::string::npos) return "";
  const std::string kind = entry_id.substr(0, dash);
  if (kind != "hip" && kind != "hipv4") return "";
  const std::string rest = entry_id.substr(dash + 1);
  const size_t triple = sizeof(kAmdgcnTriple) - 1;
  if (rest.compare(0, triple, kAmdgcnTriple) != 0) return "";
  const size_t env_end = rest.find('-', triple);
  if (env_end == std::string::npos) return "";
  return rest.substr(env_end + 1);
}

std::string base_arch(const std::string& target_id) { return target_id.substr(0, target_id.find(':')); }

std::map<std::string, std::string> parse_unsupported(const std::string& text) {
  std::map<std::string, std::string> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    std::string line = text.substr(pos, eol - pos);
    pos = eol + 1;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
    const size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos) continue;
    const size_t name_end = line.find_first_of(" \t", start);
    const std::string name = line.substr(start, name_end == std::string::npos ? std::string::npos : name_end - start);
    const size_t reason = name_end == std::string::npos ? std::string::npos : line.find_first_not_of(" \t", name_end);
    out[name] = reason == std::string::npos ? std::string("left out of the AMDGPU code objects by cuport-cc")
                                            : line.substr(reason);
  }
  return out;
}

SelectResult select_code_object(const void* bundle, size_t size, const std::string& device_target_id, CodeObject* out,
                                std::string* error, std::map<std::string, std::string>* unsupported) {
  std::vector<BundleEntry> entries;
  if (!parse_offload_bundle(bundle, size, &entries, error)) return SelectResult::kMalformed;
  if (unsupported) {
    unsupported->clear();
    for (const BundleEntry& e : entries)
      if (e.id == kUnsupportedEntryId)
        for (auto& k : parse_unsupported(
                 std::string(static_cast<const char*>(bundle) + e.offset, static_cast<size_t>(e.size))))
          unsupported->insert(k);
  }
  const std::string arch = base_arch(device_target_id);
  const std::vector<std::string> device_features = features(device_target_id);
  const BundleEntry* best = nullptr;
  size_t best_features = 0;
  std::string best_target;
  std::vector<std::string> available;
  for (const BundleEntry& e : entries) {
    const std::string target = amdgcn_target_id(e.id);
    if (target.empty()) continue;
    bool listed = false;
    for (const std::string& a : available) listed = listed || a == target;
    if (!listed) available.push_back(target);
    if (e.size == 0 || base_arch(target) != arch) continue;
    const std::vector<std::string> code_features = features(target);
    if (!compatible(code_features, device_features)) continue;
    if (!best || code_features.size() > best_features) {
      best = &e;
      best_features = code_features.size();
      best_target = target;
    }
  }
  if (!best && available.empty()) return SelectResult::kNoCodeObjects;
  if (!best) {
    std::string list;
    for (const std::string& a : available) list += (list.empty() ? "" : ", ") + a;
    *error = "no code object for " + device_target_id + " in this program (it has: " + list +
             "); recompile with cuport-cc --offload-arch=" + arch;
    return SelectResult::kNoMatch;
  }
  out->data = static_cast<const unsigned char*>(bundle) + best->offset;
  out->size = size_t(best->size);
  out->target_id = best_target;
  return SelectResult::kFound;
}

}  // namespace cuport_hip
