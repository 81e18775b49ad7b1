#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash # busybox ash and dash have "local"
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

# (busybox ash and dash have "local"; the counters n and failed are global)

# run_ref NAME CMD...: CMD on Debian's liburing, io_uring allowed
run_ref() {
	local name=$1
	shift
	"$@" >"$W/$name.ref" 2>"$W/$name.ref-err"
	echo $? >"$W/$name.ref-rc"
}

# run_dropin REF NAME MODE CMD...: CMD through xuring-run -d. MODE:
# seccomp (under no-io-uring), disabled (kernel.io_uring_disabled=2 for
# the run), forced (XURING_BACKEND=xuring) or plain. Compares stdout and status with those of run_ref REF.
run_dropin() {
	local ref=$1 name=$2 mode=$3 rc old
	shift 3
	case $mode in
	seccomp)
		no-io-uring xuring-run -d "$@" >"$W/$name.out" 2>"$W/$name.err"
		rc=$?
		;;
	forced)
		XURING_BACKEND=xuring xuring-run -d "$@" >"$W/$name.out" 2>"$W/$name.err"
		rc=$?
		;;
	disabled)
		old=$(cat /proc/sys/kernel/io_uring_disabled)
		echo 2 >/proc/sys/kernel/io_uring_disabled
		xuring-run -d "$@" >"$W/$name.out" 2>"$W/$name.err"
		rc=$?
		echo "$old" >/proc/sys/kernel/io_uring_disabled
		;;
	*)
		xuring-run -d "$@" >"$W/$name.out" 2>"$W/$name.err"
		rc=$?
		;;
	esac
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

# NAME COMM MODE: the drop-in said xuring (why: MODE), and the tracepoints
# saw COMM's ring
on_xuring() {
	local c s why="io_uring_setup: Operation not permitted"
	[ "$3" = forced ] && why="XURING_BACKEND=xuring"
	grep -q "^xuring: ring fd [0-9]*: /dev/xuring ($why)$" "$W/$1.err" ||
		{ echo "no xuring ring ($why) in $1's debug output"; return 1; }
	c=$(trace_count xuring_create "$2")
	s=$(trace_count xuring_submit "$2")
	echo "$2: $c xuring rings created, $s xuring_submit events"
	[ "$c" -ge 1 ] && [ "$s" -ge 1 ]
}

tour_seccomp() {
	trace_reset
	run_dropin tour tour-seccomp "$REFUSE" uring-tour || return 1
	on_xuring tour-seccomp uring-tour "$REFUSE"
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
	run_dropin "$1" "$1-seccomp" "$REFUSE" "$1" "$W/in.bin" "$W/out.bin" || return 1
	cmp "$W/in.bin" "$W/out.bin" || { echo "copy on xuring differs"; return 1; }
	on_xuring "$1-seccomp" "$1" "$REFUSE"
}
ex_io_uring_cp() { copy_example io_uring-cp; }
ex_link_cp() { copy_example link-cp; }
ex_ucontext_cp() { copy_example ucontext-cp; }

ex_io_uring_test() {
	run_ref io_uring-test io_uring-test "$XURING_RAMDISK"
	cat "$W/io_uring-test.ref"
	trace_reset
	run_dropin io_uring-test io_uring-test-seccomp "$REFUSE" io_uring-test "$XURING_RAMDISK" || return 1
	on_xuring io_uring-test-seccomp io_uring-test "$REFUSE"
}

# --- 3. distribution binaries: plocate, qemu-img ------------------------
# native_auto NAME COMM CMD...: io_uring allowed, xuring-run's auto picks
# native for CMD (as the reference run REF=NAME) and no xuring ring appears
native_auto() {
	local name=$1 comm=$2 c
	shift 2
	run_ref "$name" "$@"
	trace_reset
	run_dropin "$name" "$name-native" plain "$@" || return 1
	grep -q '^xuring: ring fd [0-9]*: native io_uring$' "$W/$name-native.err" ||
		{ echo "$comm made no native ring"; return 1; }
	c=$(trace_count xuring_create "$comm")
	echo "$comm: xuring rings created: $c"
	[ "$c" = 0 ]
}

