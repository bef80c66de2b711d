# The two commands of the README.  Both install missing Debian packages first (scripts/setup.sh).
#   make demo   build, compile samples/*.cu with cuport-cc, run them on the CPU backend (PASS/FAIL each)
#   make test   build, run the whole test suite with ctest
#   make bench  build the benchmark suite, print cuport vs PoCL vs OpenMP (scripts/bench.sh; not a test)
#   make report build, run the conformance suite on every backend: $(BUILD_DIR)/conformance-report.{md,html}
#               and the features x backends page with this machine's results, $(BUILD_DIR)/features.md
BUILD_DIR ?= build
export BUILD_DIR

.PHONY: all setup build demo test bench report clean
all: build

setup:
	bash scripts/setup.sh

build: setup
	bash scripts/build.sh

demo: build
	bash scripts/demo.sh

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure --timeout 600 -j 2

bench: setup
	bash scripts/bench.sh

report: build
	python3 scripts/conformance_report.py $(BUILD_DIR)
	python3 scripts/feature_page.py --results $(BUILD_DIR)/conformance-results --out $(BUILD_DIR)/features.md

clean:
	rm -rf $(BUILD_DIR)
