# demo.mk — `make demo`: the whole system on loopback under build/demo/
# (scripts/demo.sh), and the tools it plays with (tests/sim/).
#
#   make demo                      runs until Ctrl-C
#   make demo DEMO_SECONDS=60      runs 60 s, then stops (CI, scripts)
#   make demo DEMO_HISTORY=0       without the simulated week of history
#
# Like `make check`: installs what is missing first, then builds in a
# sub-make so that pkg-config is first asked once the packages are there.

DEMO_SECONDS ?=
DEMO_HISTORY ?= 1

# backfill: a week of simulated history into the demo's RRD files.
BACKFILL := $(TBIN)/sim/backfill
.PHONY: demo demo-build backfill
backfill: $(BACKFILL)
all-tests: $(BACKFILL)
$(BACKFILL): tests/sim/backfill.c $(LIBCOMMON)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(RRD_CFLAGS) -o $@ $< $(LIBCOMMON) \
		$(LDFLAGS) $(RRD_LIBS) $(COMMON_LIBS)

demo-build: all fakesvc $(BACKFILL)

demo:
	scripts/deps.sh
	$(MAKE) --no-print-directory demo-build
	@exec env BUILD=$(BUILD) DEMO_SECONDS=$(DEMO_SECONDS) DEMO_HISTORY=$(DEMO_HISTORY) \
		sh scripts/demo.sh
