// The sample project's interface: device work behind host functions, called from plain C++ (main.cpp).
#pragma once
#include <cstddef>

// Explicit heat diffusion on a 1D rod: `steps` steps of u[i] += alpha * (u[i-1] - 2u[i] + u[i+1]),
// ends held fixed.  Runs on the device, in place on the host array.
void heat_steps(float* host_u, int n, int steps, float alpha);

// The sum of x[0..n), reduced on the device (shared memory tree, then one atomicAdd per block).
double device_sum(const float* host_x, int n);
