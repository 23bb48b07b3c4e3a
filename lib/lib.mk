# SPDX-License-Identifier: Apache-2.0
# lib/: everything reusable, one archive.  Every lib/*.c is part of it.
LIB_SRCS := $(sort $(wildcard lib/*.c))
LIB_OBJS := $(call objs,$(LIB_SRCS))
LIBVSWITCH := $(BUILD)/libvswitch.a
ALL_OBJS += $(LIB_OBJS)

$(LIBVSWITCH): $(LIB_OBJS)
	$(call say,AR,$@)mkdir -p $(@D)
	$(Q)rm -f $@ && $(AR) rcs $@ $^
