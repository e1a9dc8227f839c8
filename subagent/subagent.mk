# subagent/: greendot-agent, the AgentX subagent.
#
# Everything but main.c goes into libgdagent.a, which the unit tests link.
# Only the files that talk to net-snmp get its flags: list them in
# AGENT_SNMP_SRCS.
AGENT_SRCS      := $(filter-out subagent/main.c,$(wildcard subagent/*.c))
AGENT_OBJS      := $(AGENT_SRCS:%.c=$(OBJ)/%.o)
AGENT_SNMP_SRCS := subagent/agentx.c subagent/mib.c subagent/mib_values.c \
                   subagent/notify.c
LIBAGENT        := $(LIB)/libgdagent.a
AGENT_LIBS       = $(SNMP_AGENT_LIBS)

$(AGENT_SNMP_SRCS:%.c=$(OBJ)/%.o) $(OBJ)/subagent/main.o: XCFLAGS += $(SNMP_CFLAGS)

$(LIBAGENT): $(AGENT_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && $(AR) rcs $@ $^

PROGRAMS += $(BIN)/greendot-agent
$(BIN)/greendot-agent: $(OBJ)/subagent/main.o $(LIBAGENT) $(LIBCOMMON)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(AGENT_LIBS) $(COMMON_LIBS)

XCFLAGS_agent = $(SNMP_CFLAGS)
$(eval $(call unit_tests,agent,$$(LIBAGENT) $$(LIBCOMMON) $$(AGENT_LIBS) $$(COMMON_LIBS)))
