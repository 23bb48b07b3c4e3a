# SPDX-License-Identifier: Apache-2.0
# ovsdb-lite/: the database server.  main.c holds only main(); everything
# else goes into an archive that unit tests can link.  tool-main.c is the
# main() of ovsdb-lite-tool, the offline file tool.
OVSDB_MAIN_SRCS := $(wildcard ovsdb-lite/main.c)
OVSDB_TOOL_SRCS := $(wildcard ovsdb-lite/tool-main.c)
OVSDB_SRCS := $(filter-out $(OVSDB_MAIN_SRCS) $(OVSDB_TOOL_SRCS),$(sort $(wildcard ovsdb-lite/*.c)))
ALL_OBJS += $(call objs,$(OVSDB_SRCS) $(OVSDB_MAIN_SRCS) $(OVSDB_TOOL_SRCS))
ifneq ($(OVSDB_MAIN_SRCS),)
LIBOVSDB_SERVER := $(BUILD)/ovsdb-lite/libovsdb-server.a
$(LIBOVSDB_SERVER): $(call objs,$(OVSDB_SRCS))
	$(call say,AR,$@)mkdir -p $(@D)
	$(Q)rm -f $@ && $(AR) rcs $@ $^
TEST_ARCHIVES += $(LIBOVSDB_SERVER)
PROGRAMS += $(BUILD)/ovsdb-lite/ovsdb-lite
$(eval $(call link,$(BUILD)/ovsdb-lite/ovsdb-lite,$(call objs,$(OVSDB_MAIN_SRCS)) $(LIBOVSDB_SERVER),))
ifneq ($(OVSDB_TOOL_SRCS),)
PROGRAMS += $(BUILD)/ovsdb-lite/ovsdb-lite-tool
$(eval $(call link,$(BUILD)/ovsdb-lite/ovsdb-lite-tool,$(call objs,$(OVSDB_TOOL_SRCS)) $(LIBOVSDB_SERVER),))
endif
endif
