# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the rig scripts: paths and per-lane kernel lookup.
# Sourced, not executed. Lanes: 6.1 and 6.12 (Debian's kernels), debug (our own 6.1).
# shellcheck shell=bash disable=SC2034  # variables are for the sourcing scripts

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
DEBUG_DIR=$BUILD/debug-kernel
DEBUG_SRC=$DEBUG_DIR/linux-source-6.1
DEBUG_STAGING=$DEBUG_DIR/staging

die() {
	echo "${0##*/}: $*" >&2
	exit 1
}

log() {
	echo "==> $*" >&2
}

# Newest installed Debian kernel whose release starts with $1 (e.g. 6.1 -> 6.1.0-56-amd64).
debian_kver() {
	local series=$1 d best=
	for d in /usr/src/linux-headers-"$series".*-amd64; do
		[ -e "$d/Makefile" ] || continue
		best+="${d#/usr/src/linux-headers-}"$'\n'
	done
	[ -n "$best" ] || return 1
	printf '%s' "$best" | sort -V | tail -n 1
}

# Sets KVER, KDIR (tree to build modules against), KIMAGE (bzImage), MODDIR
# (a lib/modules/KVER directory holding configfs, null_blk, brd) for lane $1.
lane_env() {
	case $1 in
	6.1 | 6.12)
		KVER=$(debian_kver "$1") || die "no linux-headers for $1 in /usr/src (run scripts/deps.sh)"
		KDIR=/usr/src/linux-headers-$KVER
		KIMAGE=/boot/vmlinuz-$KVER
		MODDIR=/lib/modules/$KVER
		;;
	debug)
		KDIR=$DEBUG_SRC
		KIMAGE=$KDIR/arch/x86/boot/bzImage
		[ -e "$KIMAGE" ] || die "debug kernel not built (run scripts/debug-kernel.sh)"
		KVER=$(cat "$KDIR/include/config/kernel.release")
		MODDIR=$DEBUG_STAGING/lib/modules/$KVER
		;;
	*)
		die "unknown lane '$1' (want 6.1, 6.12 or debug)"
		;;
	esac
	LANE_DIR=$BUILD/$1
}
