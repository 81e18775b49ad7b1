#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of the test VM (busybox ash as PID 1): set up the guest, load xuring.ko,
# run the test binaries or the demo, check dmesg, unload, report, reboot.
#
# Console protocol (parsed by scripts/parse-console.awk): one KTAP stream, as
# the kernel's kselftest runner.sh prints it.
#   KTAP version 1
#   1..<n>                        check/test: binaries + rmmod, kmemleak, dmesg
#   # selftests: xuring: <test>   a test binary starts; its own TAP output
#   # <its line>                  follows, every line behind "# "
#   # XURING-END <test> rc=<n> secs=<n>  it ended (rc 124: timed out)
#   ok <k> selftests: xuring: <test>         exit 0 (exit 4: "# SKIP";
#   not ok <k> selftests: xuring: <test> # exit=<n>   124: "# TIMEOUT <s> seconds")
#   ok|not ok <k> <case>          a case of this script: insmod (only when it
#                                 fails), rmmod, kmemleak, dmesg (no kernel
#                                 report after boot, insmod, any test, rmmod)
#   # XURING-DMESG: <line>        kernel log shown with a failing dmesg or kmemleak
#   1..<n>                        demo/run: the plan comes last
#   # XURING-RESULT lane=<l> tests=<n> failed=<n>   binaries+cases run, and failed
#   # XURING-DONE                 the last line before reboot
# Per-binary time limits come from /tests/settings (selftests/settings).

export PATH=/usr/bin:/bin:/usr/sbin:/sbin
export HOME=/tmp TMPDIR=/tmp

# Defaults, overridden by /etc/xuring.conf (mkinitramfs) and
# /etc/xuring-run.conf (vm-run: MODE, TESTS, CMD, TEST_TIMEOUT when given).
LANE=unknown
KO_FROM=unknown
MODE=check
TESTS=
CMD=
TEST_TIMEOUT=
SETTINGS=/tests/settings
# shellcheck disable=SC1091
[ -r /etc/xuring.conf ] && . /etc/xuring.conf
# shellcheck disable=SC1091
[ -r /etc/xuring-run.conf ] && . /etc/xuring-run.conf

ntests=0	# cases reported, KTAP's numbering
nfailed=0
dmesg_bad=	# where the kernel log held a report

# What a clean kernel log never contains. BUG is matched as a word so DEBUG
# does not count; kmemleak's own start-up lines are allowed below.
BAD='(^|[^A-Za-z_])BUG([^A-Za-z_]|$)|WARNING:|Oops|general protection|lockdep|possible recursive locking|circular locking|inconsistent lock state|KASAN|UBSAN|kmemleak|unreferenced object|Call Trace|hung task|blocked for more than|refcount_t|detected stall|soft lockup|Kernel panic'
ALLOW='kmemleak: (Kernel memory leak detector initialized|Automatic memory scanning thread)|RCU lockdep checking is enabled'

# One KTAP test line: ok|fail NAME [DIRECTIVE]. "# SKIP" directives pass
# as skipped; what follows "#" on a failing line says why.
ktap_case() {
	ntests=$((ntests + 1))
	if [ "$1" = ok ]; then
		echo "ok $ntests $2${3:+ # $3}"
	else
		echo "not ok $ntests $2${3:+ # $3}"
		nfailed=$((nfailed + 1))
	fi
}

# Read and clear the kernel log; a report in it fails the dmesg case.
check_dmesg() {
	dmesg -c >/tmp/.dmesg 2>/dev/null || return 0
	cat /tmp/.dmesg >>/tmp/dmesg.all
	first=$(grep -nE "$BAD" /tmp/.dmesg | grep -vE "$ALLOW" | head -n 1 | cut -d: -f1)
	if [ -n "$first" ]; then
		dmesg_bad="$dmesg_bad $1"
		echo "# XURING-DMESG: --- kernel report after $1"
		# from a little before the first report on
		tail -n +$((first > 10 ? first - 10 : 1)) /tmp/.dmesg | head -n 300 |
			sed 's/^/# XURING-DMESG: /'
	fi
}

# The settings value of KEY (the last one), or nothing.
setting() {
	[ -r "$SETTINGS" ] && sed -n "s/^$1=//p" "$SETTINGS" | tail -n 1
}

