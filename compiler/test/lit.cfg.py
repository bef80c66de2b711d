import os
import lit.formats

config.name = "cuport-compiler"
config.test_format = lit.formats.ShTest(True)
config.suffixes = [".ll", ".cu"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(os.path.dirname(config.cuport_bin_dir), "compiler-test-output")
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "Inputs"]
config.environment["PATH"] = os.pathsep.join(
    [config.cuport_bin_dir, config.llvm_tools_dir, config.environment.get("PATH", "")])
config.substitutions.append(("%cuport-cc", os.path.join(config.cuport_bin_dir, "cuport-cc")))
config.substitutions.append(("%cuport-opt", os.path.join(config.cuport_bin_dir, "cuport-opt")))
config.substitutions.append(("%FileCheck", os.path.join(config.llvm_tools_dir, "FileCheck")))
config.substitutions.append(("%not", os.path.join(config.llvm_tools_dir, "not")))
# The AMDGPU lowering's tests need the ROCm device libraries (Debian: rocm-device-libs).
if config.rocm_device_lib_dir and os.path.exists(os.path.join(config.rocm_device_lib_dir, "ocml.bc")):
    config.available_features.add("rocm-device-libs")
