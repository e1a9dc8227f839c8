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

# Unit tests run under valgrind with VALGRIND=1.
VG = $(if $(filter 1,$(VALGRIND)),valgrind -q --error-exitcode=99 --leak-check=full \
     --errors-for-leak-kinds=definite --suppressions=tests/valgrind.supp)

unit: $(UNIT_TESTS)
	@fail=0; for t in $(UNIT_TESTS); do \
		echo "== $$t"; $(VG) $$t || { echo "FAIL: $$t"; fail=1; }; \
	done; exit $$fail

integration: all-tests
	BUILD=$(BUILD) tests/run-integration.sh $(T)

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
