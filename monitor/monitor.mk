# monitor/: greendot-monitor, the poller, notification listener and RRD
# writer.
#
# Everything but main.c goes into libgdmonitor.a, which the unit tests
# link.  Only the files that talk to net-snmp or librrd get their flags:
# list them in MONITOR_SNMP_SRCS / MONITOR_RRD_SRCS.
MONITOR_SRCS      := $(filter-out monitor/main.c,$(wildcard monitor/*.c))
MONITOR_OBJS      := $(MONITOR_SRCS:%.c=$(OBJ)/%.o)
MONITOR_SNMP_SRCS := $(filter $(wildcard monitor/poll*.c monitor/trap*.c monitor/snmp*.c),$(MONITOR_SRCS)) monitor/main.c
MONITOR_RRD_SRCS  := $(wildcard monitor/rrdw*.c)
LIBMONITOR        := $(LIB)/libgdmonitor.a
MONITOR_LIBS       = $(SNMP_LIBS) $(RRD_LIBS)

$(MONITOR_SNMP_SRCS:%.c=$(OBJ)/%.o): XCFLAGS += $(SNMP_CFLAGS)
$(MONITOR_RRD_SRCS:%.c=$(OBJ)/%.o): XCFLAGS += $(RRD_CFLAGS)

$(LIBMONITOR): $(MONITOR_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && $(AR) rcs $@ $^

ifneq ($(wildcard monitor/main.c),)
PROGRAMS += $(BIN)/greendot-monitor
endif
$(BIN)/greendot-monitor: $(OBJ)/monitor/main.o $(LIBMONITOR) $(LIBCOMMON)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(MONITOR_LIBS) $(COMMON_LIBS)

XCFLAGS_monitor = $(SNMP_CFLAGS) $(RRD_CFLAGS) -Imonitor
$(eval $(call unit_tests,monitor,$$(LIBMONITOR) $$(LIBCOMMON) $$(MONITOR_LIBS) $$(COMMON_LIBS)))
