# tests/: cmocka unit tests (tests/unit/<part>/test_*.c) and integration
# scripts (tests/integration/*.sh) that start real daemons on loopback.
#
# A unit test tests/unit/<part>/test_x.c becomes $(TBIN)/<part>/test_x,
# linked with the libraries the part's fragment names in <PART>_TEST_LIBS.

# $(call unit_tests,part,libraries to link)
define unit_tests
$(1)_UNIT := $$(patsubst tests/unit/$(1)/%.c,$$(TBIN)/$(1)/%,$$(wildcard tests/unit/$(1)/test_*.c))
UNIT_TESTS += $$($(1)_UNIT)
$$(TBIN)/$(1)/%: tests/unit/$(1)/%.c $$(filter %.a,$(2))
	@mkdir -p $$(@D)
	$$(CC) $$(ALL_CFLAGS) $$(CMOCKA_CFLAGS) $$(XCFLAGS_$(1)) -Itests/unit -o $$@ $$< \
		$$(LDFLAGS) $(2) $$(CMOCKA_LIBS)
endef

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
