// Sizes and alignments of the built-in vector types (CUDA C++ Programming Guide, "Alignment
// Requirements" table, LP64); compiled as CUDA (both sides) and as plain C++.
#define CHECK_TYPE(T, size, align) \
  static_assert(sizeof(T) == size, "sizeof " #T); static_assert(alignof(T) == align, "alignof " #T);
#define CHECK_FAMILY(p, s, a1, a2, a4)                                                   \
  CHECK_TYPE(p##1, 1 * s, a1) CHECK_TYPE(p##2, 2 * s, a2) CHECK_TYPE(p##3, 3 * s, a1) \
  CHECK_TYPE(p##4, 4 * s, a4)
CHECK_FAMILY(char, 1, 1, 2, 4)
CHECK_FAMILY(uchar, 1, 1, 2, 4)
CHECK_FAMILY(short, 2, 2, 4, 8)
CHECK_FAMILY(ushort, 2, 2, 4, 8)
CHECK_FAMILY(int, 4, 4, 8, 16)
CHECK_FAMILY(uint, 4, 4, 8, 16)
CHECK_FAMILY(float, 4, 4, 8, 16)
CHECK_FAMILY(long, 8, 8, 16, 16)
CHECK_FAMILY(ulong, 8, 8, 16, 16)
CHECK_FAMILY(longlong, 8, 8, 16, 16)
CHECK_FAMILY(ulonglong, 8, 8, 16, 16)
CHECK_FAMILY(double, 8, 8, 16, 16)
CHECK_TYPE(dim3, 12, 4)

int sizes_ok() {
  int2 a = make_int2(1, 2);
  double4 d = make_double4(1, 2, 3, 4);
  uchar4 c = make_uchar4(1, 2, 3, 4);
  dim3 g(4, 2);
  uint3 u = g;
  dim3 h = u;
  return a.y + (int)d.w + c.w + (int)(u.x + h.y + g.z);
}
