// Shared by the GoogleTests of a backend plugin over a fake vendor runtime, through the backend ABI alone (no
// libcuport, no cuport-cc): tests/hip/hip_backend_test.cpp, tests/cuda/cuda_backend_test.cpp.  Loading the
// plugin, the fake's log, and the checks that both plugins must pass alike on their fake's device 0.
#ifndef CUPORT_TESTS_FAKE_VENDOR_PLUGIN_TEST_H
#define CUPORT_TESTS_FAKE_VENDOR_PLUGIN_TEST_H

#include <dlfcn.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <cuport/backend.h>

namespace cuport_fake_test {

// A plugin and the fake runtime it is to run on.
struct PluginOnFake {
  const char* name;                 // the backend's name ("hip"): its log goes to /tmp/cuport-<name>-test-*
  const char* plugin;               // the plugin's path
  const char* library_setting;      // the plugin's setting naming the runtime ("CUPORT_HIP_LIBRARY")
  const char* library;              // the fake runtime's path
  const char* log_setting;          // the fake's setting naming its log ("FAKE_HIP_LOG")
  std::vector<const char*> unset;   // the fake's other settings, unset so that it has its default device
};

// dlopens the plugin over the fake, with the fake's log in a new temporary directory (its path in *log), and
// initializes it: its ops table, or null when any step fails.
inline const cuport_backend_ops* load_plugin(const PluginOnFake& p, std::string* log) {
  std::string dir = std::string("/tmp/cuport-") + p.name + "-test-XXXXXX";
  if (!mkdtemp(&dir[0])) return nullptr;
  *log = dir + "/launches.log";
  setenv(p.library_setting, p.library, 1);
  setenv(p.log_setting, log->c_str(), 1);
  for (const char* v : p.unset) unsetenv(v);
  void* h = dlopen(p.plugin, RTLD_NOW | RTLD_LOCAL);
  if (!h) return nullptr;
  auto get = reinterpret_cast<cuport_backend_ops_get_fn>(dlsym(h, "cuport_backend_ops_get"));
  const cuport_backend_ops* table = get ? get() : nullptr;
  if (!table || table->init() != 0) return nullptr;
  return table;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The lines of the file `path` that start with `prefix`.
inline std::vector<std::string> read_lines(const std::string& path, const std::string& prefix) {
  std::vector<std::string> lines;
  std::istringstream in(read_file(path));
  for (std::string line; std::getline(in, line);)
    if (line.compare(0, prefix.size(), prefix) == 0) lines.push_back(line);
  return lines;
}

inline bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// Copies in every direction and a fill, with real data, then mem_info (the device has `total_memory` bytes).
inline void check_memory_round_trip(const cuport_backend_ops* o, size_t total_memory) {
  const size_t n = 1 << 16;
  std::vector<unsigned char> in(n), out(n, 0);
  for (size_t i = 0; i < n; ++i) in[i] = static_cast<unsigned char>(i * 7 + 3);
  void *a = nullptr, *b = nullptr;
  ASSERT_EQ(o->mem_alloc(0, n, &a), 0) << o->last_error_message();
  ASSERT_EQ(o->mem_alloc(0, n, &b), 0);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(a) % 256, 0u);
  ASSERT_EQ(o->memcpy(0, a, in.data(), n, 1), 0) << o->last_error_message();
  ASSERT_EQ(o->memcpy(0, b, a, n, 3), 0) << o->last_error_message();
  ASSERT_EQ(o->memset(0, static_cast<char*>(b) + 100, 0x5a, 50), 0) << o->last_error_message();
  ASSERT_EQ(o->memcpy(0, out.data(), b, n, 2), 0) << o->last_error_message();
  for (size_t i = 0; i < n; ++i)
    ASSERT_EQ(out[i], i >= 100 && i < 150 ? 0x5a : in[i]) << "byte " << i;
  size_t free_bytes = 0, total = 0;
  ASSERT_EQ(o->mem_info(0, &free_bytes, &total), 0) << o->last_error_message();
  EXPECT_EQ(total, total_memory);
  EXPECT_LE(free_bytes, total - 2 * n);
  void* none = &none;
  EXPECT_EQ(o->mem_alloc(0, 0, &none), 0);
  EXPECT_EQ(none, nullptr);
  EXPECT_EQ(o->mem_free(0, a), 0);
  EXPECT_EQ(o->mem_free(0, b), 0);
}

// Errors of copies, fills, frees and allocations, mapped to CUDA's numbers: the message of a copy past the end
// of an allocation contains `past_the_end`, that of an allocation larger than the device `out_of_memory`.
inline void check_copy_and_free_errors(const cuport_backend_ops* o, const std::string& past_the_end,
                                       const std::string& out_of_memory) {
  void* a = nullptr;
  ASSERT_EQ(o->mem_alloc(0, 64, &a), 0);
  char host[128] = {};
  EXPECT_EQ(o->memcpy(0, a, host, 64, 7), 21);   // cudaErrorInvalidMemcpyDirection
  EXPECT_EQ(o->memcpy(0, a, host, 128, 1), 1);   // past the allocation: the runtime says invalid value
  EXPECT_TRUE(contains(o->last_error_message(), past_the_end)) << o->last_error_message();
  EXPECT_EQ(o->memset(0, host, 0, 16), 1);       // a fill outside device memory
  EXPECT_EQ(o->memcpy(0, host, host + 64, 64, 0), 0);  // host to host
  EXPECT_EQ(o->mem_free(0, host), 1);
  EXPECT_EQ(o->mem_free(0, a), 0);
  void* huge = nullptr;
  EXPECT_EQ(o->mem_alloc(0, size_t(64) << 30, &huge), 2);  // out of memory -> cudaErrorMemoryAllocation
  EXPECT_TRUE(contains(o->last_error_message(), out_of_memory)) << o->last_error_message();
}

// Managed memory (mem_alloc_shared): one address for the host and the device.
inline void check_managed_memory(const cuport_backend_ops* o) {
  void* p = nullptr;
  ASSERT_TRUE(CUPORT_BACKEND_HAS(o, mem_alloc_shared));
  ASSERT_EQ(o->mem_alloc_shared(0, 4096, &p), 0) << o->last_error_message();
  EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % 256, 0u);
  std::memset(p, 0x11, 4096);  // host access: managed memory
  unsigned char back = 0;
  ASSERT_EQ(o->memcpy(0, &back, static_cast<char*>(p) + 4095, 1, 2), 0);
  EXPECT_EQ(back, 0x11);
  EXPECT_EQ(o->mem_free(0, p), 0);
}

