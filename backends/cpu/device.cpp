// The single CPU device and its properties.
//
// Property choices (honest where the hardware has an answer, CUDA-shaped where it does not):
//   name                   "cuport CPU (<model name from /proc/cpuinfo>)"
//   totalGlobalMem         physical RAM; cudaMemGetInfo's free = MemAvailable
//   multiProcessorCount    hardware threads usable by this process (sched affinity), or CUPORT_CPU_THREADS
//   clockRate              cpufreq maximum, else /proc/cpuinfo "cpu MHz", in kHz
//   compute capability     7.0: the sm_70 that device code is compiled for
//   warpSize 32, maxThreadsPerBlock 1024, maxThreadsDim {1024,1024,64}, maxGridSize {2^31-1,65535,65535}
//   sharedMemPerBlock      48 KiB; opt-in maximum 96 KiB (sm_70's figures, so programs size tiles as on a
//                          7.0 device; a CPU could offer more, but a 7.0 device never would)
//   totalConstMem 64 KiB, regsPerBlock 65536, maxThreadsPerMultiProcessor 2048
//   l2CacheSize            the largest (last-level) CPU cache, the analogue of a GPU's device-wide L2
//   memoryClockRate / memoryBusWidth: 0 (not discoverable without privileges)
//   kernel parameters      up to 32764 bytes (CUDA 12.1's limit)
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>

#include "cpu_backend.h"

namespace cuport_cpu {
namespace {

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  size_t e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

// First "key : value" of /proc/cpuinfo.
std::string cpuinfo_field(const char* key) {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    if (trim(line.substr(0, colon)) == key) return trim(line.substr(colon + 1));
  }
  return "";
}

long long read_number(const std::string& path) {
  std::ifstream in(path);
  long long v = 0;
  if (!(in >> v)) return 0;
  return v;
}

// "32K", "1024K", "32M" from sysfs cache size files.
long long parse_cache_size(const std::string& s) {
  if (s.empty()) return 0;
  long long v = std::atoll(s.c_str());
  char unit = s.back();
  if (unit == 'K') v <<= 10;
  else if (unit == 'M') v <<= 20;
  return v;
}

long long last_level_cache_bytes() {
  long long best = 0;
  int best_level = 0;
  for (int i = 0; i < 8; ++i) {
    const std::string dir = "/sys/devices/system/cpu/cpu0/cache/index" + std::to_string(i);
    const int level = int(read_number(dir + "/level"));
    if (level == 0) continue;
    std::ifstream in(dir + "/size");
    std::string size;
    in >> size;
    const long long bytes = parse_cache_size(size);
    if (level > best_level || (level == best_level && bytes > best)) {
      best_level = level;
      best = bytes;
    }
  }
  return best;
}

unsigned detect_threads() {
  if (const char* env = std::getenv("CUPORT_CPU_THREADS")) {
    const long v = std::atol(env);
    if (v >= 1 && v <= 4096) return unsigned(v);
  }
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof set, &set) == 0) {
    const int n = CPU_COUNT(&set);
    if (n > 0) return unsigned(n);
  }
  const unsigned hc = std::thread::hardware_concurrency();
  return hc ? hc : 1;
}

struct DeviceInfo {
  cuport_device_props props;
  unsigned threads = 1;
};

DeviceInfo* g_info = nullptr;  // leaked: valid until process exit

}  // namespace

// One thread, before any other hook.
cuport_status init() {
  auto* info = new DeviceInfo;
  std::memset(&info->props, 0, sizeof info->props);
  cuport_device_props& p = info->props;
  info->threads = detect_threads();

  std::string model = cpuinfo_field("model name");
  if (model.empty()) model = cpuinfo_field("Model");
  if (model.empty()) model = "unknown processor";
  const std::string name = "cuport CPU (" + model + ")";
  std::strncpy(p.name, name.c_str(), sizeof p.name - 1);

  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page_size = ::sysconf(_SC_PAGE_SIZE);
  p.total_global_mem = pages > 0 && page_size > 0 ? uint64_t(pages) * uint64_t(page_size) : 0;
  p.shared_mem_per_block = 48 * 1024;
  p.shared_mem_per_block_optin = 96 * 1024;
  p.total_const_mem = 64 * 1024;
  p.regs_per_block = 65536;
  p.warp_size = 32;
  p.max_threads_per_block = 1024;
  p.max_threads_dim[0] = 1024;
  p.max_threads_dim[1] = 1024;
  p.max_threads_dim[2] = 64;
  p.max_grid_size[0] = 0x7fffffff;
  p.max_grid_size[1] = 65535;
  p.max_grid_size[2] = 65535;
  long long khz = read_number("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq");
  if (khz <= 0) khz = (long long)(std::atof(cpuinfo_field("cpu MHz").c_str()) * 1000.0);
  p.clock_rate_khz = int(std::min<long long>(std::max<long long>(khz, 0), 0x7fffffff));
  p.memory_clock_rate_khz = 0;
  p.memory_bus_width = 0;
  p.multiprocessor_count = int(info->threads);
  p.max_threads_per_multiprocessor = 2048;
  p.major = 7;
  p.minor = 0;
  p.concurrent_kernels = 1;
  p.async_engine_count = 0;
  p.unified_addressing = 1;
  p.managed_memory = 1;
  p.can_map_host_memory = 1;
  p.integrated = 1;
  p.l2_cache_size = int(std::min<long long>(last_level_cache_bytes(), 0x7fffffff));
  p.is_host_memory = 1;
  p.max_param_size = 32764;
  g_info = info;
  return kSuccess;
}

// Never concurrent with anything.
void shutdown() { stop_workers(); }

// Any thread.
int device_count() { return g_info ? 1 : 0; }

unsigned worker_count() { return g_info ? g_info->threads : 1; }

// Any thread.
cuport_status device_props(int device, cuport_device_props* out) {
  if (!g_info || device != 0) return fail(kInvalidDevice, "no such CPU device");
  if (!out) return fail(kInvalidValue, "null output");
  *out = g_info->props;
  return kSuccess;
}

// Any thread: MemAvailable from /proc/meminfo (falls back to total).
cuport_status mem_info(int device, size_t* free_bytes, size_t* total_bytes) {
  if (!g_info || device != 0) return fail(kInvalidDevice, "no such CPU device");
  if (!free_bytes || !total_bytes) return fail(kInvalidValue, "null output");
  *total_bytes = size_t(g_info->props.total_global_mem);
  *free_bytes = *total_bytes;
  std::ifstream in("/proc/meminfo");
  std::string key;
  long long kb = 0;
  std::string unit;
  while (in >> key >> kb) {
    std::getline(in, unit);
    if (key == "MemAvailable:") {
      *free_bytes = std::min(size_t(kb) * 1024, *total_bytes);
      break;
    }
  }
  return kSuccess;
}

}  // namespace cuport_cpu
