// bench_suite: the kernels of suite.h in CUDA (cuport), OpenCL C (PoCL) and OpenMP, timed interleaved in
// one process, checked against each other, printed as one table.
//
// Usage: bench_suite [--quick] [--reps=N] [--only=cuda,opencl,openmp] [--kernels=id,...]
//                    [--emit=FILE] [--pocl=METHOD:FILE ...] [--compile=LABEL=MS ...] [--note=TEXT ...]
//   --quick        tiny sizes, one run each, no pauses: only checks that the versions agree (ctest)
//   --reps=N       timed runs per version (default 7, after one warm-up each); the median is reported
//   --only=...     the versions to run (default: all; opencl is skipped without an OpenCL device)
//   --emit=FILE    with --only=opencl: write "kernel <id> <median ms> <ok|MISMATCH> <spread>" and
//                  "latency <us>" lines instead of the table (one PoCL work-group method per process)
//   --pocl=M:FILE  take the PoCL column from such a file, for method M (repeatable: the best one is shown)
//   --compile=L=V  an entry of the compile-time row (V in ms, or a note)
//   --note=TEXT    a line under the table's title (scripts/bench.sh: the load average before it started)
// The reference for the checks is the OpenMP version (run untimed when not selected): integer results
// must be equal, float results within a relative tolerance.  A mismatch prints MISMATCH and the exit
// status is 1.
#include "suite.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>
#include <unistd.h>

using namespace suite;

namespace {

enum Tech { Cuda, OpenCLTech, OpenMP, kTechs };
const char *kTechName[kTechs] = {"cuport", "PoCL", "OpenMP"};
const char *kTechArg[kTechs] = {"cuda", "opencl", "openmp"};

using Clock = std::chrono::steady_clock;

struct Options {
  bool quick = false;
  int reps = 7;
  bool tech[kTechs] = {true, true, true};
  bool kernel[kKernels];
  std::string emit;
  std::vector<std::pair<std::string, std::string>> pocl;     // method, file
  std::vector<std::pair<std::string, std::string>> compile;  // label, value
  std::vector<std::string> notes;                             // lines under the table's title
};

std::vector<std::string> split(const std::string &s, char sep) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, sep);)
    if (!item.empty())
      out.push_back(item);
  return out;
}

[[noreturn]] void usage(const char *bad) {
  std::fprintf(stderr, "bench_suite: bad argument '%s' (see the comment at the top of main.cpp)\n", bad);
  std::exit(2);
}

Options parse(int argc, char **argv) {
  Options o;
  std::fill(o.kernel, o.kernel + kKernels, true);
  bool reps_given = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const char *prefix) -> const char * {
      size_t n = std::strlen(prefix);
      return a.compare(0, n, prefix) == 0 ? argv[i] + n : nullptr;
    };
    if (a == "--quick") {
      o.quick = true;
    } else if (const char *v = value("--reps=")) {
      o.reps = std::max(1, std::atoi(v)), reps_given = true;
    } else if (const char *v = value("--only=")) {
      std::fill(o.tech, o.tech + kTechs, false);
      for (const std::string &t : split(v, ',')) {
        int k = int(std::find_if(kTechArg, kTechArg + kTechs, [&](const char *n) { return t == n; }) - kTechArg);
        if (k == kTechs)
          usage(argv[i]);
        o.tech[k] = true;
      }
    } else if (const char *v = value("--kernels=")) {
      std::fill(o.kernel, o.kernel + kKernels, false);
      for (const std::string &id : split(v, ',')) {
        int k = 0;
        while (k < kKernels && id != info(Kernel(k)).id)
          ++k;
        if (k == kKernels)
          usage(argv[i]);
        o.kernel[k] = true;
      }
    } else if (const char *v = value("--emit=")) {
      o.emit = v;
    } else if (const char *v = value("--pocl=")) {
      const char *colon = std::strchr(v, ':');
      if (!colon)
        usage(argv[i]);
      o.pocl.emplace_back(std::string(v, colon), colon + 1);
    } else if (const char *v = value("--note=")) {
      o.notes.push_back(v);
    } else if (const char *v = value("--compile=")) {
      const char *eq = std::strchr(v, '=');
      if (!eq)
        usage(argv[i]);
      o.compile.emplace_back(std::string(v, eq), eq + 1);
    } else {
      usage(argv[i]);
    }
  }
  if (o.quick && !reps_given)
    o.reps = 1;
  if (!o.pocl.empty())
    o.tech[OpenCLTech] = false;  // the PoCL column comes from the files
  return o;
}

