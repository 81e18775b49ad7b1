#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make demo`: build xuring.ko and the tools, boot the Debian 6.1 VM, load the
# module and run xuring-probe, xuring-cat and xuring-sidebyside in it.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
cd "$TOP"

lane=${LANE:-6.1}
mkdir -p "$BUILD/logs"
# a fresh machine has none of it (liburing.h, QEMU, the kernels): as make check
[ "${SKIP_DEPS:-0}" = 1 ] || bash scripts/deps.sh
if [ -f tools/Makefile ]; then
	make -s -C tools >"$BUILD/logs/demo-tools.log" 2>&1 ||
		{ cat "$BUILD/logs/demo-tools.log" >&2; die "building the tools failed"; }
fi
scripts/build-module.sh "$lane" >/dev/null
scripts/mkinitramfs.sh "$lane"
scripts/vm-run.sh "$lane" demo