# on_backend NAME COMM MODE CMD...: CMD through xuring-run with io_uring
# refused (MODE seccomp or disabled) gives REF=NAME's output, on xuring
on_backend() {
	local name=$1 comm=$2 mode=$3
	shift 3
	trace_reset
	run_dropin "$name" "$name-$mode" "$mode" "$@" || return 1
	on_xuring "$name-$mode" "$comm" "$mode"
}

# plocate: a database built by its own builder, then queries; plocate
# reads the database with io_uring.
PLOCATE_Q="plocate -d $W/tree.db needle; plocate -d $W/tree.db -c doc; plocate -d $W/tree.db -i FILE1; plocate -d $W/tree.db -r 'doc4[0-9]\.md\$'"
plocate_db() {
	local i
	[ -s "$W/tree.db" ] && return 0
	mkdir -p "$W/tree/a/b" "$W/tree/c"
	i=0
	while [ $i -lt 60 ]; do
		: >"$W/tree/a/file$i.txt"
		: >"$W/tree/c/doc$i.md"
		i=$((i + 1))
	done
	: >"$W/tree/a/b/needle.conf"
	updatedb.plocate -U "$W/tree" -o "$W/tree.db" -l 0 || return 1
	echo "database: $(wc -c <"$W/tree.db") bytes"
}
pl_native() {
	plocate_db || return 1
	native_auto plocate plocate sh -c "$PLOCATE_Q" || return 1
	grep -q needle.conf "$W/plocate.ref" || { echo "no match"; return 1; }
}
pl_seccomp() { plocate_db && on_backend plocate plocate "$REFUSE" sh -c "$PLOCATE_Q"; }
pl_disabled() { plocate_db && on_backend plocate plocate disabled sh -c "$PLOCATE_Q"; }

# qemu-img bench: O_DIRECT reads of a null_blk (or brd) device with QEMU's
# io_uring engine; the time differs from run to run, the rest must not.
QI_DEV=${XURING_NULLB:-$XURING_RAMDISK}
QI="qemu-img bench -f raw -t none -i io_uring -d 32 -s 4096"
QI_CHECK="$QI -c 4000 $QI_DEV | sed 's/in [0-9.]* seconds/in N seconds/'"
qi_native() {
	native_auto qemu-img qemu-img sh -c "$QI_CHECK" || return 1
	cat "$W/qemu-img.ref"
	grep -q '^Run completed in N seconds' "$W/qemu-img.ref"
}
qi_seccomp() { on_backend qemu-img qemu-img "$REFUSE" sh -c "$QI_CHECK"; }
qi_disabled() { on_backend qemu-img qemu-img disabled sh -c "$QI_CHECK"; }

# The benchmark row: the same qemu-img bench through the drop-in on native
# io_uring (-b native) and on xuring (-b xuring), 5 runs each, the pair's
# order flipping every repetition, tracing off; the median of each, and
# xuring's rate over native's.
QI_BENCH_N=${QI_BENCH_N:-40000}
qi_secs() {	# backend
	# shellcheck disable=SC2086 # QI is a word list
	xuring-run -b "$1" $QI -c "$QI_BENCH_N" "$QI_DEV" |
		sed -n 's/^Run completed in \([0-9.]*\) seconds.*/\1/p'
}
median() {
	printf '%s\n' "$@" | sort -n | sed -n "$((($# + 1) / 2))p"
}
qi_bench() {
	local ns="" xs="" i n x
	echo 0 >"$T/events/xuring/xuring_create/enable"
	echo 0 >"$T/events/xuring/xuring_submit/enable"
	for i in 1 2 3 4 5; do
		if [ $((i % 2)) = 1 ]; then
			ns="$ns $(qi_secs native)" xs="$xs $(qi_secs xuring)"
		else
			xs="$xs $(qi_secs xuring)" ns="$ns $(qi_secs native)"
		fi
	done
	echo 1 >"$T/events/xuring/xuring_create/enable"
	echo 1 >"$T/events/xuring/xuring_submit/enable"
	echo "native:$ns s; xuring:$xs s"
	# shellcheck disable=SC2086 # lists of numbers
	[ "$(echo $ns | wc -w)" = 5 ] && [ "$(echo $xs | wc -w)" = 5 ] || return 1
	# shellcheck disable=SC2086
	n=$(median $ns) x=$(median $xs)
	awk -v n="$n" -v x="$x" -v c="$QI_BENCH_N" -v dev="${QI_DEV##*/}" 'BEGIN {
		printf "BENCH qemu-img bench -i io_uring, %d x 4k O_DIRECT reads QD32 on %s: native %.0f/s, xuring %.0f/s (medians of 5), xuring/io_uring %.2f\n",
			c, dev, c / n, c / x, n / x }'
}

