#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The test output is KTAP that a standard TAP parser reads: host-side cases
# for `make check`. The parser is Perl's TAP::Parser (the one behind
# `prove`); each stream is also counted by scripts/parse-console.awk, and
# the two must agree.
#   - a saved VM console (scripts/testdata/console-6.1.txt, as vm-run.sh
#     writes build/LANE/console.log) from its "KTAP version 1" line on
#   - a console with a failing binary, a timed-out one, a skipped one and a
#     failing dmesg check (written here)
#   - a host script's stream (scripts/hostcase.sh) with a failing and a
#     skipped case
#
# usage: scripts/ktap-check.sh
# env:   KTAP_SAMPLE=LOG  read another passing console (build/LANE/console.log)
# Prints KTAP (scripts/hostcase.sh): a line per case, the plan last.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/hostcase.sh"
cd "$TOP"

W=$BUILD/ktap-check
rm -rf "$W"
mkdir -p "$W/logs"

# tap_verdict FILE: TAP::Parser's reading of FILE, one line:
# "plan=1..N run=N passed=N failed=N skipped=N good_plan=0|1 errors=N failed_tests=..."
tap_verdict() {
	perl -MTAP::Parser -e '
		local $/;
		open(my $f, "<", $ARGV[0]) or die "$ARGV[0]: $!";
		my $p = TAP::Parser->new({ tap => scalar <$f> });
		while (defined(my $r = $p->next)) { }
		print "error: $_\n" for $p->parse_errors;
		printf "plan=%s run=%d passed=%d failed=%d skipped=%d good_plan=%d errors=%d failed_tests=%s\n",
			$p->plan, $p->tests_run, scalar($p->passed), scalar($p->failed),
			scalar($p->skipped), $p->is_good_plan ? 1 : 0,
			scalar($p->parse_errors), join(",", $p->failed);
	' "$1"
}

# the KTAP stream of a console log: from "KTAP version 1" on, as a CI
# would cut it, without the serial line's carriage returns and escapes
ktap_of() {
	sed 's/\r$//; s/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1bc//g' "$1" |
		sed -n '/^KTAP version 1$/,$p'
}

# expect FILE WANT...: each WANT ("key=value") is in FILE's verdict line
expect() {
	local file=$1 got w
	shift
	got=$(tail -n 1 "$file")
	echo "verdict: $got"
	for w in "$@"; do
		case " $got " in
		*" $w "*) ;;
		*) echo "want $w"; return 1 ;;
		esac
	done
}

saved_console() {
	local src=${KTAP_SAMPLE:-scripts/testdata/console-6.1.txt}
	ktap_of "$src" >"$W/saved.tap"
	[ "$(head -n 1 "$W/saved.tap")" = "KTAP version 1" ]
	tap_verdict "$W/saved.tap" >"$W/saved.verdict"
	cat "$W/saved.verdict"
	expect "$W/saved.verdict" failed=0 good_plan=1 errors=0
	awk -v lane=6.1 -f scripts/parse-console.awk "$src" | tee "$W/saved.awk"
	grep -q '^RESULT pass=[1-9][0-9]* fail=0 ' "$W/saved.awk"
	[ -n "${KTAP_SAMPLE:-}" ] || {
		# nop_test and fsync_test, rmmod, dmesg
		expect "$W/saved.verdict" plan=1..4 run=4 passed=4 &&
			[ "$(tail -n 1 "$W/saved.awk")" = "RESULT pass=15 fail=0 skip=0" ]
	}
}

failing_console() {
	cat >"$W/failing.log" <<'LOG'
[    1.000000] Linux version 6.1.0 (a kernel line before the stream)
KTAP version 1
# xuring guest: lane=6.1 mode=check
1..6
# selftests: xuring: a_test
# TAP version 13
# 1..3
# ok 1 global.x
# ok 2 global.y # SKIP not here
[   12.000000] a kernel line among the binary's
# not ok 3 global.z
# XURING-END a_test rc=1 secs=3
not ok 1 selftests: xuring: a_test # exit=1
# selftests: xuring: b_test
# output without TAP
# XURING-END b_test rc=124 secs=300
#
not ok 2 selftests: xuring: b_test # TIMEOUT 300 seconds
# selftests: xuring: c_test
# XURING-END c_test rc=4 secs=0
ok 3 selftests: xuring: c_test # SKIP
ok 4 rmmod
# XURING-DMESG: --- kernel report after a_test
# XURING-DMESG: WARNING: CPU: 0 PID: 1 at somewhere
ok 5 kmemleak
not ok 6 dmesg # kernel report after a_test
# XURING-RESULT lane=6.1 tests=6 failed=3 uptime=1s
# XURING-DONE
LOG
	ktap_of "$W/failing.log" >"$W/failing.tap"
	tap_verdict "$W/failing.tap" >"$W/failing.verdict"
	expect "$W/failing.verdict" plan=1..6 run=6 passed=3 failed=3 skipped=1 \
		good_plan=1 errors=0 failed_tests=1,2,6
	awk -v lane=6.1 -f scripts/parse-console.awk "$W/failing.log" | tee "$W/failing.awk"
	[ "$(tail -n 1 "$W/failing.awk")" = "RESULT pass=3 fail=3 skip=2" ]
}

host_stream() {
	(
		# shellcheck source-path=SCRIPTDIR
		. "$(dirname "$0")/hostcase.sh"
		hc_ok "a case that passed"
		hc_not_ok "a case that failed"
		hc_skip "a case that cannot run here" "no such thing"
		hc_finish
	) >"$W/host.tap" || true
	cat "$W/host.tap"
	tap_verdict "$W/host.tap" >"$W/host.verdict"
	expect "$W/host.verdict" plan=1..3 run=3 passed=2 failed=1 skipped=1 \
		good_plan=1 errors=0 failed_tests=2
	awk -v host=1 -f scripts/parse-console.awk "$W/host.tap" | tee "$W/host.awk"
	[ "$(tail -n 1 "$W/host.awk")" = "RESULT pass=1 fail=1 skip=1" ]
}

if ! perl -MTAP::Parser -e 1 2>/dev/null; then
	hc_not_ok "Perl's TAP::Parser" "missing (scripts/deps.sh installs perl)"
	hc_finish
	exit 1
fi
hc_case "a saved VM console is KTAP TAP::Parser reads" "$W/logs/saved.log" saved_console
hc_case "failures, a timeout and skips read alike by TAP::Parser and the awk" \
	"$W/logs/failing.log" failing_console
hc_case "a host script's stream is KTAP TAP::Parser reads" "$W/logs/host.log" host_stream
hc_finish
