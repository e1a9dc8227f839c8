# tests/fuzz/: libFuzzer harnesses, one per parser (STYLE.md practice 12),
# each with a committed seed corpus.
#
#   make fuzz [FUZZ_SECONDS=60] [FUZZ_JOBS=1] [FUZZ=config,state]
#       builds every harness (clang, -fsanitize=fuzzer,address,undefined)
#       and runs each for FUZZ_SECONDS on tests/fuzz/corpus/<name>/ plus
#       what earlier runs found (build/fuzz/corpus/<name>/, where new
#       inputs go); fails on any crash, leak or timeout, with a table of
#       runs, execs/s and coverage.  FUZZ_JOBS harnesses run at once.
#   make fuzz-regress
#       every harness once over its committed corpus and its regression
#       inputs (tests/fuzz/crashes/<name>/), no fuzzing: a few seconds.
#   make fuzz-build
#
# The fuzz build is apart from the normal one: its own objects under
# $(BUILD)/fuzz/obj, compiled by clang with coverage instrumentation
# (gcc objects cannot be reused).  No -Werror here: clang warns about
# other things than gcc, and the gcc build is the one that guards style.
# A crash: the input is in build/fuzz/artifacts/<name>/; fix the bug,
# then copy the input to tests/fuzz/crashes/<name>/ so fuzz-regress keeps
# it fixed.

FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_JOBS    ?= 1
FUZZ_TIMEOUT ?= 10
FUZZ         ?=
FUZZ_DIR     := $(BUILD)/fuzz
FUZZ_OBJ     := $(FUZZ_DIR)/obj
FUZZ_BIN     := $(FUZZ_DIR)/bin

FUZZ_SAN    = -fsanitize=address,undefined -fno-sanitize-recover=undefined \
              -fno-omit-frame-pointer
FUZZ_CFLAGS = -std=gnu11 -g -O1 -Wall -Wextra $(FUZZ_SAN) \
              -fsanitize=fuzzer-no-link -D_GNU_SOURCE -Icommon -Itests/fuzz \
              $(XML_CFLAGS)
FUZZ_XML_LIBS  = $(XML_LIBS) -lm
FUZZ_SNMP_LIBS = -lnetsnmp

FUZZ_NAMES :=

# $(call fuzz_harness,name,sources besides tests/fuzz/fuzz_<name>.c,libs)
define fuzz_harness
FUZZ_NAMES += $(1)
FUZZ_OBJS_$(1) := $$(patsubst %.c,$$(FUZZ_OBJ)/%.o,tests/fuzz/fuzz_$(1).c $(2))
$$(FUZZ_BIN)/fuzz_$(1): $$(FUZZ_OBJS_$(1))
	@mkdir -p $$(@D)
	$$(FUZZ_CC) $$(FUZZ_SAN) -fsanitize=fuzzer -o $$@ $$^ $(3)
endef

