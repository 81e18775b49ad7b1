#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# dropin_test: unmodified liburing programs (built against Debian's
# liburing.h, dynamically linked with liburing.so.2) on the drop-in, in the
# VM. Packed as /tests/dropin_test by scripts/mkinitramfs.sh; prints TAP.
#  - io_uring allowed: xuring-run's auto picks native, the output is the
#    output on Debian's liburing, and no xuring ring is created
#  - io_uring refused by a seccomp filter (no-io-uring: EPERM for
#    io_uring_setup/enter/register, as Docker's default profile): the same
#    programs through xuring-run give the same output, and xuring's
#    tracepoints show their rings created and their SQEs submitted there
#  - kernel.io_uring_disabled=2 (6.6 on) instead of seccomp: the same
#  - plocate and qemu-img bench -i io_uring, when packed (scripts/deps.sh)
# The programs live in /usr/libexec/xuring-dropin (examples) and /usr/bin.
PATH=/usr/libexec/xuring-dropin:$PATH
W=/tmp/dropin
T=
n=0
failed=0

mkdir -p "$W"
cd "$W" || exit 1

ok() {
	n=$((n + 1))
	echo "ok $n $1"
}

notok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n $1"
}

skip() {
	n=$((n + 1))
	echo "ok $n $1 # SKIP $2"
}

# case NAME FUNCTION: one TAP case; FUNCTION's output is shown as # lines
case_run() {
	if "$2" >"$W/$1.log" 2>&1; then
		# the evidence: which backend, and what the tracepoints saw
		grep -E 'rings created|^xuring: ring fd' "$W/$1.log" | sort -u | sed 's/^/# /'
		ok "$1"
	else
		sed 's/^/# /' "$W/$1.log" | tail -n 40
		notok "$1"
	fi
}

tracing() {
	for d in /sys/kernel/tracing /sys/kernel/debug/tracing; do
		[ -d "$d/events/xuring" ] && { echo "$d"; return 0; }
	done
	mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
	[ -d /sys/kernel/tracing/events/xuring ] && echo /sys/kernel/tracing
}

# Events since the last trace_reset: COUNT EVENT COMM
trace_reset() {
	: >"$T/trace"
}
trace_count() {
	grep -c "^ *$2-[0-9]* .* $1:" "$T/trace"
}

# run_ref NAME CMD...: CMD on Debian's liburing, io_uring allowed
run_ref() {
	name=$1
	shift
	"$@" >"$W/$name.ref" 2>"$W/$name.ref-err"
	echo $? >"$W/$name.ref-rc"
}

# run_dropin REF NAME MODE CMD...: CMD through xuring-run -d. MODE:
# seccomp (under no-io-uring) or plain. Compares stdout and status with
# those of run_ref REF.
run_dropin() {
	ref=$1 name=$2 mode=$3
	shift 3
	if [ "$mode" = seccomp ]; then
		no-io-uring xuring-run -d "$@" >"$W/$name.out" 2>"$W/$name.err"
	else
		xuring-run -d "$@" >"$W/$name.out" 2>"$W/$name.err"
	fi
	rc=$?
	cat "$W/$name.err"
	[ "$rc" = "$(cat "$W/$ref.ref-rc")" ] ||
		{ echo "exit $rc, Debian's liburing with io_uring: $(cat "$W/$ref.ref-rc")"; return 1; }
	diff "$W/$ref.ref" "$W/$name.out" || return 1
}

# --- 1. io_uring allowed: native -----------------------------------------
tour_native() {
	run_ref tour uring-tour
	trace_reset
	run_dropin tour tour-native plain uring-tour || return 1
	grep -q '^xuring: ring fd [0-9]*: native io_uring$' "$W/tour-native.err" || return 1
	c=$(trace_count xuring_create uring-tour)
	echo "xuring rings created: $c"
	[ "$c" = 0 ]
}

# --- 2. io_uring refused by seccomp: /dev/xuring -------------------------
refused_debian() {
	out=$(no-io-uring uring-tour 2>&1)
	echo "$out"
	[ "$out" = "queue_init: Operation not permitted" ]
}

# NAME COMM: the drop-in said xuring, and the tracepoints saw COMM's ring
on_xuring() {
	grep -q "^xuring: ring fd [0-9]*: /dev/xuring (io_uring_setup: Operation not permitted)$" \
		"$W/$1.err" || { echo "no xuring ring in $1's debug output"; return 1; }
	c=$(trace_count xuring_create "$2")
	s=$(trace_count xuring_submit "$2")
	echo "$2: $c xuring rings created, $s xuring_submit events"
	[ "$c" -ge 1 ] && [ "$s" -ge 1 ]
}