# Seconds test binary NAME may run: settings' timeout (or TEST_TIMEOUT from
# vm-run), raised to timeout_NAME when settings has it.
test_timeout() {
	limit=${TEST_TIMEOUT:-$(setting timeout)}
	limit=${limit:-45}
	own=$(setting "timeout_$(echo "$1" | tr -c 'A-Za-z0-9_\n' _)")
	[ -z "$own" ] || [ "$own" -le "$limit" ] || limit=$own
	echo "$limit"
}

finish() {
	echo "# XURING-RESULT lane=$LANE tests=$ntests failed=$nfailed uptime=$(uptime_s)s"
	echo "# XURING-DONE"
	sleep 1	# let the UART drain before the machine goes away
	reboot -f
	poweroff -f
	while :; do sleep 60; done
}

setup() {
	mount -t proc proc /proc
	mount -t sysfs sysfs /sys
	mount -t devtmpfs devtmpfs /dev
	exec </dev/console >/dev/console 2>&1
	echo "KTAP version 1"
	mkdir -p /dev/pts /dev/shm
	mount -t devpts devpts /dev/pts 2>/dev/null
	mount -t tmpfs -o mode=1777 tmpfs /dev/shm
	mount -t tmpfs -o mode=1777 tmpfs /tmp
	mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
	ln -sf /proc/self/fd /dev/fd
	ln -sf /proc/self/fd/0 /dev/stdin
	ln -sf /proc/self/fd/1 /dev/stdout
	ln -sf /proc/self/fd/2 /dev/stderr
	hostname xuring-vm
	ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up

	if [ ! -d /sys/kernel/config ] && [ -e /lib/modules/configfs.ko ]; then
		insmod /lib/modules/configfs.ko
	fi
	mount -t configfs configfs /sys/kernel/config 2>/dev/null

	# Block devices for O_DIRECT and iopoll tests; see the exported variables.
	if [ -e /lib/modules/brd.ko ] && insmod /lib/modules/brd.ko rd_nr=1 rd_size=65536; then
		export XURING_RAMDISK=/dev/ram0
	fi
	if [ -e /lib/modules/null_blk.ko ] &&
	   insmod /lib/modules/null_blk.ko nr_devices=1 queue_mode=2 submit_queues=2 \
		poll_queues=2 gb=1 bs=512 memory_backed=1 irqmode=1; then
		export XURING_NULLB=/dev/nullb0
		XURING_NULLB_POLL=$(cat /sys/block/nullb0/queue/io_poll 2>/dev/null || echo 0)
		export XURING_NULLB_POLL
	fi
	export XURING_LANE=$LANE

	echo "# xuring guest: lane=$LANE kernel=$(uname -r) mode=$MODE ko=$KO_FROM" \
	     "ramdisk=${XURING_RAMDISK:-none} nullb=${XURING_NULLB:-none} nullb_poll=${XURING_NULLB_POLL:-0}"
	check_dmesg boot

	# Boot-time kmemleak suspects are not ours: find them now, then forget them
	# (and the log line the scan writes about them).
	if [ -w /sys/kernel/debug/kmemleak ]; then
		echo scan >/sys/kernel/debug/kmemleak
		n=$(grep -c '^unreferenced object' /sys/kernel/debug/kmemleak)
		echo clear >/sys/kernel/debug/kmemleak
		dmesg -c >/dev/null
		[ "$n" = 0 ] || echo "# kmemleak: $n boot-time suspect(s) cleared before the tests"
	fi
	echo "# tests start at $(uptime_s)s"
}

