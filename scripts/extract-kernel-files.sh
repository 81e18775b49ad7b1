#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Extract, from Debian's linux-source-6.1, the few kernel files the project
# uses but never commits: the kselftest harness (build/kselftest/) and
# checkpatch with its data files (build/checkpatch/). Idempotent.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

declare -A want=(
	[tools/testing/selftests/kselftest_harness.h]=kselftest
	[tools/testing/selftests/kselftest.h]=kselftest
	[scripts/checkpatch.pl]=checkpatch
	[scripts/spelling.txt]=checkpatch
	[scripts/const_structs.checkpatch]=checkpatch
)

missing=()
for f in "${!want[@]}"; do
	[ -s "$BUILD/${want[$f]}/${f##*/}" ] || missing+=("$f")
done
[ ${#missing[@]} -gt 0 ] || exit 0

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -e "$DEBUG_SRC/.extracted" ]; then
	# the debug kernel's tree is already unpacked: no need to read the tarball
	for f in "${missing[@]}"; do
		install -D "$DEBUG_SRC/$f" "$tmp/linux-source-6.1/$f"
	done
else
	tarballs=(/usr/src/linux-source-6.1.tar.*)
	[ -f "${tarballs[0]}" ] || die "linux-source-6.1 not installed (run scripts/deps.sh)"
	tar -C "$tmp" -xf "${tarballs[0]}" "${missing[@]/#/linux-source-6.1/}"
fi
for f in "${missing[@]}"; do
	install -D -m "$([[ $f == *.pl ]] && echo 0755 || echo 0644)" \
		"$tmp/linux-source-6.1/$f" "$BUILD/${want[$f]}/${f##*/}"
done
log "extracted ${#missing[@]} file(s) into ${BUILD#"$TOP"/}/{kselftest,checkpatch}"
