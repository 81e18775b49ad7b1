#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host cases for the drop-in liburing.so.2 (tools/dropin), no VM:
#   - struct io_uring and the structures passed with it are laid out as in
#     Debian's <liburing.h> (every field's offset and size)
#   - the exported symbols and version nodes equal Debian's liburing.so.2's
#   - programs built against Debian's header and library, run through
#     xuring-run on the host's native io_uring, print what they print on
#     Debian's liburing (uring-tour, io_uring-test, io_uring-cp, link-cp,
#     ucontext-cp) and the backend says "native"
#   - with io_uring refused by seccomp (no-io-uring) and no /dev/xuring, the
#     program gets the same EPERM as on Debian's liburing; XURING_BACKEND
#     forces either side
# /dev/xuring itself is tested in the VM (selftests/dropin_test.sh).
#
# usage: scripts/dropin-check.sh
# Prints KTAP (scripts/hostcase.sh): a line per case, the plan last.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/hostcase.sh"
cd "$TOP"

D=$BUILD/dropin
W=$BUILD/dropin-check
DEBIAN_LIB=$(readlink -f /usr/lib/x86_64-linux-gnu/liburing.so.2)
rm -rf "$W"
mkdir -p "$W/logs"

build() {
	make -C tools/dropin all "$D/test/layout-test"
}
hc_case "build the drop-in, its examples and tests" "$W/logs/build.log" build
[ "$hc_last" = ok ] || { hc_finish; exit 1; }

hc_case "struct io_uring layout equals Debian's liburing.h" "$W/logs/layout.log" \
	"$D/test/layout-test"

# "VERSION NAME" per exported definition (functions and version nodes)
exports() {
	objdump -T "$1" | awk '$2 == "g" && $4 != "*UND*" { print $(NF-1), $NF }' | sort
}
symbols() {
	exports "$DEBIAN_LIB" >"$W/symbols-debian"
	exports "$D/lib/liburing.so.2" >"$W/symbols-dropin"
	diff -u "$W/symbols-debian" "$W/symbols-dropin"
	echo "$(wc -l <"$W/symbols-dropin") symbols and version nodes, as ${DEBIAN_LIB##*/}"
	[ "$(wc -l <"$W/symbols-dropin")" -ge 55 ]
	objdump -p "$D/lib/liburing.so.2" | grep -q 'SONAME *liburing.so.2$'
}
hc_case "exports and version nodes equal Debian's liburing.so.2" "$W/logs/symbols.log" \
	symbols

# run_pair NAME CMD...: CMD on Debian's liburing, then through xuring-run;
# the same stdout and exit status, and the drop-in must have said "native".
run_pair() {
	local name=$1 rc_deb=0 rc_di=0
	shift
	(cd "$W" && "$@") >"$W/$name.debian" 2>"$W/$name.debian-err" || rc_deb=$?
	(cd "$W" && XURING_DEBUG=1 "$D/bin/xuring-run" "$@") >"$W/$name.dropin" \
		2>"$W/$name.dropin-err" || rc_di=$?
	cat "$W/$name.dropin-err"
	[ "$rc_deb" = "$rc_di" ] || { echo "exit $rc_deb on Debian's, $rc_di on the drop-in"; return 1; }
	diff -u "$W/$name.debian" "$W/$name.dropin"
	grep -q '^xuring: ring fd [0-9]*: native io_uring$' "$W/$name.dropin-err"
}

native_ok() {
	"$D/examples/uring-tour" "$W/probe.tmp" >/dev/null 2>&1
}
if native_ok; then
	hc_case "uring-tour on native io_uring: output as Debian's" "$W/logs/tour.log" \
		run_pair tour "$D/examples/uring-tour" tour.tmp
	head -c 6144 /dev/urandom >"$W/in.bin"
	# io_uring-test queues 4 KiB reads up to one past EOF and stops at the
	# first short one that is not the last; which completes first is the
	# kernel's choice. Less than 4 KiB is one read: the same output each run.
	head -c 2048 /dev/urandom >"$W/in2k.bin"
	# io_uring-test reads with O_DIRECT, which not every /tmp-like fs takes
	copy_pair() {	# example
		run_pair "$1" "$D/examples/$1" in.bin "out-$1.bin"
		cmp "$W/in.bin" "$W/out-$1.bin"
	}
	# liburing-dev's examples, where the image kept /usr/share/doc
	for ex in io_uring-test io_uring-cp link-cp ucontext-cp; do
		if [ ! -x "$D/examples/$ex" ]; then
			hc_skip "$ex on native io_uring" "not in liburing-dev's examples here"
		elif [ "$ex" = io_uring-test ]; then
			hc_case "$ex on native io_uring: output as Debian's" "$W/logs/$ex.log" \
				run_pair "$ex" "$D/examples/$ex" in2k.bin
		else
			hc_case "$ex on native io_uring: output and copy as Debian's" "$W/logs/$ex.log" \
				copy_pair "$ex"
		fi
	done
else
	hc_skip "examples on native io_uring" "the host refuses io_uring"
fi

# With io_uring refused and no /dev/xuring, auto gives the program the
# kernel's own answer (EPERM), as Debian's liburing does.
refused() {
	local out
	"$D/bin/no-io-uring" "$D/examples/uring-tour" >"$W/refused.debian" 2>&1 || true
	XURING_DEBUG=1 "$D/bin/no-io-uring" "$D/bin/xuring-run" "$D/examples/uring-tour" \
		>"$W/refused.dropin" 2>"$W/refused.err" || true
	cat "$W/refused.debian" "$W/refused.err"
	grep -q 'queue_init: Operation not permitted' "$W/refused.debian"
	diff -u "$W/refused.debian" "$W/refused.dropin"
	grep -q '^xuring: /dev/xuring: No such file or directory$' "$W/refused.err"
	out=$(XURING_BACKEND=native "$D/bin/no-io-uring" "$D/bin/xuring-run" \
		"$D/examples/uring-tour" 2>&1 || true)
	echo "native: $out"
	[ "$out" = "queue_init: Operation not permitted" ]
	out=$("$D/bin/xuring-run" -b xuring "$D/examples/uring-tour" 2>&1 || true)
	echo "xuring: $out"
	[ "$out" = "queue_init: No such file or directory" ]
}
# QEMU prints errno after a failed io_uring_queue_init(); liburing 2.3
# makes no libc system calls and leaves it alone, so must the drop-in.
qemu_refused() {
	local img=$W/img.raw
	head -c 1M /dev/zero >"$img"
	"$D/bin/no-io-uring" qemu-img bench -f raw -i io_uring -c 10 "$img" \
		>"$W/qemu.debian" 2>&1 || true
	"$D/bin/no-io-uring" "$D/bin/xuring-run" qemu-img bench -f raw -i io_uring -c 10 "$img" \
		>"$W/qemu.dropin" 2>&1 || true
	cat "$W/qemu.debian"
	grep -q 'failed to init linux io_uring ring' "$W/qemu.debian"
	diff -u "$W/qemu.debian" "$W/qemu.dropin"
}
if [ -e /dev/xuring ]; then
	hc_skip "refused without /dev/xuring" "this host has /dev/xuring"
else
	hc_case "io_uring refused, no /dev/xuring: EPERM as Debian's; -b picks a side" \
		"$W/logs/refused.log" refused
	if command -v qemu-img >/dev/null; then
		hc_case "qemu-img refused io_uring: the same message (errno kept)" \
			"$W/logs/qemu-refused.log" qemu_refused
	else
		hc_skip "qemu-img refused io_uring" "no qemu-img (scripts/deps.sh)"
	fi
fi
hc_finish