tour_seccomp() {
	trace_reset
	run_dropin tour tour-seccomp seccomp uring-tour || return 1
	on_xuring tour-seccomp uring-tour
}

tour_forced() {
	trace_reset
	XURING_BACKEND=xuring run_dropin tour tour-forced plain uring-tour || return 1
	grep -q '^xuring: ring fd [0-9]*: /dev/xuring (XURING_BACKEND=xuring)$' "$W/tour-forced.err" &&
		[ "$(trace_count xuring_create uring-tour)" -ge 1 ]
}

# Debian's own examples: a copy (the same bytes), and io_uring-test's readv
copy_example() {	# example
	rm -f "$W/out-ref.bin" "$W/out.bin"
	run_ref "$1" "$1" "$W/in.bin" "$W/out-ref.bin"
	cmp "$W/in.bin" "$W/out-ref.bin" || { echo "native copy differs"; return 1; }
	trace_reset
	run_dropin "$1" "$1-seccomp" seccomp "$1" "$W/in.bin" "$W/out.bin" || return 1
	cmp "$W/in.bin" "$W/out.bin" || { echo "copy on xuring differs"; return 1; }
	on_xuring "$1-seccomp" "$1"
}
ex_io_uring_cp() { copy_example io_uring-cp; }
ex_link_cp() { copy_example link-cp; }
ex_ucontext_cp() { copy_example ucontext-cp; }

ex_io_uring_test() {
	run_ref io_uring-test io_uring-test "$XURING_RAMDISK"
	cat "$W/io_uring-test.ref"
	trace_reset
	run_dropin io_uring-test io_uring-test-seccomp seccomp io_uring-test "$XURING_RAMDISK" || return 1
	on_xuring io_uring-test-seccomp io_uring-test
}

# --- 3. kernel.io_uring_disabled=2 (6.6 on) ------------------------------
tour_disabled() {
	old=$(cat /proc/sys/kernel/io_uring_disabled)
	echo 2 >/proc/sys/kernel/io_uring_disabled
	trace_reset
	xuring-run -d uring-tour >"$W/tour-disabled.out" 2>"$W/tour-disabled.err"
	rc=$?
	echo "$old" >/proc/sys/kernel/io_uring_disabled
	cat "$W/tour-disabled.err"
	[ "$rc" = 0 ] && diff "$W/tour.ref" "$W/tour-disabled.out" &&
		grep -q '/dev/xuring (io_uring_setup: Operation not permitted)$' "$W/tour-disabled.err" &&
		[ "$(trace_count xuring_create uring-tour)" -ge 1 ]
}

echo "TAP version 13"
T=$(tracing)
if [ -z "$T" ] || ! command -v uring-tour >/dev/null; then
	echo "1..1"
	skip dropin "no tracefs or no drop-in packed"
	exit 4
fi
echo 1 >"$T/events/xuring/xuring_create/enable"
echo 1 >"$T/events/xuring/xuring_submit/enable"
echo 1 >"$T/tracing_on"
head -c 3000 /dev/urandom >"$W/in.bin"

echo "1..9"
case_run tour_native_when_allowed tour_native
case_run seccomp_refuses_debian_liburing refused_debian
case_run tour_on_xuring_under_seccomp tour_seccomp
case_run tour_on_xuring_forced tour_forced
case_run io_uring-cp_under_seccomp ex_io_uring_cp
case_run link-cp_under_seccomp ex_link_cp
case_run ucontext-cp_under_seccomp ex_ucontext_cp
if [ -n "$XURING_RAMDISK" ]; then
	case_run io_uring-test_under_seccomp ex_io_uring_test
else
	skip io_uring-test_under_seccomp "no ramdisk"
fi
if [ -w /proc/sys/kernel/io_uring_disabled ]; then
	case_run tour_with_io_uring_disabled_2 tour_disabled
else
	skip tour_with_io_uring_disabled_2 "kernel.io_uring_disabled needs 6.6"
fi

echo 0 >"$T/events/xuring/xuring_create/enable"
echo 0 >"$T/events/xuring/xuring_submit/enable"
[ "$failed" = 0 ]
