#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make bench`: build xuring.ko and the tools, boot the 6.1 VM once, and run
# xuring-bench's standard matrix in it (nop batch 32, plain and with
# CQE_SKIP_SUCCESS on all but the last; randread QD1 and QD32 irq; randread
# QD32 IOPOLL; randread QD32 SQPOLL; buffered read QD32) for
# xuring, io_uring, libaio and psync. Prints the table with median [min -
# max] and the xuring/other ratios, and a row for Debian's qemu-img bench,
# unmodified, through the drop-in liburing.so.2 on each backend; keeps
# everything under build/bench/.
#
# env: SKIP_DEPS=1        do not run scripts/deps.sh first
#      BENCH_SECS (3)     seconds per run
#      BENCH_QEMU_IMG_COUNT (50000)  reads per qemu-img run of the drop-in row
#      BENCH_REPS (3)     repetitions of every run (median, min, max)
#      BENCH_PLOT=1       also sweep randread QD 1..32 and plot IOPS against
#                         queue depth (build/bench/iops-vs-qd.png, gnuplot)
#      BENCH_PROFILE=1    also profile NOP batches and randread QD32 on xuring
#                         and io_uring with perf in the guest (needs the
#                         host's perf, Debian's linux-perf; build/bench/profile.txt)
#      BENCH_PROFILE_WL   the workloads profiled, as xuring-bench options,
#                         separated by ';' (default "nop -d 32;randread -d 32";
#                         e.g. "randread -d 32 -B 8 -S" for the SQPOLL row)
#      BENCH_PROFILE_ONLY=1  profile only, without the matrix
#      BENCH_ICOUNT=1     count instructions instead of timing (QEMU -icount
#                         shift=3 on one CPU, scripts/vm-run.sh VM_ICOUNT):
#                         a run gives the same figures every time, so one
#                         repetition is enough; the figures are code path
#                         length, not speed (memory costs nothing there)
#      LANE (6.1), KVM=1, VM_TIMEOUT: as for scripts/vm-run.sh
# Under TCG (the default) every number is an emulated machine's, and other
# work on the host moves them: compare ratios from one run, never across
# machines, and never make them a test assertion.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
cd "$TOP"

lane=${LANE:-6.1}
secs=${BENCH_SECS:-3}
reps=${BENCH_REPS:-3}
if [ "${BENCH_ICOUNT:-0}" = 1 ]; then
	[ "${KVM:-0}" != 1 ] || die "BENCH_ICOUNT=1 is a TCG mode: not with KVM=1"
	reps=${BENCH_REPS:-1}
	export VM_ICOUNT=3 VM_SMP=1
fi
out=$BUILD/bench
logs=$BUILD/logs
mkdir -p "$out" "$logs"

if [ "${SKIP_DEPS:-0}" != 1 ]; then
	log "deps (scripts/deps.sh)"
	bash scripts/deps.sh >"$logs/bench-deps.log" 2>&1 ||
		{ tail -n 20 "$logs/bench-deps.log" >&2; die "installing the dependencies failed"; }
fi
log "building the tools and the module"
make -s -C tools >"$logs/bench-tools.log" 2>&1 ||
	{ tail -n 40 "$logs/bench-tools.log" >&2; die "building the tools failed"; }
# the drop-in liburing.so.2, for the qemu-img row
if [ -f tools/dropin/Makefile ]; then
	make -s -C tools/dropin >>"$logs/bench-tools.log" 2>&1 ||
		{ tail -n 40 "$logs/bench-tools.log" >&2; die "building the drop-in failed"; }
fi
scripts/build-module.sh "$lane" >"$logs/bench-module.log" 2>&1 ||
	{ tail -n 40 "$logs/bench-module.log" >&2; die "building the module failed"; }