// Compares a version's output with the reference; returns "" when they agree, else what differs.
std::string compare(const KernelInfo &ki, const std::vector<double> &ref, const std::vector<double> &got) {
  char buf[256];
  if (got.size() != ref.size()) {
    std::snprintf(buf, sizeof buf, "%zu values, expected %zu", got.size(), ref.size());
    return buf;
  }
  double scale = 0, worst = 0;
  size_t at = 0;
  for (size_t i = 0; i < ref.size(); ++i) {
    scale = std::max(scale, std::fabs(ref[i]));
    double d = std::fabs(got[i] - ref[i]);
    if (!(d <= worst)) {  // also catches NaN
      worst = std::isnan(d) ? INFINITY : d, at = i;
    }
  }
  double tolerance = ki.exact ? 0 : ki.rtol * scale;
  if (worst <= tolerance)
    return "";
  std::snprintf(buf, sizeof buf, "max |diff| %.6g > tolerance %.3g, at index %zu: %.9g, expected %.9g", worst,
                tolerance, at, got[at], ref[at]);
  return buf;
}

struct Row {
  Kernel kernel;
  std::string size;
  double bytes = 0;
  double ms[kTechs] = {NAN, NAN, NAN};
  double spread[kTechs] = {NAN, NAN, NAN};  // (slowest - fastest run) / median: how noisy the median is
  bool mismatch[kTechs] = {false, false, false};
  std::string method;                       // the PoCL method with the best time
  std::map<std::string, double> by_method;  // PoCL median per method (from --pocl files)
  std::map<std::string, double> spread_by_method;
  std::vector<std::string> pocl_mismatch;   // methods whose results did not agree
};

// Runs one kernel: every selected version once to warm up, then `reps` timed rounds, the versions in a
// rotating order within each round; a pause before each run lets the other runtimes' spinning workers
// fall asleep, so no version is timed while another's threads still hold the cores.
Row run_kernel(Kernel k, const Options &o, OpenCL *cl) {
  Row row;
  row.kernel = k;
  Problem p = make_problem(k, o.quick);
  row.size = p.size, row.bytes = p.bytes;
  std::unique_ptr<Runner> runner[kTechs];
  if (o.tech[Cuda])
    runner[Cuda] = make_cuda(p);
  if (o.tech[OpenCLTech] && cl)
    runner[OpenCLTech] = make_opencl(cl, p);
  runner[OpenMP] = make_openmp(p);  // the reference, timed only when selected
  const bool omp_timed = o.tech[OpenMP];
  std::vector<int> timed;
  for (int t = 0; t < kTechs; ++t)
    if (runner[t] && (t != OpenMP || omp_timed))
      timed.push_back(t);
  std::vector<double> times[kTechs];
  const auto pause = std::chrono::milliseconds(o.quick ? 0 : 20);
  for (int r = 0; r <= o.reps; ++r) {
    for (size_t j = 0; j < timed.size(); ++j) {
      int t = timed[(j + r) % timed.size()];
      std::this_thread::sleep_for(pause);
      auto t0 = Clock::now();
      runner[t]->run();
      double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
      if (r > 0)
        times[t].push_back(ms);
    }
    if (!omp_timed)
      runner[OpenMP]->run();  // same number of runs (saxpy works in place)
  }
  std::vector<double> ref = runner[OpenMP]->result();
  if (runner[OpenCLTech]) {
    const char *method = std::getenv("POCL_WORK_GROUP_METHOD");
    row.method = method ? method : "default";
  }
  for (int t : timed) {
    row.ms[t] = median(times[t]);
    auto [fastest, slowest] = std::minmax_element(times[t].begin(), times[t].end());
    row.spread[t] = (*slowest - *fastest) / row.ms[t];
    if (t == OpenMP)
      continue;
    std::string why = compare(info(k), ref, runner[t]->result());
    if (!why.empty()) {
      row.mismatch[t] = true;
      std::printf("MISMATCH %s: %s vs OpenMP: %s\n", info(k).id, kTechName[t], why.c_str());
    }
  }
  return row;
}

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);)
    if (line.compare(0, 10, "model name") == 0)
      return line.substr(line.find(':') + 2);
  return "unknown CPU";
}

