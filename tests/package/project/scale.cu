__global__ void scaleKernel(float *y, float s, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] *= s;
}
void scale(float *y, float s, int n) { scaleKernel<<<(n + 127) / 128, 128>>>(y, s, n); }
