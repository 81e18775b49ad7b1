#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Shared by fuzz.sh and soak.sh: build what a lane needs, boot it once and
# run guest shell commands that print XURING-BEGIN/END blocks, so the
# console is counted like `make check`'s (dmesg, rmmod and kmemleak checks
# included). Sourced, not executed.
# shellcheck shell=bash

# guest_prepare LANE: tools, selftests, module (and the debug kernel), initramfs
guest_prepare() {
	local lane=$1
	mkdir -p "$BUILD/logs"
	make -s -C "$TOP/tools" >"$BUILD/logs/$lane-tools.log" 2>&1 ||
		{ cat "$BUILD/logs/$lane-tools.log"; die "building the tools failed"; }
	(cd "$TOP" && scripts/extract-kernel-files.sh && make -s -C selftests) \
		>"$BUILD/logs/$lane-selftests.log" 2>&1 ||
		{ cat "$BUILD/logs/$lane-selftests.log"; die "building the selftests failed"; }
	if [ "$lane" = debug ]; then
		"$TOP/scripts/debug-kernel.sh" >"$BUILD/logs/debug-kernel.log" 2>&1 ||
			die "debug kernel build failed (build/logs/debug-kernel.log)"
	fi
	"$TOP/scripts/build-module.sh" "$lane" >/dev/null
	"$TOP/scripts/mkinitramfs.sh" "$lane"
}

# guest_block NAME CMD: a guest shell snippet running CMD as one test block
guest_block() {
	printf 'echo XURING-BEGIN %s; s=$(date +%%s); %s; rc=$?; echo "XURING-END %s rc=$rc secs=$(($(date +%%s) - s))"; ' \
		"$1" "$2" "$1"
}
