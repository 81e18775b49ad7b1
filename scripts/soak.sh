#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make soak` (not part of `make check`): soak_test's mixed workload for
# SOAK_MINUTES (default 10) in one VM boot of SOAK_LANE (default 6.1),
# then the usual kernel log, rmmod and kmemleak checks. soak_test prints
# what it did and that nothing was lost.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/guest-run.sh"

lane=${SOAK_LANE:-6.1}
minutes=${SOAK_MINUTES:-10}
[ "$minutes" -le 110 ] || die "SOAK_MINUTES at most 110 (the test's own limit is 2 h)"
secs=$((minutes * 60))

guest_prepare "$lane"
log "soaking lane $lane for $minutes minutes"
rc=0
VM_TIMEOUT=$((secs + 600)) VERBOSE=0 "$TOP/scripts/vm-run.sh" "$lane" run \
	"$(guest_block soak_test "XURING_SOAK_SECS=$secs /tests/soak_test")" || rc=$?
grep -E 'soak: ' "$BUILD/$lane/console.log" | sed 's/^.*soak: /soak: /' || true
exit "$rc"