# insmod xuring.ko; a failure is a case, with a plan of its own when PLAN=1.
load_xuring() {
	why=
	if ! insmod /lib/modules/xuring.ko; then
		why="insmod xuring.ko failed"
	else
		i=0
		while [ ! -c /dev/xuring ] && [ $i -lt 20 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		[ -c /dev/xuring ] || why="/dev/xuring missing after insmod"
	fi
	check_dmesg insmod
	[ -n "$why" ] || return 0
	[ "${1:-}" != plan ] || echo "1..1"
	ktap_case fail insmod "$why"
	return 1
}

# Kill whatever a test left behind, so the next one (and rmmod) starts clean.
reap() {
	kill -KILL -1 2>/dev/null
	wait 2>/dev/null
}

# SIGKILL every process but init and PID $1.
kill_all_but() {
	for p in /proc/[0-9]*; do
		p=${p#/proc/}
		[ "$p" = 1 ] || [ "$p" = "$1" ] || kill -KILL "$p" 2>/dev/null
	done
}

# One test binary, its output nested behind "# " as runner.sh does it.
run_test() {	# path
	name=${1##*/}
	dir=/tmp/run/$name
	rm -rf "$dir"
	mkdir -p "$dir"
	limit=$(test_timeout "$name")
	echo "# selftests: xuring: $name"
	# A FIFO, not a pipe: the test's leftovers may hold it open; they are
	# killed once it ends, and sed prints the rest.
	rm -f /tmp/.nest
	mkfifo /tmp/.nest
	sed 's/^/# /' </tmp/.nest &
	nest=$!
	start=$(date +%s)
	(cd "$dir" && exec timeout -s TERM -k 10 "$limit" "$1" </dev/null >/tmp/.nest 2>&1)
	rc=$?
	secs=$(($(date +%s) - start))
	# busybox timeout exits with the signal status; tell a timeout by the clock
	[ $rc -ne 0 ] && [ $secs -ge "$limit" ] && rc=124
	kill_all_but "$nest"
	wait "$nest"
	reap
	echo "# XURING-END $name rc=$rc secs=$secs"
	case $rc in
	0) ktap_case ok "selftests: xuring: $name" ;;
	4) ktap_case ok "selftests: xuring: $name" SKIP ;;
	124) echo "#"; ktap_case fail "selftests: xuring: $name" "TIMEOUT $limit seconds" ;;
	*) ktap_case fail "selftests: xuring: $name" "exit=$rc" ;;
	esac
	check_dmesg "$name"
}

# The test binaries to run, one a line.
test_list() {
	for t in /tests/*; do
		{ [ -f "$t" ] && [ -x "$t" ]; } || continue
		if [ -n "$TESTS" ]; then
			case " $TESTS " in *" ${t##*/} "*) ;; *) continue ;; esac
		fi
		echo "$t"
	done
}

# The cases unload_and_scan reports.
nend() {
	if [ -w /sys/kernel/debug/kmemleak ]; then echo 3; else echo 2; fi
}

run_tests() {
	test_list >/tmp/.tests
	echo "1..$(($(wc -l </tmp/.tests) + $(nend)))"
	while read -r t; do
		run_test "$t"
	done </tmp/.tests
}

uptime_s() {
	cut -d' ' -f1 /proc/uptime
}

unload_and_scan() {
	echo "# tests done at $(uptime_s)s"
	if rmmod xuring; then
		ktap_case ok rmmod
	else
		lsmod | sed 's/^/# /'
		ktap_case fail rmmod
	fi
	if [ -w /sys/kernel/debug/kmemleak ]; then
		# An object must be seen unreferenced by a scan after it is old enough
		# (5 s); two scans apart make that certain.
		echo scan >/sys/kernel/debug/kmemleak
		sleep 6
		echo scan >/sys/kernel/debug/kmemleak
		cat /sys/kernel/debug/kmemleak >/tmp/kmemleak
		if [ -s /tmp/kmemleak ]; then
			head -n 200 /tmp/kmemleak | sed 's/^/# XURING-DMESG: /'
			ktap_case fail kmemleak
		else
			ktap_case ok kmemleak
		fi
	fi
	check_dmesg end
	if [ -n "$dmesg_bad" ]; then
		ktap_case fail dmesg "kernel report after$dmesg_bad"
	else
		ktap_case ok dmesg
	fi
}

demo() {
	printf '%s\n' "xuring demo on $(uname -r)" "" \
		"This file was read through a /dev/xuring ring." >/tmp/demo.txt
	seq 1 20 | sed 's/^/line /' >>/tmp/demo.txt
	for step in "xuring-probe" "xuring-cat /tmp/demo.txt" "xuring-sidebyside"; do
		echo
		echo "### $step"
		if command -v "${step%% *}" >/dev/null; then
			# shellcheck disable=SC2086
			$step || echo "### $step: exit $?"
		else
			echo "(${step%% *} is not built yet)"
		fi
	done
	echo
	reap
	check_dmesg demo
}

setup
case $MODE in
check | test)
	if load_xuring plan; then
		run_tests
		unload_and_scan
	fi
	;;
demo)
	if load_xuring; then
		demo
		unload_and_scan
	fi
	echo "1..$ntests"
	;;
run)
	if load_xuring; then
		(cd /tmp && sh -c "$CMD")
		echo "# command exited with $?"
		reap
		check_dmesg command
		unload_and_scan
	fi
	echo "1..$ntests"
	;;
shell)
	load_xuring
	echo "# xuring guest shell: exit to power off"
	setsid cttyhack sh -l
	;;
*)
	echo "1..1"
	ktap_case fail mode "unknown MODE=$MODE"
	;;
esac
finish
