#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build xuring.ko for one lane with W=1 (and sparse with --sparse), in
# build/LANE/mod/, failing on any warning or unresolved symbol.
#
# usage: scripts/build-module.sh [--sparse] LANE      (LANE: 6.1, 6.12, debug)
# env:   XURING_SRC  tree holding Kbuild, module/, uapi/ (default: this repo)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

sparse=0
if [ "${1:-}" = --sparse ]; then
	sparse=1
	shift
fi
[ $# = 1 ] || die "usage: $0 [--sparse] LANE"
lane=$1
lane_env "$lane"
SRC=${XURING_SRC:-$TOP}
MOD=$LANE_DIR/mod

{ [ -f "$SRC/Kbuild" ] && [ -d "$SRC/module" ]; } || die "no Kbuild + module/ in $SRC"
[ -e "$KDIR/Makefile" ] || die "no kernel build tree at $KDIR"

# M= builds write their objects next to the sources, so build in a copy.
# cp -p keeps mtimes, so unchanged files are not rebuilt; sources that vanished
# from the tree are removed from the copy.
mkdir -p "$MOD"
for d in module uapi; do
	[ -d "$MOD/$d" ] || continue
	(cd "$MOD" && find "$d" -type f \( -name '*.[ch]' -o -name Makefile \) -print) |
	while IFS= read -r f; do
		[ -e "$SRC/$f" ] || rm -f "$MOD/$f"
	done
done
cp -p "$SRC/Kbuild" "$MOD/"
for d in module uapi; do
	[ -d "$SRC/$d" ] && cp -pR "$SRC/$d" "$MOD/"
done

args=(W=1)
if [ "$sparse" = 1 ]; then
	command -v sparse >/dev/null || die "sparse not installed (run scripts/deps.sh)"
	args+=(C=2)	# C=2: check every source, not only the ones recompiled
fi

logf=$LANE_DIR/module-build.log
log "building xuring.ko for lane $lane ($KVER) ${args[*]}"
rc=0
make -C "$KDIR" M="$MOD" "${args[@]}" modules >"$logf" 2>&1 || rc=$?
cat "$logf"

# Debian's headers print the compiler banner; anything else saying warning,
# or a symbol modpost cannot resolve, fails the build.
problems=$(grep -Ei 'warning|error|undefined!' "$logf" || true)
[ "$rc" = 0 ] || die "lane $lane: module build failed (make rc=$rc)"
[ -z "$problems" ] || die "lane $lane: module build printed warnings:"$'\n'"$problems"
[ -e "$MOD/xuring.ko" ] || die "lane $lane: build produced no xuring.ko"
log "lane $lane: ${MOD#"$TOP"/}/xuring.ko ok"