// Reads the --emit file of one PoCL method into the rows; returns false when it is missing or incomplete.
bool read_pocl(const std::string &method, const std::string &file, std::vector<Row> &rows, double *latency,
               std::string *latency_method) {
  std::ifstream in(file);
  size_t kernels = 0;
  for (std::string line; std::getline(in, line);) {
    std::istringstream f(line);
    std::string what, id, status;
    double value, spread = NAN;
    f >> what;
    if (what == "kernel" && f >> id >> value >> status) {
      f >> spread;
      for (Row &row : rows)
        if (id == info(row.kernel).id) {
          ++kernels;
          row.by_method[method] = value;
          row.spread_by_method[method] = spread;
          if (status != "ok")
            row.pocl_mismatch.push_back(method);
        }
    } else if (what == "latency" && f >> value && !(value >= *latency)) {
      *latency = value, *latency_method = method;
    }
  }
  return kernels == rows.size();
}

// The PoCL column: each kernel's fastest method among those whose results agreed.
void pick_best_method(Row &row) {
  for (auto &[method, ms] : row.by_method)
    if (std::find(row.pocl_mismatch.begin(), row.pocl_mismatch.end(), method) == row.pocl_mismatch.end() &&
        !(ms >= row.ms[OpenCLTech]))
      row.ms[OpenCLTech] = ms, row.method = method, row.spread[OpenCLTech] = row.spread_by_method[method];
  for (const std::string &m : row.pocl_mismatch) {
    row.mismatch[OpenCLTech] = true;
    row.method += (row.method.empty() ? "" : ", ") + m + " MISMATCH";
  }
}

std::string fmt(const char *format, double v) {
  if (std::isnan(v))
    return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

}  // namespace

