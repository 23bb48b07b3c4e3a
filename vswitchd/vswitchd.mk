# SPDX-License-Identifier: Apache-2.0
# vswitchd/: the switch daemon.  main.c holds only main(); everything else
# goes into an archive that unit tests can link.
VSWITCHD_MAIN_SRCS := $(wildcard vswitchd/main.c)
VSWITCHD_SRCS := $(filter-out $(VSWITCHD_MAIN_SRCS),$(sort $(wildcard vswitchd/*.c)))
ALL_OBJS += $(call objs,$(VSWITCHD_SRCS) $(VSWITCHD_MAIN_SRCS))
ifneq ($(VSWITCHD_MAIN_SRCS),)
LIBVSWITCHD := $(BUILD)/vswitchd/libvswitchd.a
$(LIBVSWITCHD): $(call objs,$(VSWITCHD_SRCS))
	$(call say,AR,$@)mkdir -p $(@D)
	$(Q)rm -f $@ && $(AR) rcs $@ $^
TEST_ARCHIVES += $(LIBVSWITCHD)
PROGRAMS += $(BUILD)/vswitchd/vswitchd
$(eval $(call link,$(BUILD)/vswitchd/vswitchd,$(call objs,$(VSWITCHD_MAIN_SRCS)) $(LIBVSWITCHD),))
endif
