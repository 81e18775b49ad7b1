# SPDX-License-Identifier: GPL-2.0
# Host-side test cases for the scripts `make check` runs outside the VM
# (install-check.sh, dkms-check.sh, dropin-check.sh, and
# tools/test/compat-cover.sh). Sourced, not executed; sourcing it starts the
# KTAP stream ("KTAP version 1"). Each case is one line, "ok N NAME",
# "not ok N NAME" (after the tail of its log as "# |" lines) or
# "ok N NAME # SKIP WHY"; hc_finish ends the stream with its plan "1..N".
# check.sh counts the stream with scripts/parse-console.awk -v host=1 (no
# plan: the script did not finish, one failure).
# shellcheck shell=bash disable=SC2034  # hc_last is for the sourcing scripts

hc_n=0
hc_last=
hc_pass=0
hc_fail=0
echo "KTAP version 1"

# hc_ok NAME / hc_not_ok NAME [WHY]: report a case that was run elsewhere
hc_ok() {
	hc_n=$((hc_n + 1))
	hc_pass=$((hc_pass + 1))
	echo "ok $hc_n $1"
}

hc_not_ok() {
	hc_n=$((hc_n + 1))
	hc_fail=$((hc_fail + 1))
	echo "not ok $hc_n $1${2:+ # $2}"
}

# hc_case NAME LOG CMD...: run CMD with its output in LOG; one case. CMD
# (often a function) fails at its first failing command; write negative
# checks as "if X; then false; fi" or "[ ... ]", not "! X". hc_case returns
# 0 and leaves hc_last "ok" or "fail": call it as a plain command, never in
# an "||" or "&&" list or an if condition, where bash ignores set -e in
# everything it runs (background subshells included) and CMD would go on
# past a failing command.
hc_case() {
	local name=$1 logf=$2
	shift 2
	# In the background, so that set -e holds inside CMD (it is ignored
	# for anything run as an if condition, functions included).
	(set -e; "$@") >"$logf" 2>&1 &
	if wait $!; then
		hc_last=ok
		hc_ok "$name"
		return 0
	fi
	hc_last=fail
	echo "# log: ${logf#"${TOP:-}"/}"
	tail -n 25 "$logf" | sed 's/^/# | /'
	hc_not_ok "$name"
}

# hc_skip NAME WHY: a case that cannot run here: skipped, neither passed
# nor failed.
hc_skip() {
	hc_n=$((hc_n + 1))
	echo "ok $hc_n $1 # SKIP $2"
}

# The plan; the status is 0 when no case failed.
hc_finish() {
	echo "1..$hc_n"
	echo "# $hc_pass passed, $hc_fail failed"
	[ "$hc_fail" = 0 ]
}
