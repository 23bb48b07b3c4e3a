# SPDX-License-Identifier: Apache-2.0
# bench/: benchmarks, always side by side with the peers (bench/README.md).
#
#   make bench          host kinds, 3 rounds (~10 min): writes
#                       bench/results/host-<date>.md + .png and the latest
#                       table in bench/README.md
#   make bench-quick    1 round of short tests (~2 min), results under
#                       $(BUILD)/bench/ (the check-bench smoke test)
#   make bench-vm       the kernel-datapath kinds inside QEMU (needs
#                       tests/kmod/vmrun.sh): bench/results/vm-<date>.md
#   make bench-micro    the microbenchmarks of bench/micro/
#   make bench-slowpath the slow-path benchmark (issue 9: flow setup rate,
#                       megaflows/masks/hit rate of an ACL pipeline,
#                       throughput with 10-1000 megaflows over 1-30 masks),
#                       ours vs ovs-netdev, 3 rounds (~10 min):
#                       bench/results/slowpath-<date>.md
#   make bench-slowpath-quick  1 short round, results under $(BUILD)/bench/
#   make bench-kernel   the kernel-datapath benchmark (issue 11) in ONE
#                       QEMU boot: our vswitchd + ovsdb-lite on
#                       vswitch_dp.ko vs Debian's ovs-vswitchd on
#                       openvswitch.ko, 3 interleaved rounds (~15-30 min):
#                       flow setup rate, steady-state 64 B pps, daemon
#                       CPU per setup and per Mpkt;
#                       bench/results/kernel-<date>.md and the kernel
#                       table in bench/README.md
#   make bench-kernel-quick  1 short round (~5 min), results under
#                       $(BUILD)/bench/kernel-quick (the check-bench
#                       smoke test)
#   make bench-vxlan    the VXLAN overlay benchmark: VM to VM across two
#                       hypervisor namespaces over VXLAN VNI 42, kinds
#                       linux, ovs (Debian's, netdev datapath) and ours,
#                       3 interleaved rounds (~6 min): TCP Gbit/s, 64 B
#                       pps, switch CPU per unit;
#                       bench/results/vxlan-<date>.md
#   make bench-vxlan-quick  1 round of 2 s tests, results under
#                       $(BUILD)/bench/vxlan-quick (the check-bench smoke
#                       test)
#   make bench-kernel-vxlan  the VXLAN overlay on the kernel datapath in
#                       ONE QEMU boot: our vswitchd on vswitch_dp.ko vs
#                       Debian's ovs-vswitchd on openvswitch.ko, one
#                       daemon per hypervisor namespace, VNI 42, 3
#                       interleaved rounds: TCP Gbit/s, 64 B pps
#                       (pktgen), daemon CPU per unit;
#                       bench/results/kernel-vxlan-<date>.md
#   make bench-kernel-vxlan-quick  1 round of 2 s windows (~5 min),
#                       results under $(BUILD)/bench/kernel-vxlan-quick
#                       (the check-bench smoke test)
# Knobs: BENCH_ROUNDS=N, BENCH_KINDS="k1 k2", BENCH_VMS=3;
# VXLAN_KINDS="linux ovs ours linux-txoff" for bench-vxlan.
BENCH_MICRO_SRCS := $(sort $(wildcard bench/micro/*.c))
BENCH_MICRO := $(patsubst %.c,$(BUILD)/%,$(BENCH_MICRO_SRCS))
TEST_PROGRAMS += $(BENCH_MICRO)
ALL_OBJS += $(call objs,$(BENCH_MICRO_SRCS))
$(foreach p,$(BENCH_MICRO_SRCS),$(eval $(call link,$(patsubst %.c,$(BUILD)/%,$(p)),$(call objs,$(p)) $(TEST_ARCHIVES),)))

bench-micro: $(BENCH_MICRO)
	$(Q)for b in $(BENCH_MICRO); do echo "== $$b"; $$b; done

# The xdp-limit kind: a BPF object (clang -target bpf) and its loader.
BPF_CLANG ?= clang
BENCH_XDP_OBJ := $(BUILD)/bench/xdp/fwd.bpf.o
BENCH_XDP_LOADER := $(BUILD)/bench/xdp/vsb-xdp-fwd
BENCH_BPF_ARCH_INC := /usr/include/$(shell uname -m)-linux-gnu

$(BENCH_XDP_OBJ): bench/xdp/fwd.bpf.c
	$(call say,BPF,$@)mkdir -p $(@D)
	$(Q)$(BPF_CLANG) -O2 -g -Wall -Werror -target bpf \
		-I$(BENCH_BPF_ARCH_INC) -c -o $@ $<

$(BENCH_XDP_LOADER): bench/xdp/fwd-loader.c
	$(call say,CCLD,$@)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(shell $(PKG_CONFIG) --cflags libbpf) \
		$(ALL_LDFLAGS) -o $@ $< $(shell $(PKG_CONFIG) --libs libbpf)

bench-build: $(BENCH_XDP_OBJ) $(BENCH_XDP_LOADER)

BENCH_ENV = BUILD=$(BUILD) $(foreach v,BENCH_ROUNDS BENCH_VMS BENCH_SECS,$(if $($(v)),$(v)=$($(v))))
BENCH_RUN = $(BENCH_ENV) bench/run.sh $(if $(BENCH_KINDS),--kinds "$(BENCH_KINDS)")

bench: bench-build
	$(Q)$(BENCH_RUN) --readme

BENCH_QUICK_OUT ?= $(BUILD)/bench/quick
bench-quick: bench-build
	$(Q)$(BENCH_RUN) --quick --out $(BENCH_QUICK_OUT) \
		--report $(BENCH_QUICK_OUT)/report.md

bench-slowpath: all
	$(Q)$(BENCH_ENV) bench/slowpath.sh

BENCH_SP_QUICK_OUT ?= $(BUILD)/bench/slowpath-quick
bench-slowpath-quick: all
	$(Q)$(BENCH_ENV) bench/slowpath.sh --quick --out $(BENCH_SP_QUICK_OUT) \
		--report $(BENCH_SP_QUICK_OUT)/report.md

bench-vm: bench-build
	$(Q)$(BENCH_ENV) bench/vm/run-vm.sh

bench-kernel: all
	$(Q)$(BENCH_ENV) bench/vm/kernel-bench.sh --readme

BENCH_KERNEL_QUICK_OUT ?= $(BUILD)/bench/kernel-quick
bench-kernel-quick: all
	$(Q)$(BENCH_ENV) bench/vm/kernel-bench.sh --quick \
		--out $(BENCH_KERNEL_QUICK_OUT) \
		--report $(BENCH_KERNEL_QUICK_OUT)/report.md

VXLAN_ARGS = $(if $(VXLAN_KINDS),--kinds "$(VXLAN_KINDS)")
bench-vxlan: all
	$(Q)$(BENCH_ENV) bench/vxlan.sh $(VXLAN_ARGS)

BENCH_VX_QUICK_OUT ?= $(BUILD)/bench/vxlan-quick
bench-vxlan-quick: all
	$(Q)rm -rf $(BENCH_VX_QUICK_OUT)
	$(Q)$(BENCH_ENV) bench/vxlan.sh --quick $(VXLAN_ARGS) \
		--out $(BENCH_VX_QUICK_OUT) --report $(BENCH_VX_QUICK_OUT)/report.md

.PHONY: bench-vxlan bench-vxlan-quick

bench-kernel-vxlan: all
	$(Q)$(BENCH_ENV) bench/vm/kernel-vxlan-bench.sh

BENCH_KVX_QUICK_OUT ?= $(BUILD)/bench/kernel-vxlan-quick
bench-kernel-vxlan-quick: all
	$(Q)$(BENCH_ENV) bench/vm/kernel-vxlan-bench.sh --quick \
		--out $(BENCH_KVX_QUICK_OUT) \
		--report $(BENCH_KVX_QUICK_OUT)/report.md

.PHONY: bench-kernel-vxlan bench-kernel-vxlan-quick
.PHONY: bench bench-quick bench-slowpath bench-slowpath-quick bench-vm bench-build bench-micro \
        bench-kernel bench-kernel-quick

# The OpenFlow flow-table benchmark (bench/openflow/, issue 8): 100,000
# flows installed, dumped and deleted through ovs-ofctl (and
# vswitch-ofctl), ours against Debian's ovs-vswitchd, 3 interleaved
# rounds (~10 min): bench/results/openflow-<date>.md and the OpenFlow
# table in bench/README.md.  bench-openflow-quick: 2,000 flows, 1 round,
# under $(BUILD)/bench/openflow-quick (the check-bench smoke test).
# Knobs: OF_BENCH_FLOWS=N, BENCH_ROUNDS=N, OF_OURS_TARGET=auto|vswitchd|
# ofp-flowd, OF_BENCH_CLIENTS="ovs-ofctl vswitch-ofctl".
OF_BENCH_ARGS = $(if $(OF_BENCH_CLIENTS),--clients "$(OF_BENCH_CLIENTS)")
bench-openflow:
	$(Q)BUILD=$(BUILD) $(if $(BENCH_ROUNDS),BENCH_ROUNDS=$(BENCH_ROUNDS)) \
		$(if $(OF_BENCH_FLOWS),OF_BENCH_FLOWS=$(OF_BENCH_FLOWS)) \
		bench/openflow/run.sh --readme $(OF_BENCH_ARGS)

OF_BENCH_QUICK_OUT ?= $(BUILD)/bench/openflow-quick
bench-openflow-quick:
	$(Q)rm -rf $(OF_BENCH_QUICK_OUT)
	$(Q)BUILD=$(BUILD) bench/openflow/run.sh --rounds 1 \
		--flows $(or $(OF_BENCH_FLOWS),2000) $(OF_BENCH_ARGS) \
		--out $(OF_BENCH_QUICK_OUT) \
		--report $(OF_BENCH_QUICK_OUT)/report.md

.PHONY: bench-openflow bench-openflow-quick
