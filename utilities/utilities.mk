# SPDX-License-Identifier: Apache-2.0
# utilities/: one program per utilities/<name>.c.
UTIL_SRCS := $(sort $(wildcard utilities/*.c))
UTIL_PROGS := $(patsubst %.c,$(BUILD)/%,$(UTIL_SRCS))
PROGRAMS += $(UTIL_PROGS)
ALL_OBJS += $(call objs,$(UTIL_SRCS))
# vswitch-ctl's other modules live in utilities/ctl/.
CTL_SRCS := $(sort $(wildcard utilities/ctl/*.c))
CTL_OBJS := $(call objs,$(CTL_SRCS))
ALL_OBJS += $(CTL_OBJS)
$(foreach p,$(UTIL_SRCS),$(eval $(call link,$(patsubst %.c,$(BUILD)/%,$(p)),$(call objs,$(p)) $(if $(filter utilities/vswitch-ctl.c,$(p)),$(CTL_OBJS)),)))

# Drop-in for ovs-vsctl: a compat directory that holds only an "ovs-vsctl"
# symlink to vswitch-ctl.  Nothing is written to bin/, so a real Open
# vSwitch install is never clobbered; put the directory first on PATH
# (e.g. for libvirtd) to use it.  See docs/vswitch-ctl.md.
COMPAT_DIR = $(PREFIX)/libexec/vswitch/compat
install: install-ctl-compat
install-ctl-compat:
	install -d $(DESTDIR)$(COMPAT_DIR)
	ln -sf $(PREFIX)/bin/vswitch-ctl $(DESTDIR)$(COMPAT_DIR)/ovs-vsctl
.PHONY: install-ctl-compat
