# SPDX-License-Identifier: Apache-2.0
# datapath-kmod/: built by Kbuild against KDIR when kernel headers exist.
# KDIR defaults to the running kernel's build tree, else the newest Debian
# linux-headers-*-amd64.  Without headers, `make` says so and goes on.
KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
          $(lastword $(sort $(wildcard /usr/src/linux-headers-*-amd64))))
KMOD := datapath-kmod/vswitch_dp.ko

kmod:
	$(Q)test -n "$(KDIR)" || { echo "kmod: no kernel headers (install linux-headers-amd64 or set KDIR)" >&2; exit 1; }
	$(Q)$(MAKE) --no-print-directory -C $(KDIR) M=$(CURDIR)/datapath-kmod W=1 modules

kmod-maybe:
	$(Q)if [ -n "$(KDIR)" ]; then $(MAKE) --no-print-directory kmod; \
	else echo "  SKIP    kernel module: no kernel headers (KDIR unset)"; fi

kmod-clean:
	$(Q)if [ -n "$(KDIR)" ]; then $(MAKE) --no-print-directory -C $(KDIR) M=$(CURDIR)/datapath-kmod clean >/dev/null; fi

.PHONY: kmod kmod-maybe kmod-clean
