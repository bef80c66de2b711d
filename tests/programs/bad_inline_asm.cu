__global__ void lane(int *out) {
  int l;
  asm volatile("mov.u32 %0, %%laneid;" : "=r"(l));
  out[threadIdx.x] = l;
}
int main() { return 0; }