// The test image's kernels (tests/hip/test_kernels.hip, tests/cuda/test_kernels_ptx.h): add_shared, with 256
// bytes of static shared memory (__shared__ int tile[64]), is made once and cached (*add_shared); a kernel the
// image lacks is cudaErrorInvalidDeviceFunction, with a message containing each of `missing_says`.
inline void check_kernels(const cuport_backend_ops* o, cuport_module* m, const std::vector<std::string>& missing_says,
                          cuport_kernel** add_shared) {
  cuport_kernel* k = nullptr;
  ASSERT_EQ(o->kernel_get(m, "_Z10add_sharedPii", &k), 0) << o->last_error_message();
  cuport_kernel* again = nullptr;
  ASSERT_EQ(o->kernel_get(m, "_Z10add_sharedPii", &again), 0);
  EXPECT_EQ(k, again);
  size_t shared = 0;
  ASSERT_EQ(o->kernel_static_shared(k, &shared), 0);
  EXPECT_EQ(shared, 256u);
  cuport_kernel* missing = nullptr;
  EXPECT_EQ(o->kernel_get(m, "_Z7missingv", &missing), 98);
  for (const std::string& part : missing_says)
    EXPECT_TRUE(contains(o->last_error_message(), part)) << o->last_error_message();
  *add_shared = k;
}

