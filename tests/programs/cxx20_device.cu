// C++20 in device code, compiled with -std=c++20: concepts, consteval, designated initializers,
// three-way comparison, std::bit_cast, templated lambdas, and constexpr std::array (nvcc needs
// --expt-relaxed-constexpr for the std:: constexpr functions; Clang allows them in device code).
#include <array>
#include <bit>
#include <compare>
#include <concepts>
#include <cstdio>

template <typename T>
concept Number = std::integral<T> || std::floating_point<T>;

struct Version {
  int major, minor;
  constexpr auto operator<=>(const Version &) const = default;
};

struct Config {
  int scale = 1;
  int offset = 0;
};

consteval int table_size() { return 8; }

__device__ constexpr std::array<int, table_size()> kSquares = [] {
  std::array<int, table_size()> a{};
  for (int i = 0; i < table_size(); ++i) a[i] = i * i;
  return a;
}();

template <Number T>
__global__ void transform(T *out, Config c, Version v) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  auto twice = []<typename U>(U x) { return x + x; };
  T value = T(kSquares[i % table_size()] * c.scale + c.offset);
  if (v >= Version{.major = 7, .minor = 0}) value = twice(value);
  if constexpr (std::floating_point<T>) value += T(std::bit_cast<float>(0x3f800000u)); // + 1.0
  out[i] = value;
}

template <Number T>
int check(const char *name) {
  const int n = 256;
  T *d = nullptr, h[n];
  cudaMalloc(&d, sizeof h);
  transform<<<n / 64, 64>>>(d, Config{.scale = 3, .offset = 1}, Version{.major = 7, .minor = 5});
  cudaMemcpy(h, d, sizeof h, cudaMemcpyDeviceToHost);
  cudaFree(d);
  int bad = 0;
  for (int i = 0; i < n; ++i) {
    T want = T(2 * ((i % 8) * (i % 8) * 3 + 1));
    if constexpr (std::floating_point<T>) want += T(1);
    bad += h[i] != want;
  }
  std::printf("cxx20 %s: %s\n", name, bad ? "FAIL" : "PASS");
  return bad;
}

int main() {
  static_assert(__cplusplus >= 202002L, "compile with -std=c++20");
  return (check<int>("int") + check<float>("float") + check<long long>("long long")) != 0;
}
