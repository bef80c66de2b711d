// Test helper: registers the hand-written CPU image (test_kernels.c) with libcuport exactly as Clang's
// generated module constructor would, and names its host stubs and variable shadows.
#ifndef CUPORT_TESTS_TEST_IMAGE_H
#define CUPORT_TESTS_TEST_IMAGE_H

namespace cuport_test {

// Host-side identities: Clang uses the address of each kernel's host stub and each variable's shadow.
extern const char stub_mykernel;
extern const char stub_where;
extern const char stub_scaled;
extern const char stub_shared_sum;
extern const char stub_future;
extern const char stub_absent;      // registered, but the image has no such kernel
extern const char stub_unregistered;
extern int shadow_table[4];
extern float shadow_scale;
extern int shadow_absent;           // registered, but the image has no such variable

// Idempotent; returns the fat-binary handle.
void** register_test_image();

}  // namespace cuport_test

#endif
