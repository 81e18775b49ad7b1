#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make fuzz`: fuzz_test for longer than `make check` runs it, with more
# seeds: FUZZ_SECS in all (default 1800), as runs of at most 200 s, each
# with its own base seed (FUZZ_SEED + run * 1000000), on one boot of
# FUZZ_LANE (default debug: KASAN, UBSAN, lockdep, kmemleak). The kernel log,
# rmmod and kmemleak are checked after the last run. Prints the total of
# operations fuzzed and CQEs checked.
#
# env: FUZZ_SECS, FUZZ_SEED (default 0x5eed0001), FUZZ_LANE, FUZZ_ENV (more
#      variables for fuzz_test, e.g. "XURING_FUZZ_CAMPAIGN_OPS=5000")
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/guest-run.sh"

lane=${FUZZ_LANE:-debug}
secs=${FUZZ_SECS:-1800}
seed=$((${FUZZ_SEED:-0x5eed0001}))
per=200
runs=$(((secs + per - 1) / per))

guest_prepare "$lane"
cmd=
for ((i = 0; i < runs; i++)); do
	s=$((secs - i * per < per ? secs - i * per : per))
	cmd+=$(guest_block "fuzz_test.$i" \
		"XURING_FUZZ_SEED=$((seed + i * 1000000)) XURING_FUZZ_SECS=$s XURING_FUZZ_OPS=1000000000 ${FUZZ_ENV:-} /tests/fuzz_test")
done
log "fuzzing lane $lane for ${secs}s: $runs runs from seed $(printf 0x%x "$seed")"
rc=0
VM_TIMEOUT=$((secs + runs * 60 + 300)) "$TOP/scripts/vm-run.sh" "$lane" run "$cmd" || rc=$?
awk '/# FUZZ-OPS/ { ops += $3; split($4, c, "="); cqes += c[2] }
     END { printf "fuzz: %d operations, %d CQEs checked\n", ops, cqes }' \
	"$BUILD/$lane/console.log"
exit "$rc"
