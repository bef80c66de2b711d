// Launch-configuration rules (runtime/launch_config.cpp) against a CUDA-like device description.
#include <gtest/gtest.h>

#include <cstring>

#include "launch_config.h"

namespace {

constexpr int kOk = 0;
constexpr int kInvalidConfiguration = 9;

cuport_device_props props() {
  cuport_device_props p;
  std::memset(&p, 0, sizeof p);
  p.max_threads_per_block = 1024;
  p.max_threads_dim[0] = 1024;
  p.max_threads_dim[1] = 1024;
  p.max_threads_dim[2] = 64;
  p.max_grid_size[0] = 0x7fffffff;
  p.max_grid_size[1] = 65535;
  p.max_grid_size[2] = 65535;
  p.shared_mem_per_block = 48 * 1024;
  p.shared_mem_per_block_optin = 96 * 1024;
  return p;
}

int shape(uint32_t gx, uint32_t gy, uint32_t gz, uint32_t bx, uint32_t by, uint32_t bz) {
  cuport::LaunchShape s{{gx, gy, gz}, {bx, by, bz}};
  return cuport::validate_shape(props(), s);
}

TEST(LaunchConfig, ValidShapes) {
  EXPECT_EQ(shape(1, 1, 1, 1, 1, 1), kOk);
  EXPECT_EQ(shape(0x7fffffff, 65535, 65535, 1024, 1, 1), kOk);
  EXPECT_EQ(shape(1, 1, 1, 16, 16, 4), kOk);
  EXPECT_EQ(shape(1, 1, 1, 1, 1, 64), kOk);
  EXPECT_EQ(shape(1, 1, 1, 1, 1024, 1), kOk);
}

TEST(LaunchConfig, TooManyThreadsPerBlock) {
  EXPECT_EQ(shape(1, 1, 1, 1025, 1, 1), kInvalidConfiguration);
  EXPECT_EQ(shape(1, 1, 1, 1024, 2, 1), kInvalidConfiguration);
  EXPECT_EQ(shape(1, 1, 1, 32, 32, 2), kInvalidConfiguration);
}

TEST(LaunchConfig, BlockDimensionOverLimit) {
  EXPECT_EQ(shape(1, 1, 1, 1, 1, 65), kInvalidConfiguration);
  EXPECT_EQ(shape(1, 1, 1, 1, 1025, 1), kInvalidConfiguration);
}

TEST(LaunchConfig, ZeroDimensions) {
  EXPECT_EQ(shape(0, 1, 1, 1, 1, 1), kInvalidConfiguration);
  EXPECT_EQ(shape(1, 0, 1, 1, 1, 1), kInvalidConfiguration);
  EXPECT_EQ(shape(1, 1, 0, 1, 1, 1), kInvalidConfiguration);
  EXPECT_EQ(shape(1, 1, 1, 0, 1, 1), kInvalidConfiguration);
  EXPECT_EQ(shape(1, 1, 1, 1, 1, 0), kInvalidConfiguration);
}

TEST(LaunchConfig, GridOverLimit) {
  EXPECT_EQ(shape(0x80000000u, 1, 1, 1, 1, 1), kInvalidConfiguration);
  EXPECT_EQ(shape(1, 65536, 1, 1, 1, 1), kInvalidConfiguration);
  EXPECT_EQ(shape(1, 1, 65536, 1, 1, 1), kInvalidConfiguration);
}

TEST(LaunchConfig, SharedMemory) {
  const cuport_device_props p = props();
  EXPECT_EQ(cuport::validate_shared(p, 0, 48 * 1024, -1), kOk);
  EXPECT_EQ(cuport::validate_shared(p, 0, 48 * 1024 + 1, -1), kInvalidConfiguration);
  EXPECT_EQ(cuport::validate_shared(p, 1024, 47 * 1024, -1), kOk);
  EXPECT_EQ(cuport::validate_shared(p, 1024, 47 * 1024 + 1, -1), kInvalidConfiguration);
  // Raised with cudaFuncSetAttribute(cudaFuncAttributeMaxDynamicSharedMemorySize).
  EXPECT_EQ(cuport::validate_shared(p, 1024, 80 * 1024, 80 * 1024), kOk);
  EXPECT_EQ(cuport::validate_shared(p, 1024, 80 * 1024 + 1, 80 * 1024), kInvalidConfiguration);
  EXPECT_EQ(cuport::validate_shared(p, 1024, 96 * 1024, 96 * 1024), kInvalidConfiguration);  // over opt-in
  EXPECT_EQ(cuport::validate_shared(p, 100 * 1024, 0, -1), kInvalidConfiguration);
  EXPECT_EQ(cuport::default_dynamic_shared_limit(p, 1024), size_t(47 * 1024));
  EXPECT_EQ(cuport::default_dynamic_shared_limit(p, 64 * 1024), 0u);
}

}  // namespace
