# greendot — top-level Makefile.
#
#   make            build the programs into build/bin/
#   make check      install what is missing, build, run every test
#   make deps       install the Debian packages the build and tests need
#
# Each part of the tree has its own fragment (common/common.mk,
# subagent/subagent.mk, ...) that lists its objects and unit tests; this
# file holds the flags and the generic rules they share.

SANITIZE ?=
VALGRIND ?=
# A sanitized build has its own folder: its objects never mix with the
# normal build's, and both can be kept side by side.
ifeq ($(SANITIZE),1)
BUILD    ?= build/asan
else
BUILD    ?= build
endif
PREFIX   ?= /usr/local
DESTDIR  ?=
CC       ?= cc

# Recursively expanded on purpose: nothing asks pkg-config before the
# packages are there (make check installs them first, in a sub-make).
XML_CFLAGS    = $(shell pkg-config --cflags libxml-2.0)
XML_LIBS      = $(shell pkg-config --libs libxml-2.0)
RRD_CFLAGS    = $(shell pkg-config --cflags librrd)
RRD_LIBS      = $(shell pkg-config --libs librrd)
CMOCKA_CFLAGS = $(shell pkg-config --cflags cmocka)
CMOCKA_LIBS   = $(shell pkg-config --libs cmocka)
# Only the defines net-snmp's headers need; its -O2/-g/-I. stay out.
SNMP_CFLAGS   = $(filter -D% -U%,$(shell net-snmp-config --base-cflags))
SNMP_LIBS     = -lnetsnmp
SNMP_AGENT_LIBS = -lnetsnmpagent -lnetsnmp

WARN      = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wformat=2 -Wno-format-nonliteral
OPT      ?= -O2 -g
CFLAGS   ?= $(OPT)
ALL_CFLAGS = -std=gnu11 $(WARN) $(CFLAGS) -D_GNU_SOURCE -Icommon $(XML_CFLAGS)
LDFLAGS  ?=
ifeq ($(SANITIZE),1)
ALL_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer \
              -fno-sanitize-recover=undefined
LDFLAGS    += -fsanitize=address,undefined
endif

BIN  = $(BUILD)/bin
OBJ  = $(BUILD)/obj
LIB  = $(BUILD)/lib
TBIN = $(BUILD)/tests

PROGRAMS   :=
UNIT_TESTS :=

# A unit test tests/unit/<part>/test_x.c becomes $(TBIN)/<part>/test_x,
# linked with the libraries its fragment names; XCFLAGS_<part> gives the
# part's test sources extra flags.  Defined before the fragments use it.
# $(call unit_tests,part,libraries to link)
define unit_tests
$(1)_UNIT := $$(patsubst tests/unit/$(1)/%.c,$$(TBIN)/$(1)/%,$$(wildcard tests/unit/$(1)/test_*.c))
UNIT_TESTS += $$($(1)_UNIT)
$$(TBIN)/$(1)/%: tests/unit/$(1)/%.c $$(filter %.a,$(2))
	@mkdir -p $$(@D)
	$$(CC) $$(ALL_CFLAGS) $$(CMOCKA_CFLAGS) $$(XCFLAGS_$(1)) -Itests/unit -o $$@ $$< \
		$$(LDFLAGS) $(2) $$(CMOCKA_LIBS)
endef

.PHONY: all check deps mibs unit integration clean install
all:

include common/common.mk
-include subagent/subagent.mk
-include monitor/monitor.mk
-include render/render.mk
include tests/tests.mk
-include tests/fuzz/fuzz.mk
-include dist/install.mk
-include demo.mk
-include bench.mk

all: $(PROGRAMS) mibs

# Object files: one rule for the tree; fragments add per-object flags
# (only the files that talk to net-snmp or librrd get their flags).
$(OBJ)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(XCFLAGS) -MMD -MP -c -o $@ $<

-include $(shell find $(OBJ) -name '*.d' 2>/dev/null)

mibs: $(BUILD)/mibs/.version
$(BUILD)/mibs/.version: scripts/fetch-mibs.sh
	scripts/fetch-mibs.sh $(BUILD)/mibs

deps:
	scripts/deps.sh

# make check: install what is missing, then build and run in a sub-make
# so that pkg-config is first asked once the packages are there.  Every
# input a fuzzer ever crashed a parser with is replayed (fuzz-regress,
# seconds); `make fuzz` does the fuzzing itself.
check:
	scripts/deps.sh
	$(MAKE) --no-print-directory all-tests
	$(MAKE) --no-print-directory unit integration
	$(MAKE) --no-print-directory fuzz-regress

clean:
	rm -rf $(BUILD)
