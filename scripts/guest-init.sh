#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of the test VM (busybox ash as PID 1): set up the guest, load xuring.ko,
# run the test binaries or the demo, check dmesg, unload, report, reboot.
#
# Console protocol (parsed by scripts/vm-run.sh; one marker per line):
#   XURING-BEGIN <test>           a test binary starts; its TAP output follows
#   XURING-END <test> rc=<n> secs=<n>  it ended (rc 124: timed out)
#   XURING-CASE ok|fail <name>    a test case run by this script (rmmod, kmemleak)
#   XURING-LANEFAIL <reason>      the lane failed outside a test case (dmesg, insmod)
#   XURING-DMESG: <line>          kernel log shown with a LANEFAIL
#   XURING-RESULT lane=<l> tests=<n> failed=<n>   binaries+cases run, and failed
#   XURING-DONE                   the last line before reboot

export PATH=/usr/bin:/bin:/usr/sbin:/sbin
export HOME=/tmp TMPDIR=/tmp

# Defaults, overridden by /etc/xuring.conf (mkinitramfs) and
# /etc/xuring-run.conf (vm-run: MODE, TESTS, CMD, TEST_TIMEOUT).
LANE=unknown
KO_FROM=unknown
MODE=check
TESTS=
CMD=
TEST_TIMEOUT=300
# shellcheck disable=SC1091
[ -r /etc/xuring.conf ] && . /etc/xuring.conf
# shellcheck disable=SC1091
[ -r /etc/xuring-run.conf ] && . /etc/xuring-run.conf

ntests=0
nfailed=0

# What a clean kernel log never contains. BUG is matched as a word so DEBUG
# does not count; kmemleak's own start-up lines are allowed below.
BAD='(^|[^A-Za-z_])BUG([^A-Za-z_]|$)|WARNING:|Oops|general protection|lockdep|possible recursive locking|circular locking|inconsistent lock state|KASAN|UBSAN|kmemleak|unreferenced object|Call Trace|hung task|blocked for more than|refcount_t|detected stall|soft lockup|Kernel panic'
ALLOW='kmemleak: (Kernel memory leak detector initialized|Automatic memory scanning thread)|RCU lockdep checking is enabled'

lanefail() {
	echo "XURING-LANEFAIL $*"
	nfailed=$((nfailed + 1))
}

case_result() {	# ok|fail name
	echo "XURING-CASE $1 $2"
	ntests=$((ntests + 1))
	[ "$1" = ok ] || nfailed=$((nfailed + 1))
}

# Read and clear the kernel log; fail the lane if it holds a report.
check_dmesg() {
	dmesg -c >/tmp/.dmesg 2>/dev/null || return 0
	cat /tmp/.dmesg >>/tmp/dmesg.all
	first=$(grep -nE "$BAD" /tmp/.dmesg | grep -vE "$ALLOW" | head -n 1 | cut -d: -f1)
	if [ -n "$first" ]; then
		lanefail "dmesg after $1"
		# from a little before the first report on
		tail -n +$((first > 10 ? first - 10 : 1)) /tmp/.dmesg | head -n 300 |
			sed 's/^/XURING-DMESG: /'
	fi
}

finish() {
	echo "XURING-RESULT lane=$LANE tests=$ntests failed=$nfailed uptime=$(uptime_s)s"
	echo "XURING-DONE"
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

load_xuring() {
	if ! insmod /lib/modules/xuring.ko; then
		lanefail "insmod xuring.ko failed"
		check_dmesg insmod
		return 1
	fi
	i=0
	while [ ! -c /dev/xuring ] && [ $i -lt 20 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if [ ! -c /dev/xuring ]; then
		lanefail "/dev/xuring missing after insmod"
		return 1
	fi
	check_dmesg insmod
}

# Kill whatever a test left behind, so the next one (and rmmod) starts clean.
reap() {
	kill -KILL -1 2>/dev/null
	wait 2>/dev/null
}

run_test() {	# path
	name=${1##*/}
	dir=/tmp/run/$name
	rm -rf "$dir"
	mkdir -p "$dir"
	# the fuzzer's 1M operations take the debug lane 5 minutes or more
	limit=$TEST_TIMEOUT
	[ "$name" != fuzz_test ] || [ "$limit" -ge 1100 ] || limit=1100
	echo "XURING-BEGIN $name"
	start=$(date +%s)
	(cd "$dir" && exec timeout -s TERM -k 10 "$limit" "$1" </dev/null)
	rc=$?
	secs=$(($(date +%s) - start))
	# busybox timeout exits with the signal status; tell a timeout by the clock
	[ $rc -ne 0 ] && [ $secs -ge "$limit" ] && rc=124
	reap
	echo "XURING-END $name rc=$rc secs=$secs"
	ntests=$((ntests + 1))
	[ $rc -eq 0 ] || [ $rc -eq 4 ] || nfailed=$((nfailed + 1))
	check_dmesg "$name"
}

run_tests() {
	for t in /tests/*; do
		{ [ -f "$t" ] && [ -x "$t" ]; } || continue
		if [ -n "$TESTS" ]; then
			case " $TESTS " in *" ${t##*/} "*) ;; *) continue ;; esac
		fi
		run_test "$t"
	done
}

uptime_s() {
	cut -d' ' -f1 /proc/uptime
}

unload_and_scan() {
	echo "# tests done at $(uptime_s)s"
	if rmmod xuring; then
		case_result ok rmmod
	else
		case_result fail rmmod
		lsmod
	fi
	if [ -w /sys/kernel/debug/kmemleak ]; then
		# An object must be seen unreferenced by a scan after it is old enough
		# (5 s); two scans apart make that certain.
		echo scan >/sys/kernel/debug/kmemleak
		sleep 6
		echo scan >/sys/kernel/debug/kmemleak
		cat /sys/kernel/debug/kmemleak >/tmp/kmemleak
		if [ -s /tmp/kmemleak ]; then
			case_result fail kmemleak
			head -n 200 /tmp/kmemleak | sed 's/^/XURING-DMESG: /'
		else
			case_result ok kmemleak
		fi
	fi
	check_dmesg end
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
	if load_xuring; then
		run_tests
		unload_and_scan
	fi
	;;
demo)
	if load_xuring; then
		demo
		unload_and_scan
	fi
	;;
run)
	if load_xuring; then
		(cd /tmp && sh -c "$CMD")
		echo "# command exited with $?"
		reap
		check_dmesg command
		unload_and_scan
	fi
	;;
shell)
	load_xuring
	echo "# xuring guest shell: exit to power off"
	setsid cttyhack sh -l
	;;
*)
	lanefail "unknown MODE=$MODE"
	;;
esac
finish
