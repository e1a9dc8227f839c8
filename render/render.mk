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

XCFLAGS_render = $(RRD_CFLAGS)
$(eval $(call unit_tests,render,$$(LIBRENDER) $$(LIBCOMMON) $$(RENDER_LIBS) $$(COMMON_LIBS)))
