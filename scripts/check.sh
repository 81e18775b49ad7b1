#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make check`: build the tools and selftests, then for each lane build the
# module and the initramfs, boot the VM and count the test cases. Ends with
# "N passed, N failed" (cases summed over the lanes; a lane that fails to build
# or whose guest fails outside a case adds failures); exits non-zero on any.
#
# env: LANES (default "6.1 6.12 debug"), SKIP_DEPS=1, and vm-run.sh's variables.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
cd "$TOP"

LANES=${LANES:-6.1 6.12 debug}
LOGS=$BUILD/logs
mkdir -p "$LOGS"
total_pass=0
total_fail=0
rm -f "$BUILD/check-result"
summary=()
t0=$SECONDS

finish() {
	echo
	echo "=== summary ($((SECONDS - t0))s)"
	printf '%s\n' "${summary[@]}"
	echo "$total_pass passed, $total_fail failed" | tee "$BUILD/check-result"
	[ "$total_fail" = 0 ] || exit 1
	exit 0
}

lane_fail() {
	total_fail=$((total_fail + 1))
	summary+=("lane $lane: $1 FAILED")
}

# step NAME LOG CMD...: run quietly into LOG; on failure show its tail.
step() {
	local name=$1 logf=$2 start=$SECONDS
	shift 2
	if "$@" >"$logf" 2>&1; then
		log "$name ok ($((SECONDS - start))s)"
		return 0
	fi
	tail -n 40 "$logf" | sed 's/^/    /' >&2
	log "$name FAILED ($((SECONDS - start))s, log: ${logf#"$TOP"/})"
	return 1
}

if [ "${SKIP_DEPS:-0}" != 1 ]; then
	step "deps" "$LOGS/deps.log" bash scripts/deps.sh ||
		{ total_fail=$((total_fail + 1)); summary+=("deps: FAILED"); finish; }
fi

# Userspace first: a lane run with stale test binaries would prove nothing.
for part in tools selftests; do
	if [ ! -f "$part/Makefile" ]; then
		log "$part/Makefile missing: no $part in this run"
		continue
	fi
	# the selftests include the kselftest harness extracted into build/
	step "make -C $part" "$LOGS/$part.log" \
		sh -c "{ [ $part != selftests ] || scripts/extract-kernel-files.sh; } && make -C $part" ||
		{ total_fail=$((total_fail + 1)); summary+=("$part: build FAILED"); finish; }
done

for lane in $LANES; do
	echo
	echo "=== lane $lane"
	lane_start=$SECONDS
	if [ "$lane" = debug ]; then
		log "debug kernel: cached, or about 4 minutes to build"
		step "debug kernel" "$LOGS/debug-kernel.log" scripts/debug-kernel.sh ||
			{ lane_fail "kernel build"; continue; }
	fi
	step "module ($lane)" "$LOGS/module-$lane.log" scripts/build-module.sh "$lane" ||
		{ lane_fail "module build"; continue; }
	step "initramfs ($lane)" "$LOGS/initramfs-$lane.log" scripts/mkinitramfs.sh "$lane" ||
		{ lane_fail "initramfs"; continue; }
	build_secs=$((SECONDS - lane_start))
	rm -f "$BUILD/$lane/result"
	scripts/vm-run.sh "$lane" check || true
	pass=0 fail=1 skip=0 secs=0	# if vm-run left no result
	[ -s "$BUILD/$lane/result" ] &&
		read -r pass fail skip secs < <(sed 's/[a-z_]*=//g' "$BUILD/$lane/result")
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
	summary+=("lane $lane: $pass passed, $fail failed, $skip skipped (build ${build_secs}s, VM ${secs}s)")
done
finish