# A kernel without CONFIG_SECCOMP_FILTER (the debug lane's tinyconfig)
# cannot refuse io_uring that way: the *_under_seccomp cases then force the
# xuring backend (XURING_BACKEND=xuring) and say so. XURING_TEST_REFUSE=
# forced asks for that anywhere.
REFUSE=${XURING_TEST_REFUSE:-seccomp}
if [ "$REFUSE" = seccomp ] && ! no-io-uring true 2>/dev/null; then
	REFUSE=forced
fi

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

echo "1..16"
[ "$REFUSE" = seccomp ] ||
	echo "# no seccomp filter here: *_under_seccomp run with XURING_BACKEND=xuring"
case_run tour_native_when_allowed tour_native
if [ "$REFUSE" = seccomp ]; then
	case_run seccomp_refuses_debian_liburing refused_debian
else
	skip seccomp_refuses_debian_liburing "no seccomp filters in this kernel"
fi
case_run tour_on_xuring_under_seccomp tour_seccomp
case_run tour_on_xuring_forced tour_forced
# with_prog NAME PROG FUNCTION: a case that needs PROG packed
with_prog() {
	if command -v "$2" >/dev/null; then
		case_run "$1" "$3"
	else
		skip "$1" "$2 not packed (liburing-dev's examples)"
	fi
}
with_prog io_uring-cp_under_seccomp io_uring-cp ex_io_uring_cp
with_prog link-cp_under_seccomp link-cp ex_link_cp
with_prog ucontext-cp_under_seccomp ucontext-cp ex_ucontext_cp
if [ -n "$XURING_RAMDISK" ]; then
	with_prog io_uring-test_under_seccomp io_uring-test ex_io_uring_test
else
	skip io_uring-test_under_seccomp "no ramdisk"
fi

disabled_ok=
[ -w /proc/sys/kernel/io_uring_disabled ] && disabled_ok=1
# with_disabled NAME FUNCTION: only where kernel.io_uring_disabled exists
with_disabled() {
	if [ -n "$disabled_ok" ]; then
		case_run "$1" "$2"
	else
		skip "$1" "kernel.io_uring_disabled needs 6.6"
	fi
}

tour_disabled() { on_backend tour uring-tour disabled uring-tour; }
with_disabled tour_with_io_uring_disabled_2 tour_disabled

if command -v plocate >/dev/null && command -v updatedb.plocate >/dev/null; then
	case_run plocate_native_when_allowed pl_native
	case_run plocate_on_xuring_under_seccomp pl_seccomp
	with_disabled plocate_with_io_uring_disabled_2 pl_disabled
else
	for c in plocate_native_when_allowed plocate_on_xuring_under_seccomp \
		 plocate_with_io_uring_disabled_2; do
		skip "$c" "plocate not packed (scripts/deps.sh)"
	done
fi
if command -v qemu-img >/dev/null && [ -n "$QI_DEV" ]; then
	case_run qemu-img_native_when_allowed qi_native
	case_run qemu-img_on_xuring_under_seccomp qi_seccomp
	with_disabled qemu-img_with_io_uring_disabled_2 qi_disabled
	if [ "${XURING_LANE:-}" = debug ]; then
		# KASAN and lockdep time themselves, not the rings
		skip qemu-img_bench_xuring_vs_native "no timing on the debug lane"
	else
		case_run qemu-img_bench_xuring_vs_native qi_bench
		grep -E '^(BENCH|native:)' "$W/qemu-img_bench_xuring_vs_native.log" |
			sed 's/^/# /'
	fi
else
	for c in qemu-img_native_when_allowed qemu-img_on_xuring_under_seccomp \
		 qemu-img_with_io_uring_disabled_2 qemu-img_bench_xuring_vs_native; do
		skip "$c" "qemu-img or a block device missing"
	done
fi

echo 0 >"$T/events/xuring/xuring_create/enable"
echo 0 >"$T/events/xuring/xuring_submit/enable"
[ "$failed" = 0 ]
