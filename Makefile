# SPDX-License-Identifier: Apache-2.0
#
# vswitch top-level Makefile.
#
# Userspace is built non-recursively: this file sets the toolchain and the
# common rules, and each folder contributes a fragment (lib/lib.mk,
# utilities/utilities.mk, ...) that lists what it builds.  Objects go under
# $(BUILD) (default build/; variants get their own folder so that flags never
# mix).  The kernel module is built by Kbuild (datapath-kmod/kmod.mk).
#
#   make                       build everything that can be built here
#   make CC=clang              clang, adds -Wthread-safety
#   make SANITIZE=address,undefined
#   make deps                  install missing Debian packages (root)
#   make check                 deps + build + every test tier + summary line
#   make demo                  the main job (see README.md)
#   make sandbox               the demo's switch and VMs, left running with
#                              a shell; torn down when the shell exits

.DEFAULT_GOAL := all
SHELL := /bin/bash

CC ?= cc
ifeq ($(origin CC),default)
CC := gcc
endif
AR ?= ar
SANITIZE ?=
V ?= 0

IS_CLANG := $(if $(findstring clang,$(CC)),1,)

# Every variant (compiler, sanitizers) gets its own object tree.
BUILD_VARIANT := $(if $(IS_CLANG),clang)$(if $(SANITIZE),$(if $(IS_CLANG),-)sanitize)
ifeq ($(BUILD_VARIANT),)
BUILD ?= build
else
BUILD ?= build/$(BUILD_VARIANT)
endif

ifeq ($(V),0)
Q := @
say = @printf '  %-7s %s\n' $(1) $(2);
else
Q :=
say =
endif

# Libraries come from pkg-config only.  A missing one makes the build stop
# with pkg-config's message; `make deps` installs them.
PKG_CONFIG ?= pkg-config
USER_PKGS := jansson libcap-ng liburcu-memb libxxhash libmnl libnl-3.0 \
             libnl-genl-3.0 libnl-route-3.0 libbpf libxdp
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(USER_PKGS) 2>/dev/null)
PKG_LIBS = $(shell $(PKG_CONFIG) --libs $(USER_PKGS) 2>/dev/null)
CMOCKA_CFLAGS = $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS = $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

WARN := -Wall -Wextra -Werror -Wno-unused-parameter -Wshadow \
        -Wpointer-arith -Wstrict-prototypes -Wmissing-prototypes \
        -Wformat=2 -Wno-format-nonliteral
ifneq ($(IS_CLANG),)
WARN += -Wthread-safety
endif

OPT ?= -O2
CFLAGS ?= $(OPT) -g
ALL_CFLAGS := -std=gnu11 $(CFLAGS) $(WARN) -D_GNU_SOURCE -Iinclude -I. \
              -fno-strict-aliasing -pthread
LDFLAGS ?=
ALL_LDFLAGS := $(LDFLAGS) -pthread -Wl,--as-needed
ifneq ($(SANITIZE),)
ALL_CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer \
              -fno-sanitize-recover=all
ALL_LDFLAGS += -fsanitize=$(SANITIZE)
endif
ifneq ($(FUZZ),)
ALL_CFLAGS += -fsanitize=fuzzer-no-link -DVSWITCH_FUZZING
endif

VERSION := 0.1.0
ALL_CFLAGS += -DVSWITCH_VERSION='"$(VERSION)"'

# Fragments append to these.
PROGRAMS :=          # installed binaries
TEST_PROGRAMS :=     # helpers used only by tests
UNIT_TESTS :=        # cmocka binaries run by check-unit
FUZZ_TARGETS :=      # libFuzzer binaries (built with `make fuzz`)
TEST_ARCHIVES :=     # daemon-internal archives that unit tests may link
CLEAN_FILES :=

# $(call objs,SOURCES) -> object paths under $(BUILD).
objs = $(patsubst %.c,$(BUILD)/%.o,$(1))

# $(call link,TARGET,OBJECTS,EXTRA-LIBS): define a program.
define link
$(1): $(2) $$(LIBVSWITCH)
	$$(call say,LINK,$$@)mkdir -p $$(@D)
	$$(Q)$$(CC) $$(ALL_LDFLAGS) -o $$@ $(2) $(3) $$(LIBVSWITCH) $$(PKG_LIBS) -lm
endef

$(BUILD)/%.o: %.c
	$(call say,CC,$@)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(PKG_CFLAGS) $(EXTRA_CMOCKA) \
		-MMD -MP -c -o $@ $<

include lib/lib.mk
include utilities/utilities.mk
include ovsdb-lite/ovsdb-lite.mk
include vswitchd/vswitchd.mk
include tests/tests.mk
include bench/bench.mk
include datapath-kmod/kmod.mk

# The kernel module is built with the kernel's own compiler, once: variant
# builds (clang, sanitizers) leave it alone.
all: $(LIBVSWITCH) $(PROGRAMS) $(TEST_PROGRAMS) $(UNIT_TESTS) \
     $(if $(BUILD_VARIANT),,kmod-maybe)

# ---------------------------------------------------------------------------
# Set-up, demo, install.

deps:
	$(Q)build-aux/install-deps.sh build-aux/debian-packages.txt

demo:
	$(Q)$(MAKE) --no-print-directory deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)BUILD=$(BUILD) build-aux/demo.sh

sandbox:
	$(Q)$(MAKE) --no-print-directory deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)BUILD=$(BUILD) build-aux/demo.sh --sandbox

PREFIX ?= /usr/local
install: $(PROGRAMS)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/sbin
	for p in $(PROGRAMS); do \
	    case $$p in */vswitchd|*/ovsdb-lite) \
	        install -m 755 $$p $(DESTDIR)$(PREFIX)/sbin/ ;; \
	    *) install -m 755 $$p $(DESTDIR)$(PREFIX)/bin/ ;; esac; \
	done

clean: kmod-clean
	rm -rf build $(CLEAN_FILES)

format-check:
	$(Q)build-aux/format-check.sh

.PHONY: all deps demo sandbox install clean format-check
.SECONDARY:

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
