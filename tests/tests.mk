# SPDX-License-Identifier: Apache-2.0
#
# tests/: the tiers of `make check`.
#
#   tests/unit/test-<module>.c   cmocka, no privileges      check-unit
#   tests/system/*.sh            namespaces, root           check-system
#   tests/interop/*.sh           Debian's Open vSwitch      check-interop
#   tests/kmod/*.sh              our module in QEMU         check-kmod
#   tests/fuzz/fuzz-<x>.c        libFuzzer, bounded runs    check-fuzz
#   tests/helpers/<x>.c          programs the tests drive
#
# tests/run-tier.sh runs one tier and records one line per result in
# $(BUILD)/tests/results; tests/summary.sh prints the closing line.

UNIT_SRCS := $(sort $(wildcard tests/unit/test-*.c))
UNIT_TESTS += $(patsubst %.c,$(BUILD)/%,$(UNIT_SRCS))
ALL_OBJS += $(call objs,$(UNIT_SRCS))
UNIT_SUPPORT_SRCS := $(sort $(wildcard tests/unit/support-*.c))
UNIT_SUPPORT_OBJS := $(call objs,$(UNIT_SUPPORT_SRCS))
ALL_OBJS += $(UNIT_SUPPORT_OBJS)

$(BUILD)/tests/unit/%.o: EXTRA_CMOCKA = $(CMOCKA_CFLAGS)
$(BUILD)/tests/unit/test-%: $(BUILD)/tests/unit/test-%.o $(UNIT_SUPPORT_OBJS) $(TEST_ARCHIVES) $(LIBVSWITCH)
	$(call say,LINK,$@)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $< $(UNIT_SUPPORT_OBJS) $(TEST_ARCHIVES) \
		$(LIBVSWITCH) $(CMOCKA_LIBS) $(PKG_LIBS) -lm

HELPER_SRCS := $(sort $(wildcard tests/helpers/*.c))
TEST_PROGRAMS += $(patsubst %.c,$(BUILD)/%,$(HELPER_SRCS))
ALL_OBJS += $(call objs,$(HELPER_SRCS))
$(foreach p,$(HELPER_SRCS),$(eval $(call link,$(patsubst %.c,$(BUILD)/%,$(p)),$(call objs,$(p)) $(TEST_ARCHIVES),)))

# Fuzz targets: clang + libFuzzer + ASan/UBSan in their own tree.
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz-*.c))
FUZZ_BUILD := build/fuzz
fuzz:
	$(Q)$(MAKE) --no-print-directory CC=clang SANITIZE=address,undefined \
		FUZZ=1 BUILD=$(FUZZ_BUILD) fuzz-targets
ifneq ($(FUZZ),)
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,$(BUILD)/tests/fuzz/%,$(FUZZ_SRCS))
ALL_OBJS += $(call objs,$(FUZZ_SRCS))
$(BUILD)/tests/fuzz/fuzz-%: $(BUILD)/tests/fuzz/fuzz-%.o $(TEST_ARCHIVES) $(LIBVSWITCH)
	$(call say,LINK,$@)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_LDFLAGS) -fsanitize=fuzzer -o $@ $< $(TEST_ARCHIVES) \
		$(LIBVSWITCH) $(PKG_LIBS) -lm
endif
fuzz-targets: $(FUZZ_TARGETS)

# The tiers.  Each records its results; `check` prints the summary.
TIER = $(Q)BUILD=$(BUILD) tests/run-tier.sh

check-unit: $(UNIT_TESTS)
	$(TIER) unit
check-system: all
	$(TIER) system
check-interop: all
	$(TIER) interop
check-kmod: all
	$(TIER) kmod
check-fuzz: fuzz
	$(TIER) fuzz
check-bench: all
	$(TIER) bench

CHECK_TIERS ?= unit system interop kmod fuzz bench

# `make check` is every test after `make deps` installed every
# prerequisite, so a skip there is a failure, as under CI=true (sudo drops
# the caller's environment, so the README's `sudo make check` could not
# pass CI=true in anyway).  The single tiers report skips unless CI=true.
check: export CI = true
check:
	$(Q)$(MAKE) --no-print-directory deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)BUILD=$(BUILD) tests/run-tier.sh --reset
	$(Q)for t in $(CHECK_TIERS); do \
	    $(MAKE) --no-print-directory check-$$t || \
	        BUILD=$(BUILD) tests/run-tier.sh --ensure $$t; \
	done
	$(Q)BUILD=$(BUILD) tests/summary.sh

.PHONY: check check-unit check-system check-interop check-kmod check-fuzz \
        check-bench fuzz fuzz-targets