tools_bin=$BUILD/tools/bin
if [ "${BENCH_PROFILE:-0}" = 1 ]; then
	command -v perf >/dev/null || die "BENCH_PROFILE=1 wants perf (apt-get install linux-perf)"
	# the tools plus perf (mkinitramfs packs its libraries)
	tools_bin=$out/profile-bin
	rm -rf "$tools_bin"
	mkdir -p "$tools_bin"
	cp "$BUILD"/tools/bin/* "$tools_bin/"
	cp "$(command -v perf)" "$tools_bin/perf"
fi
TOOLS_BIN=$tools_bin scripts/mkinitramfs.sh "$lane" 2>"$logs/bench-initramfs.log" ||
	{ cat "$logs/bench-initramfs.log" >&2; die "packing the initramfs failed"; }

# What runs in the guest. The CSVs come back through the console, one
# prefixed line each; the table is the bench's own output.
if [ "${BENCH_PROFILE_ONLY:-0}" = 1 ]; then
	guest="rc=0; : >/tmp/runs.csv; : >/tmp/summary.csv"
else
	guest="xuring-bench --matrix -q -r $reps -t $secs --csv /tmp/runs.csv --summary-csv /tmp/summary.csv; rc=\$?"
fi
guest+='; sed "s/^/BENCH-RUNS: /" /tmp/runs.csv; sed "s/^/BENCH-SUMMARY: /" /tmp/summary.csv'
# An unmodified distribution binary through the drop-in liburing.so.2:
# Debian's qemu-img, O_DIRECT 4k reads at depth 32 of null_blk, on native
# io_uring and on xuring in turn, each repetition a pair.
qi_count=${BENCH_QEMU_IMG_COUNT:-50000}
guest+='; if [ -x /usr/bin/qemu-img ] && [ -x /usr/bin/xuring-run ] && [ -e /dev/nullb0 ]; then'
guest+=' for i in $(seq '"$reps"'); do for b in native xuring; do'
guest+=' t=$(xuring-run -b $b qemu-img bench -f raw -t none -i io_uring -d 32 -s 4096 -c '"$qi_count"' /dev/nullb0 2>&1'
guest+=' | sed -n "s/^Run completed in \([0-9.]*\) seconds.*/\1/p");'
guest+=' echo "BENCH-DROPIN: $i $b ${t:-none}"; done; done; fi'
if [ "${BENCH_PLOT:-0}" = 1 ]; then
	guest+='; xuring-bench -w randread -d 1,2,4,8,16,32 -q -t 1 --csv /tmp/sweep.csv >/dev/null || rc=1'
	guest+='; sed "s/^/BENCH-SWEEP: /" /tmp/sweep.csv'
fi
if [ "${BENCH_PROFILE:-0}" = 1 ]; then
	guest+='; echo 0 >/proc/sys/kernel/kptr_restrict; echo -1 >/proc/sys/kernel/perf_event_paranoid'
	IFS=';' read -r -a prof_wls <<<"${BENCH_PROFILE_WL:-nop -d 32;randread -d 32}"
	for w in "${prof_wls[@]}"; do
		for b in xuring io_uring; do
			guest+="; echo \"BENCH-PROF: === $b: xuring-bench -w $w -t 3\""
			guest+="; perf record -q -F 2000 -a -o /tmp/perf.data -- xuring-bench -q -b $b -w $w -t 3 2>&1 | grep -E '^(nop|randread) ' | sed 's/^/BENCH-PROF: /'"
			guest+="; perf report -i /tmp/perf.data --stdio --no-children --sort sym --percent-limit 1 2>/dev/null | grep -v '^#' | grep . | head -n 40 | sed 's/^/BENCH-PROF: /'"
		done
	done
fi
# shellcheck disable=SC2016 # $rc is the guest's
guest+='; echo "BENCH-EXIT $rc"'

load0=$(cut -d' ' -f1-3 /proc/loadavg)
accel="TCG (-accel tcg -cpu max)"
[ "${KVM:-0}" != 1 ] || accel="KVM"
[ "${BENCH_ICOUNT:-0}" != 1 ] ||
	accel="TCG counting instructions (-icount shift=3: 8 ns each)"
log "booting the $lane VM for the matrix: about $((reps * 18 * (secs + 1) / 60 + 2)) minutes"
VM_TIMEOUT=${VM_TIMEOUT:-1200} scripts/vm-run.sh "$lane" run "$guest" >"$logs/bench-vm.log" 2>&1 || true
load1=$(cut -d' ' -f1-3 /proc/loadavg)

