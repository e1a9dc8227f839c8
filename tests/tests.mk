# tests/: cmocka unit tests (tests/unit/<part>/test_*.c) and integration
# scripts (tests/integration/*.sh) that start real daemons on loopback.
#
# unit_tests (defined in the Makefile) turns tests/unit/<part>/test_x.c
# into $(TBIN)/<part>/test_x.

$(eval $(call unit_tests,common,$$(LIBCOMMON) $$(COMMON_LIBS)))

.PHONY: all-tests fakesvc
all-tests: all $(UNIT_TESTS) fakesvc

FAKESVC := $(if $(wildcard tests/fakesvc/fakesvc.c),$(BIN)/fakesvc)
fakesvc: $(FAKESVC)
ifneq ($(FAKESVC),)
$(FAKESVC): tests/fakesvc/fakesvc.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LDFLAGS)
endif

# probe-driver: the probe engine on a config, for tests/integration/probe.sh
# and the 10,000-server benchmark.  Linked with the probe objects alone
# (not all of libgdagent.a), so it needs no net-snmp.
PROBE_DRIVER := $(TBIN)/probe-driver
PROBE_OBJS   := $(OBJ)/subagent/probe.o $(OBJ)/subagent/probe_proto.o
.PHONY: probe-driver
probe-driver: $(PROBE_DRIVER)
all-tests: $(PROBE_DRIVER)
$(PROBE_DRIVER): tests/probe-driver.c $(PROBE_OBJS) $(LIBCOMMON)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Isubagent -o $@ $< $(PROBE_OBJS) $(LIBCOMMON) \
		$(LDFLAGS) $(COMMON_LIBS)

# The agent's unit tests include its headers (probe.h, probe_proto.h).
XCFLAGS_agent += -Isubagent

# Unit tests run under valgrind with VALGRIND=1.
VG = $(if $(filter 1,$(VALGRIND)),valgrind -q --error-exitcode=99 --leak-check=full \
     --errors-for-leak-kinds=definite --show-leak-kinds=definite \
     --suppressions=tests/valgrind.supp)

# With SANITIZE=1 a sanitizer's report fails the test: ASan and UBSan
# stop at the first error, LSan reports leaks at exit (exit code 23).
# tests/lsan.supp holds the leaks of net-snmp and librrd themselves; its
# entries need the slow unwinder to see through the libraries' frames.
# The same settings are exported to the integration tests
# (tests/run-integration.sh adds log files).
SAN_ENV = $(if $(filter 1,$(SANITIZE)),\
	ASAN_OPTIONS=fast_unwind_on_malloc=0:detect_stack_use_after_return=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0)

unit: $(UNIT_TESTS)
	@fail=0; for t in $(UNIT_TESTS); do \
		echo "== $$t"; $(SAN_ENV) $(VG) $$t || { echo "FAIL: $$t"; fail=1; }; \
	done; exit $$fail

integration: all-tests
	$(SAN_ENV) BUILD=$(BUILD) SANITIZE=$(SANITIZE) VALGRIND=$(VALGRIND) \
		tests/run-integration.sh $(T)

# rrdw-bench: the RRD writer on N files for M steps, direct or through
# rrdcached, with per-flush timings (tests/integration/rrdw.sh, make bench).
# Linked with the writer's objects alone, so it needs no net-snmp.
RRDW_BENCH := $(TBIN)/rrdw-bench
RRDW_OBJS  := $(MONITOR_RRD_SRCS:%.c=$(OBJ)/%.o)
.PHONY: rrdw-bench
rrdw-bench: $(RRDW_BENCH)
all-tests: $(RRDW_BENCH)
$(RRDW_BENCH): tests/rrdw-bench.c $(RRDW_OBJS) $(LIBCOMMON)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(RRD_CFLAGS) -Imonitor -o $@ $< $(RRDW_OBJS) \
		$(LIBCOMMON) $(LDFLAGS) $(RRD_LIBS) $(COMMON_LIBS)

# the fault-injection tools (tests/integration/fault_*.sh)
-include tests/fault/fault.mk