int main(int argc, char **argv) {
  Options o = parse(argc, argv);
  setvbuf(stdout, nullptr, _IOLBF, 0);

  OpenCL *cl = nullptr;
  std::string cl_device, cl_why;
  if (o.tech[OpenCLTech]) {
    cl = opencl_open(&cl_device, &cl_why);
    if (!cl)
      std::printf("note: OpenCL version skipped (%s)\n", cl_why.c_str());
  }

  // The bandwidth ceiling, sampled before and after the kernels (the machine may be shared).
  const size_t stream_n = o.quick ? (1 << 16) : (size_t(1) << 25);  // 3 arrays of 256 MiB
  std::vector<double> stream;
  if (o.emit.empty())
    stream = stream_triad_samples(stream_n, o.reps);

  std::vector<Row> rows;
  for (int k = 0; k < kKernels; ++k)
    if (o.kernel[k]) {
      if (!o.emit.empty() || o.quick)
        std::printf("running %s\n", info(Kernel(k)).id);
      rows.push_back(run_kernel(Kernel(k), o, cl));
    }
  bool mismatch = false;
  for (const Row &r : rows)
    for (bool m : r.mismatch)
      mismatch = mismatch || m;

  // Each latency and copy row after a pause, so that no other runtime's workers still spin.
  const int lat_iters = o.quick ? 20 : 2000, lat_batches = o.quick ? 1 : 7;
  auto pause = [&] { std::this_thread::sleep_for(std::chrono::milliseconds(o.quick ? 0 : 100)); };
  double cl_latency = NAN;
  const char *pocl_method = std::getenv("POCL_WORK_GROUP_METHOD");
  std::string cl_latency_method = pocl_method ? pocl_method : "default";
  if (cl) {
    pause();
    cl_latency = opencl_launch_latency_us(cl, lat_iters, lat_batches);
  }

  if (!o.emit.empty()) {
    std::ofstream out(o.emit);
    for (const Row &r : rows)  // the OpenCL version's medians (--only=opencl)
      if (!std::isnan(r.ms[OpenCLTech]))
        out << "kernel " << info(r.kernel).id << ' ' << r.ms[OpenCLTech] << ' '
            << (r.mismatch[OpenCLTech] ? "MISMATCH" : "ok") << ' ' << r.spread[OpenCLTech] << '\n';
    if (!std::isnan(cl_latency))
      out << "latency " << cl_latency << '\n';
    out << "device " << cl_device << '\n';
    return mismatch ? 1 : 0;
  }

  // The PoCL column from the per-method runs.
  std::vector<std::string> pocl_failed;
  for (auto &[method, file] : o.pocl)
    if (!read_pocl(method, file, rows, &cl_latency, &cl_latency_method))
      pocl_failed.push_back(method);
  for (Row &r : rows) {
    pick_best_method(r);
    mismatch = mismatch || r.mismatch[OpenCLTech];
  }

  // Rows outside the kernel table.
  const size_t copy_bytes = o.quick ? (1 << 20) : (size_t(256) << 20);
  const int reps = o.reps;
  double cuda_latency = NAN, omp_latency = NAN, h2d = NAN;
  if (o.tech[Cuda]) {
    pause();
    cuda_latency = cuda_launch_latency_us(lat_iters, lat_batches);
  }
  if (o.tech[OpenMP]) {
    pause();
    omp_latency = openmp_region_latency_us(lat_iters, lat_batches);
  }
  if (o.tech[Cuda]) {
    pause();
    h2d = cuda_memcpy_h2d_gbs(copy_bytes, reps);
  }
  pause();
  const double host_copy = host_memcpy_gbs(copy_bytes, reps);
  for (double gbs : stream_triad_samples(stream_n, reps))
    stream.push_back(gbs);
  const double stream_gbs = median(stream);

  std::printf("\ncuport benchmark suite: %ld cores (nproc), %s%s\n", sysconf(_SC_NPROCESSORS_ONLN),
              cpu_model().c_str(), o.quick ? "  [--quick: tiny sizes, checks only, times mean nothing]" : "");
  for (const std::string &note : o.notes)
    std::printf("%s\n", note.c_str());
  std::printf("median of %d runs per version after one warm-up, versions interleaved in one process; PoCL: %s\n",
              reps,
              o.pocl.empty() ? (cl ? ("in this process, " + cl_device).c_str() : "not run")
                             : "best POCL_WORK_GROUP_METHOD of separate runs (one process per method)");
  std::printf("speed ratios: PoCL time / cuport time and OpenMP time / cuport time (above 1: cuport faster)\n");
  std::printf("spread: the largest (slowest - fastest run) / median of the row's three versions\n\n");
  std::printf("%-24s %-14s %10s %10s %-15s %10s %12s %14s %7s\n", "kernel", "size", "cuport ms", "PoCL ms",
              "(method)", "OpenMP ms", "cuport/PoCL", "cuport/OpenMP", "spread");
  double log_pocl = 0, log_omp = 0;
  int n_pocl = 0, n_omp = 0;
  for (const Row &r : rows) {
    double vs_pocl = r.ms[OpenCLTech] / r.ms[Cuda], vs_omp = r.ms[OpenMP] / r.ms[Cuda];
    if (std::isfinite(vs_pocl) && vs_pocl > 0)
      log_pocl += std::log(vs_pocl), ++n_pocl;
    if (std::isfinite(vs_omp) && vs_omp > 0)
      log_omp += std::log(vs_omp), ++n_omp;
    std::string method = r.method.empty() ? "" : "(" + r.method + ")";
    double spread = NAN;
    for (double s : r.spread)
      if (!(s <= spread))
        spread = s;
    std::printf("%-24s %-14s %10s %10s %-15s %10s %12s %14s %7s%s\n", info(r.kernel).name, r.size.c_str(),
                fmt("%.3f", r.ms[Cuda]).c_str(), fmt("%.3f", r.ms[OpenCLTech]).c_str(), method.c_str(),
                fmt("%.3f", r.ms[OpenMP]).c_str(), fmt("%.2fx", vs_pocl).c_str(), fmt("%.2fx", vs_omp).c_str(),
                fmt("%.0f%%", 100 * spread).c_str(), r.mismatch[Cuda] || r.mismatch[OpenCLTech] ? "  MISMATCH" : "");
  }
  std::printf("%-24s %-14s %10s %10s %-15s %10s %12s %14s\n", "geometric mean", "", "", "", "", "",
              fmt("%.2fx", n_pocl ? std::exp(log_pocl / n_pocl) : NAN).c_str(),
              fmt("%.2fx", n_omp ? std::exp(log_omp / n_omp) : NAN).c_str());

  if (rows.size() && !rows[0].by_method.empty()) {
    std::printf("\nPoCL by work-group method (median ms):\n%-24s", "kernel");
    for (auto &[method, file] : o.pocl)
      std::printf(" %14s", method.c_str());
    std::printf("\n");
    for (const Row &r : rows) {
      std::printf("%-24s", info(r.kernel).name);
      for (auto &[method, file] : o.pocl) {
        auto it = r.by_method.find(method);
        std::printf(" %14s", fmt("%.3f", it == r.by_method.end() ? NAN : it->second).c_str());
      }
      std::printf("\n");
    }
  }
  for (const std::string &m : pocl_failed)
    std::printf("note: the PoCL run with POCL_WORK_GROUP_METHOD=%s did not complete (see its log)\n", m.c_str());

  std::printf("\nbandwidth (GB/s; %% of STREAM triad)  %14s %14s %14s\n", "cuport", "PoCL", "OpenMP");
  std::printf("(bytes each run must move / median time; STREAM: median of %zu runs before and after the kernels)\n",
              stream.size());
  std::printf("%-37s %14s\n", "STREAM triad (OpenMP, double)", (fmt("%.1f", stream_gbs) + " (100%)").c_str());
  for (const Row &r : rows) {
    if (r.bytes <= 0)
      continue;
    std::printf("%-37s", info(r.kernel).name);
    for (int t = 0; t < kTechs; ++t) {
      double gbs = r.bytes / (r.ms[t] * 1e-3) / 1e9;
      std::printf(" %14s", std::isnan(gbs) ? "-" : (fmt("%.1f", gbs) + fmt(" (%.0f%%)", 100 * gbs / stream_gbs)).c_str());
    }
    std::printf("\n");
  }

  std::printf("\n%-32s cuport %s (<<<1,1>>> + cudaDeviceSynchronize) | PoCL %s (enqueue + clFinish, %s) | "
              "OpenMP %s (empty parallel region)\n",
              "empty launch + wait (us)", fmt("%.2f", cuda_latency).c_str(), fmt("%.2f", cl_latency).c_str(),
              cl_latency_method.c_str(), fmt("%.2f", omp_latency).c_str());
  std::printf("%-32s cudaMemcpy host to device %s | memcpy %s | cudaMemcpy / memcpy %s\n",
              ("copy " + std::to_string(copy_bytes >> 20) + " MiB (GB/s)").c_str(), fmt("%.2f", h2d).c_str(),
              fmt("%.2f", host_copy).c_str(), fmt("%.2fx", h2d / host_copy).c_str());
  if (!o.compile.empty()) {
    std::printf("%-32s", "compile time (ms, median of 3)");
    for (size_t i = 0; i < o.compile.size(); ++i)
      std::printf("%s %s %s", i ? " |" : "", o.compile[i].first.c_str(), o.compile[i].second.c_str());
    std::printf("\n");
  }
  std::printf("\nbench_suite: %s\n", mismatch ? "FAIL (MISMATCH above)" : "PASS (all versions agree)");
  return mismatch ? 1 : 0;
}
