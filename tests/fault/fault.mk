# tests/fault/: small tools the fault-injection tests use
# (tests/integration/fault_*.sh, helpers in tests/lib/fault.sh).
#
#   fakeagent      a GREENDOT-MIB responder that answers GETs and
#                  GETBULKs right or wrong on purpose (wrong types,
#                  missing varbinds, huge strings, bad indexes, error
#                  statuses, garbage ...), and a sender of junk datagrams
#   journal-check  reads a DATA/journal with gd_journal_read and prints
#                  its records, bad records and torn tail

FAULT_TOOLS := $(TBIN)/fault/fakeagent $(TBIN)/fault/journal-check
.PHONY: fault-tools
fault-tools: $(FAULT_TOOLS)
all-tests: $(FAULT_TOOLS)

# fakeagent describes the tables with the poller's own table (poll_table.o),
# so both sides agree on the columns and their types.
$(TBIN)/fault/fakeagent: tests/fault/fakeagent.c $(OBJ)/monitor/poll_table.o $(LIBCOMMON)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(SNMP_CFLAGS) -Imonitor -o $@ $< \
		$(OBJ)/monitor/poll_table.o $(LIBCOMMON) $(LDFLAGS) $(SNMP_LIBS) $(COMMON_LIBS)

$(TBIN)/fault/journal-check: tests/fault/journal-check.c $(LIBCOMMON)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIBCOMMON) $(LDFLAGS) $(COMMON_LIBS)
