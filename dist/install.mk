# dist/install.mk — make install / make uninstall (included by the
# Makefile after every part's fragment, so PROGRAMS is complete here).
#
#   make install   [PREFIX=/usr/local] [DESTDIR=] [SYSTEMDUNITDIR=...]
#   make uninstall [PREFIX=/usr/local] [DESTDIR=] [SYSTEMDUNITDIR=...]
#
# What goes where (PREFIX=/usr/local):
#
#   build/install/bin/greendot-*   PREFIX/bin/                      0755
#   common/*.rng                   PREFIX/share/greendot/           0644
#   mib/GREENDOT-MIB.txt           PREFIX/share/snmp/mibs/          0644
#   doc/man/*.[158]                PREFIX/share/man/man{1,5,8}/     0644
#   examples/*, README.md          PREFIX/share/doc/greendot/       0644
#   dist/systemd/*.service         SYSTEMDUNITDIR/                  0644
#
# SYSTEMDUNITDIR is PREFIX/lib/systemd/system (systemd looks in
# /usr/local/lib/systemd/system too), or /lib/systemd/system for
# PREFIX=/usr, as Debian's packages have it.  The units and the man pages
# are installed with @PREFIX@, @BINDIR@ and @DATADIR@ replaced.  Nothing
# is put in /etc or /var: the units name /etc/greendot/greendot.xml and
# /var/lib/greendot, which the operator fills (see greendot-agent(8)).
#
# The installed programs find the schemas in PREFIX/share/greendot, a path
# compiled into xmlsafe.o (GD_SCHEMA_DIR, common/common.mk).  So install
# does not copy build/bin: it builds the programs again in $(BUILD)/install
# with GD_SCHEMA_DIR set to that folder, and the developer build in
# $(BUILD) keeps pointing at the source tree.  A program is installed only
# if the tree builds it (PROGRAMS); its man page and unit go with it.

BINDIR         ?= $(PREFIX)/bin
DATADIR        ?= $(PREFIX)/share
MANDIR         ?= $(DATADIR)/man
MIBINSTDIR     ?= $(DATADIR)/snmp/mibs
GD_SHAREDIR     = $(DATADIR)/greendot
GD_DOCDIR       = $(DATADIR)/doc/greendot
GD_EXAMPLESDIR  = $(GD_DOCDIR)/examples
ifeq ($(PREFIX),/usr)
SYSTEMDUNITDIR ?= /lib/systemd/system
else
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
endif
INSTALL        ?= install

