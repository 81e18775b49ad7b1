#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot a lane's kernel + initramfs in QEMU, capture the serial console to
# build/LANE/console.log and count the test cases it reports.
#
# usage: scripts/vm-run.sh LANE [check]          all tests (default)
#        scripts/vm-run.sh LANE test NAME...     only these test binaries
#        scripts/vm-run.sh LANE demo             probe, cat, side-by-side
#        scripts/vm-run.sh LANE run CMD...       one shell command in the guest
#        scripts/vm-run.sh LANE shell            interactive guest shell
# env:   KVM=1 use KVM (hangs on some machines, so off by default)
#        VM_TIMEOUT (s, default 600, debug lane 2100), TEST_TIMEOUT (s per test binary:
#        replaces selftests/settings' timeout=, which timeout_NAME= entries still raise;
#        the kselftest harness also times out each case itself),
#        VM_MEM (default 2G, debug lane 1G), VM_SMP (default 2), VERBOSE=1 stream the console
#        VM_APPEND more kernel command line (loglevel=7: every kernel message on the console)
#        VM_ICOUNT=N  TCG counts instructions: the guest's clock runs 2^N ns per
#                     instruction (-icount shift=N,sleep=off), so a benchmark
#                     measures code path length, without the host's noise;
#                     with VM_SMP=1 (two CPUs hung before the kernel started)
# The guest prints one KTAP stream (see scripts/guest-init.sh); the report is
# scripts/parse-console.awk's. Its last line is "RESULT pass=N fail=N skip=N";
# it is also in build/LANE/result.
# Exit status: 0 when nothing failed.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

[ $# -ge 1 ] || die "usage: $0 LANE [check|test NAME...|demo|run CMD...|shell]"
lane=$1
shift
mode=${1:-check}
[ $# -eq 0 ] || shift
tests="" cmd=""
case $mode in
check | demo | shell) [ $# -eq 0 ] || die "$mode takes no arguments" ;;
test) [ $# -ge 1 ] || die "test wants test names"; tests="$*" ;;
run) [ $# -ge 1 ] || die "run wants a command"; cmd="$*" ;;
*) die "unknown mode '$mode'" ;;
esac

lane_env "$lane"
INITRD=$LANE_DIR/initramfs.cpio.gz
[ -e "$INITRD" ] || die "$INITRD missing (run scripts/mkinitramfs.sh $lane)"
[ -e "$KIMAGE" ] || die "kernel image $KIMAGE missing"
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 missing (run scripts/deps.sh)"

# The run's settings travel as a second cpio appended to the initramfs.
RUN=$LANE_DIR/run
rm -rf "$RUN"
mkdir -p "$RUN/etc"
{
	printf 'MODE=%q\n' "$mode"
	printf 'TESTS=%q\n' "$tests"
	printf 'CMD=%q\n' "$cmd"
	printf 'TEST_TIMEOUT=%q\n' "${TEST_TIMEOUT:-}"
} >"$RUN/etc/xuring-run.conf"
(cd "$RUN" && find etc | cpio -o -H newc -R 0:0 --quiet) | gzip -1 >"$LANE_DIR/run.cpio.gz"
cat "$INITRD" "$LANE_DIR/run.cpio.gz" >"$LANE_DIR/boot.cpio.gz"

if [ "${KVM:-0}" = 1 ]; then
	accel=(-accel kvm -cpu host)
else
	accel=(-accel tcg -cpu max)
	[ -z "${VM_ICOUNT:-}" ] || accel+=(-icount "shift=$VM_ICOUNT,sleep=off")
fi
# The debug kernel's kmemleak scans walk every struct page: 1G keeps each
# scan near 10 s under TCG instead of 15 s.
mem=${VM_MEM:-2G}
vm_timeout=${VM_TIMEOUT:-600}
if [ "$lane" = debug ]; then
	mem=${VM_MEM:-1G}
	vm_timeout=${VM_TIMEOUT:-2100}
fi
# One CPU per socket: the debug kernel has no ACPI and finds CPUs through
# SeaBIOS's MP table, which lists one CPU per package.
smp=${VM_SMP:-2}
# loglevel=5: warnings and the backtraces of a BUG or a soft lockup reach the
# console, so a run that hangs still shows why.
qemu=(qemu-system-x86_64 "${accel[@]}" -smp "$smp,sockets=$smp,cores=1,threads=1" -m "$mem"
      -kernel "$KIMAGE" -initrd "$LANE_DIR/boot.cpio.gz"
      -append "console=ttyS0 quiet loglevel=5 panic=-1 ${VM_APPEND:-}"
      -nic none -nographic -no-reboot)

LOGF=$LANE_DIR/console.log
log "booting lane $lane ($KVER, $mode) - console: ${LOGF#"$TOP"/}"
start=$SECONDS
vm_rc=0
# What reaches the terminal: with VERBOSE=1 the whole console, for demo and
# run the guest's output from init's banner on; check and test stay quiet.
show() {
	# SeaBIOS clears the screen with escape codes; drop them.
	local unesc='s/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1bc//g; s/\r$//'
	if [ "${VERBOSE:-0}" = 1 ]; then
		sed -u "$unesc"
	elif [ "$mode" = demo ] || [ "$mode" = run ]; then
		sed -un "$unesc; s/^.*\(# xuring guest:\)/\1/; /^# xuring guest:/,\$p"
	else
		cat >/dev/null
	fi
}
if [ "$mode" = shell ]; then
	"${qemu[@]}" | tee "$LOGF" || vm_rc=$?
else
	timeout -k 10 "$vm_timeout" "${qemu[@]}" </dev/null | tee "$LOGF" | show ||
		vm_rc=$?
fi
secs=$((SECONDS - start))

report=$(awk -v lane="$lane" -v vm_rc="$vm_rc" -f "$TOP/scripts/parse-console.awk" "$LOGF")
note=
[ "$vm_rc" = 0 ] || note=", qemu exit $vm_rc"
[ "$vm_rc" != 124 ] || note=", killed after VM_TIMEOUT=${vm_timeout}s"
echo "lane $lane ($KVER): VM ran ${secs}s$note"
printf '%s\n' "$report"
result=$(tail -n 1 <<<"$report")
echo "${result#RESULT } secs=$secs" >"$LANE_DIR/result"
case $result in
*" fail=0 "*) exit 0 ;;
*) exit 1 ;;
esac