FUZZ_COMMON_SRCS := $(wildcard common/*.c)

$(eval $(call fuzz_harness,config,$(FUZZ_COMMON_SRCS),$$(FUZZ_XML_LIBS)))
$(eval $(call fuzz_harness,state,$(FUZZ_COMMON_SRCS),$$(FUZZ_XML_LIBS)))
$(eval $(call fuzz_harness,journal_parse,$(FUZZ_COMMON_SRCS),$$(FUZZ_XML_LIBS)))
$(eval $(call fuzz_harness,journal_read,$(FUZZ_COMMON_SRCS),$$(FUZZ_XML_LIBS)))
$(eval $(call fuzz_harness,iso8601,$(FUZZ_COMMON_SRCS),$$(FUZZ_XML_LIBS)))
$(eval $(call fuzz_harness,dateandtime,$(FUZZ_COMMON_SRCS),$$(FUZZ_XML_LIBS)))

# The parts written beside common/: a harness joins when its sources do.
FUZZ_NEWS_SRCS := render/news.c render/text.c
ifeq ($(words $(wildcard $(FUZZ_NEWS_SRCS))),2)
$(eval $(call fuzz_harness,news,$(FUZZ_NEWS_SRCS) $(FUZZ_COMMON_SRCS),$$(FUZZ_XML_LIBS)))
$(eval $(call fuzz_harness,text,render/text.c,))
endif

FUZZ_INC_SRCS := render/incidents.c render/model.c render/clock.c \
                 render/news.c render/text.c
ifeq ($(words $(wildcard $(FUZZ_INC_SRCS))),5)
$(eval $(call fuzz_harness,incidents,$(FUZZ_INC_SRCS) $(FUZZ_COMMON_SRCS),$$(FUZZ_XML_LIBS)))
endif

ifneq ($(wildcard subagent/probe_proto.c),)
$(eval $(call fuzz_harness,probe,subagent/probe_proto.c,))
endif

FUZZ_ASTATE_SRCS := subagent/agentstate.c subagent/model.c
ifeq ($(words $(wildcard $(FUZZ_ASTATE_SRCS))),2)
$(eval $(call fuzz_harness,astate,$(FUZZ_ASTATE_SRCS) $(FUZZ_COMMON_SRCS),$$(FUZZ_XML_LIBS)))
endif

FUZZ_TRAP_SRCS := monitor/trap_pdu.c monitor/poll_table.c
ifeq ($(words $(wildcard $(FUZZ_TRAP_SRCS))),2)
$(eval $(call fuzz_harness,trap,$(FUZZ_TRAP_SRCS) $(FUZZ_COMMON_SRCS),$$(FUZZ_SNMP_LIBS) $$(FUZZ_XML_LIBS)))
$(eval $(call fuzz_harness,ptab,monitor/poll_table.c $(FUZZ_COMMON_SRCS),$$(FUZZ_SNMP_LIBS) $$(FUZZ_XML_LIBS)))
endif

# Per-object flags, as the normal build gives them (only what talks to
# net-snmp sees its defines).
$(FUZZ_OBJ)/common/xmlsafe.o: FUZZ_XCFLAGS += -DGD_SCHEMA_DIR='"$(GD_SCHEMA_DIR)"'
$(FUZZ_OBJ)/render/%.o: FUZZ_XCFLAGS += -Irender
$(FUZZ_OBJ)/subagent/%.o: FUZZ_XCFLAGS += -Isubagent
$(FUZZ_OBJ)/monitor/%.o: FUZZ_XCFLAGS += $(SNMP_CFLAGS) -Imonitor
$(FUZZ_OBJ)/tests/fuzz/fuzz_news.o $(FUZZ_OBJ)/tests/fuzz/fuzz_text.o \
	$(FUZZ_OBJ)/tests/fuzz/fuzz_incidents.o: FUZZ_XCFLAGS += -Irender
$(FUZZ_OBJ)/tests/fuzz/fuzz_probe.o: FUZZ_XCFLAGS += -Isubagent
$(FUZZ_OBJ)/tests/fuzz/fuzz_astate.o: FUZZ_XCFLAGS += -Isubagent \
	-DFUZZ_EXAMPLE_CONFIG='"$(abspath examples/aluminati.xml)"'
$(FUZZ_OBJ)/tests/fuzz/fuzz_trap.o $(FUZZ_OBJ)/tests/fuzz/fuzz_ptab.o: \
	FUZZ_XCFLAGS += $(SNMP_CFLAGS) -Imonitor

$(FUZZ_OBJ)/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_XCFLAGS) -MMD -MP -c -o $@ $<

-include $(shell find $(FUZZ_OBJ) -name '*.d' 2>/dev/null)

# FUZZ=a,b picks harnesses by name.
FUZZ_PICK = $(if $(FUZZ),$(filter $(subst $(comma), ,$(FUZZ)),$(FUZZ_NAMES)),$(FUZZ_NAMES))
comma := ,
FUZZ_BINS = $(FUZZ_PICK:%=$(FUZZ_BIN)/fuzz_%)

.PHONY: fuzz fuzz-build fuzz-regress
fuzz-build: $(FUZZ_BINS)

fuzz: fuzz-build
	FUZZ_BUILD=$(FUZZ_DIR) FUZZ_TIMEOUT=$(FUZZ_TIMEOUT) \
		tests/fuzz/run.sh fuzz $(FUZZ_SECONDS) $(FUZZ_JOBS) $(FUZZ_PICK)

fuzz-regress: fuzz-build
	FUZZ_BUILD=$(FUZZ_DIR) FUZZ_TIMEOUT=$(FUZZ_TIMEOUT) \
		tests/fuzz/run.sh regress $(FUZZ_PICK)