GD_INSTALL_BUILD := $(BUILD)/install
GD_PROGS         := $(notdir $(PROGRAMS))
GD_ALL_PROGS     := greendot-agent greendot-monitor greendot-render
GD_SCHEMAS       := $(wildcard common/*.rng)
GD_EXAMPLES      := $(foreach f,$(wildcard examples/*),$(if $(wildcard $(f)/.),,$(f)))
# man page per program (section 1 or 8), the config's page, and units
GD_MAN_PROGS     := $(foreach p,$(GD_PROGS),$(wildcard doc/man/$(p).[18]))
GD_MAN_ALL       := $(foreach p,$(GD_ALL_PROGS),$(p).1 $(p).8) greendot.xml.5
GD_UNITS         := $(foreach p,$(GD_PROGS),$(wildcard dist/systemd/$(p).service))
GD_UNITS_ALL     := $(foreach p,$(GD_ALL_PROGS),$(p).service)

# The man pages and units with @PREFIX@, @BINDIR@ and @DATADIR@ replaced,
# made in $(GD_INSTALL_BUILD)/dist; a placeholder left over is an error.
# The stamp holds the values: another PREFIX makes them again.
GD_GEN        := $(GD_INSTALL_BUILD)/dist
GD_GEN_MANS   := $(GD_MAN_PROGS:doc/man/%=$(GD_GEN)/man/%) $(GD_GEN)/man/greendot.xml.5
GD_GEN_UNITS  := $(GD_UNITS:dist/systemd/%=$(GD_GEN)/systemd/%)
GD_SUBST_VARS := $(PREFIX):$(BINDIR):$(DATADIR)
GD_SUBST_STAMP := $(GD_GEN)/subst-values

.PHONY: install uninstall install-programs gd-install-build gd-force
gd-force:

# The sub-make: programs only (no MIB download), schema folder compiled in.
gd-install-build:
	$(MAKE) --no-print-directory BUILD=$(GD_INSTALL_BUILD) \
		GD_SCHEMA_DIR=$(GD_SHAREDIR) install-programs

install-programs: $(PROGRAMS)

# xmlsafe.o depends on the value of GD_SCHEMA_DIR: a stamp rewritten
# only when that value changes, so that another PREFIX rebuilds it.
GD_SCHEMA_STAMP := $(OBJ)/common/xmlsafe.schema-dir
$(OBJ)/common/xmlsafe.o: $(GD_SCHEMA_STAMP)
$(GD_SCHEMA_STAMP): gd-force
	@mkdir -p $(@D)
	@echo '$(GD_SCHEMA_DIR)' | cmp -s - $@ 2>/dev/null || \
		echo '$(GD_SCHEMA_DIR)' >$@

$(GD_SUBST_STAMP): gd-force
	@mkdir -p $(@D)
	@echo '$(GD_SUBST_VARS)' | cmp -s - $@ 2>/dev/null || \
		echo '$(GD_SUBST_VARS)' >$@

define gd_subst
	@mkdir -p $(@D)
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@BINDIR@|$(BINDIR)|g' \
	    -e 's|@DATADIR@|$(DATADIR)|g' $< >$@.tmp
	@if grep -n '@[A-Z][A-Z]*@' $@.tmp; then \
		echo "$<: placeholder left after substitution" >&2; \
		rm -f $@.tmp; exit 1; fi
	mv -f $@.tmp $@
endef
$(GD_GEN)/man/%: doc/man/% $(GD_SUBST_STAMP)
	$(gd_subst)
$(GD_GEN)/systemd/%: dist/systemd/% $(GD_SUBST_STAMP)
	$(gd_subst)

install: gd-install-build $(GD_GEN_MANS) $(GD_GEN_UNITS)
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(GD_SHAREDIR) \
		$(DESTDIR)$(MIBINSTDIR) $(DESTDIR)$(GD_EXAMPLESDIR)
	for p in $(GD_PROGS); do \
		$(INSTALL) -m 0755 $(GD_INSTALL_BUILD)/bin/$$p \
			$(DESTDIR)$(BINDIR)/$$p || exit 1; \
	done
	$(INSTALL) -m 0644 $(GD_SCHEMAS) $(DESTDIR)$(GD_SHAREDIR)/
	$(INSTALL) -m 0644 mib/GREENDOT-MIB.txt $(DESTDIR)$(MIBINSTDIR)/
	$(INSTALL) -m 0644 README.md $(DESTDIR)$(GD_DOCDIR)/
	$(if $(GD_EXAMPLES),$(INSTALL) -m 0644 $(GD_EXAMPLES) $(DESTDIR)$(GD_EXAMPLESDIR)/)
	for m in $(GD_GEN_MANS); do \
		d=$(DESTDIR)$(MANDIR)/man$${m##*.}; \
		$(INSTALL) -d $$d && $(INSTALL) -m 0644 $$m $$d/ || exit 1; \
	done
	$(if $(GD_GEN_UNITS),$(INSTALL) -d $(DESTDIR)$(SYSTEMDUNITDIR))
	$(if $(GD_GEN_UNITS),$(INSTALL) -m 0644 $(GD_GEN_UNITS) $(DESTDIR)$(SYSTEMDUNITDIR)/)

# Everything install may have put there, built now or not; the folders
# that are greendot's alone go too, shared ones (bin, man8, ...) stay.
uninstall:
	rm -f $(addprefix $(DESTDIR)$(BINDIR)/,$(GD_ALL_PROGS))
	rm -f $(DESTDIR)$(MIBINSTDIR)/GREENDOT-MIB.txt
	rm -f $(foreach m,$(GD_MAN_ALL),$(DESTDIR)$(MANDIR)/man$(subst .,,$(suffix $(m)))/$(m))
	rm -f $(addprefix $(DESTDIR)$(SYSTEMDUNITDIR)/,$(GD_UNITS_ALL))
	rm -rf $(DESTDIR)$(GD_SHAREDIR) $(DESTDIR)$(GD_DOCDIR)
