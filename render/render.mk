# render/: greendot-render, the static status site.
#
# Everything but main.c goes into libgdrender.a, which the unit tests
# link.  Only the files that talk to librrd get its flags: list them in
# RENDER_RRD_SRCS.
RENDER_SRCS     := $(filter-out render/main.c,$(wildcard render/*.c))
RENDER_OBJS     := $(RENDER_SRCS:%.c=$(OBJ)/%.o)
RENDER_RRD_SRCS := $(wildcard render/graph*.c render/avail*.c)
LIBRENDER       := $(LIB)/libgdrender.a
RENDER_LIBS      = $(RRD_LIBS)

$(RENDER_RRD_SRCS:%.c=$(OBJ)/%.o): XCFLAGS += $(RRD_CFLAGS)

$(LIBRENDER): $(RENDER_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && $(AR) rcs $@ $^

ifneq ($(wildcard render/main.c),)
PROGRAMS += $(BIN)/greendot-render
endif
$(BIN)/greendot-render: $(OBJ)/render/main.o $(LIBRENDER) $(LIBCOMMON)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(RENDER_LIBS) $(COMMON_LIBS)

# The test fixture (tests/unit/render/fixture.[ch]: a data directory
# with known state, journal and RRD history) is linked into the unit
# tests and into render-fixture, which the integration tests and the
# benchmark run.
RFIX_OBJ     := $(OBJ)/tests/unit/render/fixture.o
LIBRFIX      := $(LIB)/libgdrenderfixture.a
RENDER_FIXTURE := $(TBIN)/render/render-fixture

$(RFIX_OBJ) $(OBJ)/tests/unit/render/fixture_main.o: XCFLAGS += $(RRD_CFLAGS)
$(LIBRFIX): $(RFIX_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && $(AR) rcs $@ $^
$(RENDER_FIXTURE): $(OBJ)/tests/unit/render/fixture_main.o $(LIBRFIX) $(LIBCOMMON)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(RENDER_LIBS) $(COMMON_LIBS)
all-tests: $(RENDER_FIXTURE)

# Unit tests: tests/unit/render/test_*.c, each linked with the fixture,
# the renderer's library and librrd.
XCFLAGS_render = $(RRD_CFLAGS) -Irender
RENDER_TEST_LIBS = $(LIBRFIX) $(LIBRENDER) $(LIBCOMMON) $(RENDER_LIBS) $(COMMON_LIBS)
$(eval $(call unit_tests,render,$$(RENDER_TEST_LIBS)))
