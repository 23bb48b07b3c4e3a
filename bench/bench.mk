# SPDX-License-Identifier: Apache-2.0
# bench/: benchmarks, always side by side with the peers (bench/README.md).
BENCH_MICRO_SRCS := $(sort $(wildcard bench/micro/*.c))
BENCH_MICRO := $(patsubst %.c,$(BUILD)/%,$(BENCH_MICRO_SRCS))
TEST_PROGRAMS += $(BENCH_MICRO)
ALL_OBJS += $(call objs,$(BENCH_MICRO_SRCS))
$(foreach p,$(BENCH_MICRO_SRCS),$(eval $(call link,$(patsubst %.c,$(BUILD)/%,$(p)),$(call objs,$(p)) $(TEST_ARCHIVES),)))

bench-micro: $(BENCH_MICRO)
	$(Q)for b in $(BENCH_MICRO); do echo "== $$b"; $$b; done

.PHONY: bench-micro
