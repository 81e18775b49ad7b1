#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The version lives in VERSION. What cannot read it at build or install
# time carries a copy: dkms.conf (dkms wants a literal PACKAGE_VERSION) and
# every man page's .TH line. This rewrites the copies from VERSION, or sets
# a new version first; scripts/install-check.sh fails while they differ.
#
# usage: scripts/set-version.sh [NEW_VERSION]
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
cd "$TOP"

if [ $# = 1 ]; then
	[[ $1 =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "version must be N.N.N, not '$1'"
	echo "$1" >VERSION
fi
ver=$(cat VERSION)
sed -i "s/^PACKAGE_VERSION=\".*\"$/PACKAGE_VERSION=\"$ver\"/" dkms.conf
for f in man/man[1-8]/*.[1-8]; do
	grep -q '^\.TH ' "$f" || continue	# a .so alias
	sed -i "s/^\(\.TH [^ ]* [^ ]* [^ ]* \)\"xuring [^\"]*\"/\1\"xuring $ver\"/" "$f"
done
log "version $ver in dkms.conf and man/"