// The test image's variables: the initializer of `counter` (int[4] = {1, 2, 3, 4}), `scratch` (int[256], its
// address in *scratch), and last, one that the image lacks: cudaErrorSymbolNotFound.
inline void check_variables(const cuport_backend_ops* o, cuport_module* m, void** scratch) {
  void* counter = nullptr;
  size_t size = 0;
  ASSERT_EQ(o->symbol_get(m, "counter", &counter, &size), 0) << o->last_error_message();
  ASSERT_EQ(size, 16u);
  int values[4] = {};
  ASSERT_EQ(o->memcpy(0, values, counter, sizeof values, 2), 0) << o->last_error_message();
  EXPECT_EQ(values[0], 1);
  EXPECT_EQ(values[3], 4);
  ASSERT_EQ(o->symbol_get(m, "scratch", scratch, &size), 0);
  EXPECT_EQ(size, 1024u);
  void* nothing = nullptr;
  EXPECT_EQ(o->symbol_get(m, "nothing", &nothing, &size), 500);
}

// A launch of add_shared(`buffer`, 5) with grid (3,2,1), block (64,1,1) and 128 bytes of dynamic shared memory
// reaches the runtime with CUDA's configuration and the runtime's argument array: one new line in the fake's
// launch log (`launches()`, its copy in *line), "<launch_call> _Z10add_sharedPii grid=(3,2,1) block=(64,1,1)
// shared=128 stream=...", and not on the null stream (which the log writes as `null_stream`).
inline void check_add_shared_launch(const cuport_backend_ops* o, cuport_kernel* add_shared, void* buffer,
                                    const std::function<std::vector<std::string>()>& launches,
                                    const std::string& launch_call, const std::string& null_stream, std::string* line) {
  int v = 5;
  void* args[2] = {&buffer, &v};
  cuport_launch l{};
  l.grid[0] = 3;
  l.grid[1] = 2;
  l.grid[2] = 1;
  l.block[0] = 64;
  l.block[1] = 1;
  l.block[2] = 1;
  l.dynamic_shared = 128;
  l.args = args;
  l.param_count = 2;
  const size_t before = launches().size();
  ASSERT_EQ(o->launch(0, add_shared, &l), 0) << o->last_error_message();
  const std::vector<std::string> lines = launches();
  ASSERT_EQ(lines.size(), before + 1);
  *line = lines.back();
  const std::string expected = launch_call + " _Z10add_sharedPii grid=(3,2,1) block=(64,1,1) shared=128 stream=";
  EXPECT_EQ(line->rfind(expected, 0), 0u) << *line;
  EXPECT_FALSE(contains(*line, null_stream)) << "launched on the null stream: " << *line;
}

// Each host thread (a runtime stream worker) launches `k` (no parameters, one block of 256 threads) on its own
// stream, and then allocates, fills and frees memory there: four threads, four streams in the fake's launch log
// (`launches()`), each also containing `stream_kind`.
inline void check_threads_launch_on_their_own_streams(const cuport_backend_ops* o, cuport_kernel* k,
                                                      const std::function<std::vector<std::string>()>& launches,
                                                      const std::string& stream_kind) {
  const size_t before = launches().size();
  std::vector<std::thread> threads;
  std::vector<int> results(4, -1);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      cuport_launch l{};
      for (int i = 0; i < 3; ++i) l.grid[i] = l.block[i] = 1;
      l.block[0] = 256;
      results[size_t(t)] = o->launch(0, k, &l);
      void* p = nullptr;  // and memory calls on a fresh thread
      if (results[size_t(t)] == 0) results[size_t(t)] = o->mem_alloc(0, 512, &p);
      if (results[size_t(t)] == 0) results[size_t(t)] = o->memset(0, p, 1, 512);
      if (results[size_t(t)] == 0) results[size_t(t)] = o->mem_free(0, p);
    });
  for (std::thread& t : threads) t.join();
  for (int r : results) EXPECT_EQ(r, 0);
  const std::vector<std::string> lines = launches();
  ASSERT_EQ(lines.size(), before + 4);
  std::set<std::string> streams;
  for (size_t i = before; i < lines.size(); ++i) {
    const std::string stream = lines[i].substr(lines[i].find("stream="));
    EXPECT_TRUE(contains(stream, stream_kind)) << lines[i];
    streams.insert(stream);
  }
  EXPECT_EQ(streams.size(), 4u);
}

}  // namespace cuport_fake_test

#endif
