#include "FatBinary.h"

#include "cuport/fatbin.h"

#include <cstring>

namespace cuport {

std::string writeFatBinary(const std::string &Manifest, const std::vector<FatBinaryImage> &Images) {
  std::vector<cuport_fatbin_entry> Entries(1 + Images.size());
  std::string Payload;
  size_t Base = sizeof(cuport_fatbin_header) + Entries.size() * sizeof(cuport_fatbin_entry);
  // Base is 16-byte aligned, so payload offsets are too.
  size_t HeaderPad = (16 - Base % 16) % 16;
  Base += HeaderPad;
  auto Place = [&](cuport_fatbin_entry &E, const std::string &Bytes) {
    Payload.append((16 - Payload.size() % 16) % 16, '\0');
    E.offset = Base + Payload.size();
    E.size = Bytes.size();
    Payload += Bytes;
  };
  std::memset(Entries.data(), 0, Entries.size() * sizeof(cuport_fatbin_entry));
  Entries[0].kind = CUPORT_FATBIN_MANIFEST;
  Place(Entries[0], Manifest);
  for (size_t I = 0; I < Images.size(); ++I) {
    Entries[I + 1].kind = CUPORT_FATBIN_IMAGE;
    std::strncpy(Entries[I + 1].target, Images[I].Target.c_str(), CUPORT_FATBIN_TARGET_LEN - 1);
    Place(Entries[I + 1], Images[I].Bytes);
  }
  cuport_fatbin_header H;
  std::memset(&H, 0, sizeof H);
  std::memcpy(H.magic, CUPORT_FATBIN_MAGIC, 8);
  H.version = CUPORT_FATBIN_VERSION;
  H.header_size = sizeof H;
  H.entry_count = uint32_t(Entries.size());
  H.entry_size = sizeof(cuport_fatbin_entry);
  H.total_size = Base + Payload.size();
  std::string Out(reinterpret_cast<const char *>(&H), sizeof H);
  Out.append(reinterpret_cast<const char *>(Entries.data()), Entries.size() * sizeof(cuport_fatbin_entry));
  Out.append(HeaderPad, '\0');
  Out += Payload;
  return Out;
}

} // namespace cuport