console=$BUILD/$lane/console.log
clean=$out/console.txt
sed 's/\r$//; s/\x1b\[[0-9;?]*[A-Za-z]//g' "$console" >"$clean"
stamp=$(date -u +%Y%m%d-%H%M)
grep '^BENCH-RUNS: ' "$clean" | sed 's/^BENCH-RUNS: //' >"$out/runs.csv" || true
grep '^BENCH-SUMMARY: ' "$clean" | sed 's/^BENCH-SUMMARY: //' >"$out/summary.csv" || true
rc=$(sed -n 's/^BENCH-EXIT \([0-9]*\).*/\1/p' "$clean" | tail -n 1)

{
	echo "# make bench, $(date -u '+%Y-%m-%d %H:%M UTC'): lane $lane, $accel, -smp ${VM_SMP:-2}," \
	     "host $(nproc) CPUs, host load average $load0 before, $load1 after"
	# the bench's own header and tables, without the CSV lines
	awk '/^# xuring-bench /{on=1} /^BENCH-/{if (on) exit} on' "$clean"
} >"$out/table.txt"

# the qemu-img row: per pair, native's time over xuring's (above 1: faster)
grep '^BENCH-DROPIN: ' "$clean" | sed 's/^BENCH-DROPIN: //' >"$out/dropin.txt" || true
if [ -s "$out/dropin.txt" ]; then
	awk -v count="$qi_count" '
	{ t[$1 " " $2] = $3; rep[$1] = 1 }
	END {
		for (r in rep) {
			x = t[r " xuring"] + 0; y = t[r " native"] + 0
			if (x > 0 && y > 0)
				v[++n] = y / x
		}
		if (!n) { print "drop-in row: qemu-img bench gave no times"; exit }
		for (i = 1; i <= n; i++)
			for (j = i + 1; j <= n; j++)
				if (v[j] < v[i]) { s = v[i]; v[i] = v[j]; v[j] = s }
		for (i = 1; i <= n; i++)
			all = all sprintf(" %.3f", v[i])
		med = n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
		printf "drop-in row: Debian qemu-img bench -i io_uring, unmodified, through liburing.so.2 (%d 4k O_DIRECT reads, depth 32, null_blk): xuring/io_uring %.3f, median of %d pairs (%s )\n", count, med, n, all
	}' "$out/dropin.txt" >>"$out/table.txt"
fi

[ -s "$out/summary.csv" ] || [ "${BENCH_PROFILE_ONLY:-0}" = 1 ] || {
	tail -n 40 "$clean" >&2
	die "no results came back from the VM (console: ${clean#"$TOP"/})"
}
cp "$out/runs.csv" "$out/runs-$stamp.csv"
cp "$out/summary.csv" "$out/summary-$stamp.csv"
cp "$out/table.txt" "$out/table-$stamp.txt"
cat "$out/table.txt"

if [ "${BENCH_PLOT:-0}" = 1 ]; then
	grep '^BENCH-SWEEP: ' "$clean" | sed 's/^BENCH-SWEEP: //' >"$out/sweep.csv" || true
	if command -v gnuplot >/dev/null; then
		"$BUILD/tools/bin/xuring-bench" --plot-from "$out/sweep.csv" \
			--plot "$out/iops-vs-qd.png" || true
	else
		echo "bench: gnuplot not installed: no plot (scripts/deps.sh installs gnuplot-nox)" >&2
	fi
fi
if [ "${BENCH_PROFILE:-0}" = 1 ]; then
	grep '^BENCH-PROF: ' "$clean" | sed 's/^BENCH-PROF: //' >"$out/profile.txt" || true
	echo "bench: perf profiles in ${out#"$TOP"/}/profile.txt (all CPUs, 2000 Hz, cpu-clock under TCG)"
fi
echo "bench: CSV and table in ${out#"$TOP"/}/ (runs.csv, summary.csv, table.txt)"
[ "$rc" = 0 ] || die "a run failed its checks (exit ${rc:-unknown}); see ${out#"$TOP"/}/table.txt"
