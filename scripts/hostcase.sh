# SPDX-License-Identifier: GPL-2.0
# Host-side test cases for the scripts `make check` runs outside the VM
# (install-check.sh, dkms-check.sh). Sourced after lib.sh, not executed.
# Each case prints "ok NAME" or "FAIL NAME" (with the tail of its log); the
# script ends with hc_finish, whose last line "RESULT pass=N fail=N" is what
# check.sh counts.
# shellcheck shell=bash

hc_pass=0
hc_fail=0

# hc_case NAME LOG CMD...: run CMD with its output in LOG; one case. CMD
# (often a function) fails at its first failing command; write negative
# checks as "if X; then false; fi" or "[ ... ]", not "! X".
hc_case() {
	local name=$1 logf=$2
	shift 2
	# In the background, so that set -e holds inside CMD (it is ignored
	# for anything run as an if condition, functions included).
	(set -e; "$@") >"$logf" 2>&1 &
	if wait $!; then
		echo "ok   $name"
		hc_pass=$((hc_pass + 1))
		return 0
	fi
	echo "FAIL $name (log: ${logf#"$TOP"/})"
	tail -n 25 "$logf" | sed 's/^/       | /'
	hc_fail=$((hc_fail + 1))
	return 1
}

# hc_skip NAME WHY: a case that cannot run here; counted neither way.
hc_skip() {
	echo "skip $1: $2"
}

hc_finish() {
	echo "RESULT pass=$hc_pass fail=$hc_fail"
	[ "$hc_fail" = 0 ]
}
