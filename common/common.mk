# common/: code the programs share (config model, log, atomic files, time).
COMMON_SRCS := $(wildcard common/*.c)
COMMON_OBJS := $(COMMON_SRCS:%.c=$(OBJ)/%.o)
LIBCOMMON   := $(LIB)/libgdcommon.a
COMMON_LIBS  = $(XML_LIBS) -lm

$(LIBCOMMON): $(COMMON_OBJS)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^
