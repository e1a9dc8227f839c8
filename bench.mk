# bench.mk — `make bench`: greendot side by side with what operators would
# otherwise run (tests/bench/, README "Performance").  Not part of
# `make check`: a benchmark measures, it never fails a build on a time;
# `make bench` exits non-zero when a ratio falls below its floor.
#
#   make bench                    every scenario, 5 runs after a warm-up
#   make bench BENCH_QUICK=1      1 run, no warm-up (while developing)
#   make bench BENCH_ONLY="probe render"   some scenarios only
#
# The table goes to stdout and to $(BUILD)/bench/results.md.

BENCH_DIR   := $(BUILD)/bench
BENCH_TOOLS := $(BENCH_DIR)/shim.so $(BENCH_DIR)/bench-time

.PHONY: bench bench-tools
bench:
	scripts/deps.sh
	$(MAKE) --no-print-directory all-tests bench-tools
	BUILD=$(BUILD) TOP=$(CURDIR) BENCH_QUICK=$(BENCH_QUICK) \
		BENCH_ONLY="$(BENCH_ONLY)" sh tests/bench/bench.sh

bench-tools: $(BENCH_TOOLS)

# Plain flags: an LD_PRELOAD library must not carry SANITIZE=1's runtime.
$(BENCH_DIR)/shim.so: tests/bench/shim.c
	@mkdir -p $(@D)
	$(CC) -std=gnu11 $(WARN) -O2 -fPIC -shared -o $@ $< -ldl

$(BENCH_DIR)/bench-time: tests/bench/bench-time.c
	@mkdir -p $(@D)
	$(CC) -std=gnu11 $(WARN) -O2 -o $@ $<
