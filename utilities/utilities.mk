# SPDX-License-Identifier: Apache-2.0
# utilities/: one program per utilities/<name>.c.
UTIL_SRCS := $(sort $(wildcard utilities/*.c))
UTIL_PROGS := $(patsubst %.c,$(BUILD)/%,$(UTIL_SRCS))
PROGRAMS += $(UTIL_PROGS)
ALL_OBJS += $(call objs,$(UTIL_SRCS))
$(foreach p,$(UTIL_SRCS),$(eval $(call link,$(patsubst %.c,$(BUILD)/%,$(p)),$(call objs,$(p)),)))
