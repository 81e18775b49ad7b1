# SPDX-License-Identifier: GPL-2.0
# Developer entry points for xuring. Everything generated lands in build/.
#
#   make [module]    xuring.ko for the running kernel, like any out-of-tree
#                    module: KDIR (/lib/modules/$(uname -r)/build) or KVER=
#                    picks the kernel; the .ko lands in build/module/KDIR-NAME/
#   make module-6.1  the test lanes' builds (W=1, no warning allowed) into
#   make module-6.12 build/LANE/mod/, as make check and make demo build them
#   make module-debug
#   make tools       libxuring and the xuring-* tools (build/tools/)
#   make dropin      the drop-in liburing.so.2, xuring-run (build/dropin/)
#   make selftests   the static selftest binaries (build/selftests/bin/)
#   make check       all lanes in QEMU (6.1, 6.12, debug); LANES="6.1" for a subset
#   make demo        boot the 6.1 VM: xuring-probe, xuring-cat, xuring-sidebyside
#   make bench       boot the 6.1 VM once: xuring-bench's standard matrix
#                    (build/bench/; BENCH_SECS, BENCH_REPS, BENCH_PLOT=1,
#                    BENCH_ICOUNT=1 instructions instead of time)
#   make style       checkpatch over the module and the uapi header
#   make sparse      sparse (C=2) build of the module for 6.1 and 6.12
#   make install     module (KVER=, default uname -r), headers, libxuring + xuring.pc,
#                    tools, man pages, udev rule; DESTDIR= to stage; loads nothing
#   make uninstall   remove what install put there (its manifest), same variables
#   make fuzz        the fuzzer on the debug lane, longer (FUZZ_SECS, FUZZ_SEED)
#   make soak        a mixed workload for SOAK_MINUTES in the VM (SOAK_LANE)
#   make deps        install the packages the above need (apt, idempotent)
#   make clean       remove build/ except the cached debug kernel
#   make distclean   remove all of build/

SHELL := /bin/bash
BUILD := build
CHECKPATCH := $(BUILD)/checkpatch/checkpatch.pl

all: module

# The running kernel's build tree, as v4l2loopback's and zfs's Makefiles
# find it. M= writes objects next to the sources, so Kbuild, module/ and
# uapi/ are copied (mtimes kept: unchanged files are not rebuilt) into a
# directory per kernel tree under build/; the source tree stays clean.
KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
MOD_OUT = $(BUILD)/module/$(notdir $(realpath $(KDIR)))

module:
	@[ -e "$(KDIR)/Makefile" ] || { echo "no kernel build tree at $(KDIR):" \
		"install linux-headers-$(KVER), or give KDIR=/path/to/build" >&2; exit 1; }
	@mkdir -p $(MOD_OUT)
	cp -p Kbuild $(MOD_OUT)/
	cp -pR module uapi $(MOD_OUT)/
	$(MAKE) -C $(KDIR) M=$(abspath $(MOD_OUT)) modules
	@echo "module: $(MOD_OUT)/xuring.ko (for $(KDIR))"

module-6.1 module-6.12 module-debug:
	scripts/build-module.sh $(patsubst module-%,%,$@)

tools:
	$(MAKE) -C tools

dropin:
	$(MAKE) -C tools/dropin

selftests: tools
	scripts/extract-kernel-files.sh
	$(MAKE) -C selftests

check:
	scripts/check.sh

demo:
	scripts/demo.sh

bench:
	scripts/bench.sh

# checkpatch runs --strict with no tree. What it cannot know out of tree is
# ignored, narrowly:
# - uapi/linux/xuring.h is a userspace header: BIT() and __packed do not
#   exist there (upstream's io_uring.h also spells 1U << n and
#   __attribute__((packed))), so BIT_MACRO and PREFER_DEFINED_ATTRIBUTE_MACRO
#   are off for it.
# - module/compat.h is the one place that may test the kernel version, which
#   an in-tree driver never needs: LINUX_VERSION_CODE is off there, and so is
#   CONSTANT_COMPARISON, which mistakes LINUX_VERSION_CODE for a variable.
# - module/xr_trace.h is laid out the way TRACE_EVENT() headers are upstream
#   (include/trace/events/): OPEN_ENDED_LINE and PARENTHESIS_ALIGNMENT are
#   off for it.
# Everything else in module/ gets the full --strict set.
CP_FLAGS := --no-tree --strict --terse --show-types --no-summary -f
style:
	@scripts/extract-kernel-files.sh
	@out=$$( \
	  $(CHECKPATCH) $(CP_FLAGS) $(filter-out module/compat.h module/xr_trace.h,$(wildcard module/*.[ch])) 2>&1; \
	  $(CHECKPATCH) $(CP_FLAGS) --ignore OPEN_ENDED_LINE,PARENTHESIS_ALIGNMENT \
		module/xr_trace.h 2>&1; \
	  $(CHECKPATCH) $(CP_FLAGS) --ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON \
		$(wildcard module/compat.h) 2>&1; \
	  $(CHECKPATCH) $(CP_FLAGS) --ignore BIT_MACRO,PREFER_DEFINED_ATTRIBUTE_MACRO \
		uapi/linux/xuring.h 2>&1); \
	if [ -n "$$out" ]; then echo "$$out"; echo "style: checkpatch found problems"; exit 1; fi; \
	echo "style: checkpatch clean"

sparse:
	scripts/build-module.sh --sparse 6.1
	scripts/build-module.sh --sparse 6.12

deps:
	bash scripts/deps.sh

install:
	scripts/install.sh install

uninstall:
	scripts/install.sh uninstall

fuzz:
	scripts/fuzz.sh

soak:
	scripts/soak.sh

clean:
	-$(MAKE) -C tools clean
	-$(MAKE) -C tools/dropin clean
	-$(MAKE) -C selftests clean
	find $(BUILD) -mindepth 1 -maxdepth 1 ! -name debug-kernel -exec rm -rf {} + 2>/dev/null || true

distclean:
	rm -rf $(BUILD)

.PHONY: all module module-6.1 module-6.12 module-debug tools dropin selftests check demo bench style sparse deps install \
	uninstall fuzz soak clean distclean
