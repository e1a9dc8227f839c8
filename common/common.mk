# common/: code the programs share (config model, log, atomic files, time).
COMMON_SRCS := $(wildcard common/*.c)
COMMON_OBJS := $(COMMON_SRCS:%.c=$(OBJ)/%.o)
LIBCOMMON   := $(LIB)/libgdcommon.a
COMMON_LIBS  = $(XML_LIBS) -lm

$(LIBCOMMON): $(COMMON_OBJS)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

# Where the programs find the shipped RELAX NG schemas (greendot.rng,
# state.rng): the source tree for a build; `make install` rebuilds with
# GD_SCHEMA_DIR=$(PREFIX)/share/greendot.  Only xmlsafe.o sees it: every
# module asks gd_schema_path().  Changing it needs a rebuild of xmlsafe.o.
GD_SCHEMA_DIR ?= $(abspath common)
$(OBJ)/common/xmlsafe.o: XCFLAGS += -DGD_SCHEMA_DIR='"$(GD_SCHEMA_DIR)"'
