#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make check`: build the tools and selftests, then for each lane build the
# module and the initramfs, boot the VM and count the test cases. Ends with
# "N passed, N failed" (cases summed over the lanes; a lane that fails to build
# or whose guest fails outside a case adds failures); exits non-zero on any.
#
# Between the two, host-side cases (no VM): `make install`/`uninstall` into
# a staging root and the man pages (install-check.sh), the compat header
# against everything Debian's liburing.h declares (tools/test/compat-cover.sh),
# the drop-in liburing.so.2 against Debian's (dropin-check.sh), a saved VM
# console read by a TAP parser (ktap-check.sh), and dkms.conf through dkms
# add/build/install/uninstall for the Debian lanes (dkms-check.sh). Each
# prints KTAP, as the VM's console does.
# Those lanes then boot the .ko dkms built; the W=1 build of the same source
# still has to pass first.
#
# env: LANES (default "6.1 6.12 debug"), SKIP_DEPS=1, HOST_CHECKS=0 (no host
#      cases; the lanes boot their own W=1 build), and vm-run.sh's variables.
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
for part in tools tools/dropin selftests; do
	if [ ! -f "$part/Makefile" ]; then
		log "$part/Makefile missing: no $part in this run"
		continue
	fi
	# the selftests include the kselftest harness extracted into build/
	step "make -C $part" "$LOGS/${part//\//-}.log" \
		sh -c "{ [ $part != selftests ] || scripts/extract-kernel-files.sh; } && make -C $part" ||
		{ total_fail=$((total_fail + 1)); summary+=("$part: build FAILED"); finish; }
done

# host_cases NAME LOG CMD...: a script that prints a KTAP stream
# (scripts/hostcase.sh); its cases count in the total, read by the same awk
# as the VM's console.
host_cases() {
	local name=$1 logf=$2 start=$SECONDS pass=0 fail=1
	shift 2
	"$@" 2>&1 | tee "$logf" | sed -n 's/^\(not \)\{0,1\}ok [0-9]* /  &/p; s/^# \( *|\)/  \1/p' || true
	read -r pass fail < <(awk -v host=1 -f scripts/parse-console.awk "$logf" |
		sed -n 's/^RESULT pass=\([0-9]*\) fail=\([0-9]*\) .*/\1 \2/p') ||
		{ pass=0 fail=1; }
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
	summary+=("host $name: $pass passed, $fail failed ($((SECONDS - start))s)")
	log "$name: $pass passed, $fail failed ($((SECONDS - start))s)"
}

dkms_lanes=
if [ "${HOST_CHECKS:-1}" = 1 ]; then
	echo
	echo "=== host"
	host_cases install "$LOGS/install-check.log" scripts/install-check.sh
	host_cases compat-cover "$LOGS/compat-cover.log" tools/test/compat-cover.sh "$BUILD/tools"
	host_cases dropin "$LOGS/dropin-check.log" scripts/dropin-check.sh
	host_cases ktap "$LOGS/ktap-check.log" scripts/ktap-check.sh
	for lane in $LANES; do
		case $lane in 6.1 | 6.12) dkms_lanes+=" $lane" ;; esac
	done
	if [ -n "$dkms_lanes" ]; then
		# shellcheck disable=SC2086
		host_cases dkms "$LOGS/dkms-check.log" scripts/dkms-check.sh $dkms_lanes
	fi
fi

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
	ko=
	case " $dkms_lanes " in
	*" $lane "*)
		ko=$BUILD/dkms/$lane/xuring.ko
		[ -s "$ko" ] || { lane_fail "dkms build (no $ko)"; continue; }
		log "lane $lane boots the .ko dkms built"
		;;
	esac
	step "initramfs ($lane)" "$LOGS/initramfs-$lane.log" \
		env ${ko:+XURING_KO="$ko"} scripts/mkinitramfs.sh "$lane" ||
		{ lane_fail "initramfs"; continue; }
	build_secs=$((SECONDS - lane_start))
	rm -f "$BUILD/$lane/result"
	scripts/vm-run.sh "$lane" check || true
	pass=0 fail=1 skip=0 secs=0	# if vm-run left no result
	[ -s "$BUILD/$lane/result" ] &&
		read -r pass fail skip secs < <(sed 's/[a-z_]*=//g' "$BUILD/$lane/result")
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
	# the fuzzer's figure, for the README's reliability section
	fuzz=$(sed -n 's/^[# ]*FUZZ-OPS \([0-9]*\) cqes=\([0-9]*\).* secs=\([0-9]*\).*/, fuzz: \1 ops, \2 CQEs in \3s/p' \
		"$BUILD/$lane/console.log" 2>/dev/null | tail -1)
	summary+=("lane $lane: $pass passed, $fail failed, $skip skipped (build ${build_secs}s, VM ${secs}s${ko:+, dkms .ko}$fuzz)")
done
finish
