#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# dkms.conf, exercised: for each lane's Debian kernel, copy the module's
# source (Kbuild, dkms.conf, module/, uapi/; nothing built) into a fresh
# tree and run `dkms add`, `build`, `install` and `uninstall`/`remove` with
# private trees under build/dkms/ (--dkmstree, --sourcetree, --installtree,
# --no-depmod): nothing lands in /lib/modules or /var/lib/dkms/xuring, and
# nothing is loaded. The install goes into a staging root that
# `depmod -b` indexes. The .ko dkms built is left as build/dkms/LANE/xuring.ko
# for `make check` to boot in that lane's VM (mkinitramfs.sh XURING_KO).
#
# usage: scripts/dkms-check.sh [LANE...]     LANE: 6.1, 6.12 (default both)
# Prints KTAP (scripts/hostcase.sh): a line per case, the plan last.
# Debian's dkms signs what it builds; the first build creates its key pair
# in /var/lib/dkms/mok.{key,pub} (the kernels in the VM do not enforce
# signatures).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/hostcase.sh"

command -v dkms >/dev/null || die "dkms not installed (run scripts/deps.sh)"
[ $# -gt 0 ] || set -- 6.1 6.12

conf_get() {	# VAR: its value in dkms.conf
	sed -n "s/^$1=\"\\(.*\\)\"\$/\\1/p" "$TOP/dkms.conf"
}
PKG=$(conf_get PACKAGE_NAME)
VER=$(conf_get PACKAGE_VERSION)
if [ -z "$PKG" ] || [ -z "$VER" ]; then
	die "dkms.conf has no PACKAGE_NAME/PACKAGE_VERSION"
fi

D=$BUILD/dkms
LOGS=$D/logs
rm -rf "$D"
mkdir -p "$LOGS"
SRCTREE=$D/src
TREE=$D/tree
STAGE=$D/staging
SRC=$SRCTREE/$PKG-$VER
dk=(dkms --dkmstree "$TREE" --sourcetree "$SRCTREE")

# What a user would copy to /usr/src/xuring-VERSION: sources only.
copy_source() {
	mkdir -p "$SRC" "$TREE"
	cp "$TOP/Kbuild" "$TOP/dkms.conf" "$SRC/"
	(cd "$TOP" && find module uapi -type f -name '*.[ch]' -print0 |
		xargs -0 cp --parents -t "$SRC")
	# nothing generated came along
	[ -z "$(find "$SRC" -name '*.o' -o -name '*.ko' -o -name '.*.cmd')" ]
	"${dk[@]}" add "$PKG/$VER"
	"${dk[@]}" status "$PKG/$VER" | grep -q ': added'
}
hc_case "dkms add (clean source copy)" "$LOGS/add.log" copy_source
[ "$hc_last" = ok ] || { hc_finish; exit 1; }

dkms_lane() {	# lane kver
	local lane=$1 kver=$2 base ko
	base=$TREE/$PKG/$VER/$kver/$(uname -m)/module
	# 6.12's config compresses modules: dkms then builds xuring.ko.xz
	build_it() {
		"${dk[@]}" build "$PKG/$VER" -k "$kver"
		ko=$(find "$base" -name "$PKG.ko*" | head -n 1)
		[ -f "$ko" ] || { echo "no $PKG.ko* in $base after dkms build"; return 1; }
		mkdir -p "$D/$lane"
		case $ko in
		*.xz) xz -dc "$ko" ;;
		*.zst) zstd -qdc "$ko" ;;
		*.gz) gzip -dc "$ko" ;;
		*) cat "$ko" ;;
		esac >"$D/$lane/$PKG.ko"
		[ "$(modinfo -F vermagic "$D/$lane/$PKG.ko" | cut -d' ' -f1)" = "$kver" ] ||
			{ echo "vermagic of $ko is not $kver"; return 1; }
		"${dk[@]}" status "$PKG/$VER" -k "$kver" | grep -q ': built'
	}
	install_it() {
		mkdir -p "$STAGE/lib/modules/$kver"
		"${dk[@]}" install --no-depmod --installtree "$STAGE/lib/modules" \
			"$PKG/$VER" -k "$kver"
		# DEST_MODULE_LOCATION says extra/; Debian's dkms 3 puts it in
		# updates/dkms/ whatever it says
		local f ko=
		for f in "$STAGE/lib/modules/$kver"/{extra,updates/dkms}/"$PKG".ko*; do
			if [ -e "$f" ]; then ko=$f; fi
		done
		[ -n "$ko" ] || { echo "no $PKG.ko* in extra/ or updates/dkms/"; false; }
		echo "installed: ${ko#"$STAGE"/}"
		depmod -b "$STAGE" "$kver"
		grep -qE "^(extra|updates/dkms)/$PKG\.ko(\.[a-z]+)?:" \
			"$STAGE/lib/modules/$kver/modules.dep"
		modinfo -b "$STAGE" -k "$kver" -F name "$PKG" | grep -qx "$PKG"
		"${dk[@]}" status "$PKG/$VER" -k "$kver" | grep -q ': installed'
		# the host's own module tree was not touched
		if ls "/lib/modules/$kver/extra/$PKG.ko"* \
		      "/lib/modules/$kver/updates/dkms/$PKG.ko"* 2>/dev/null; then
			echo "dkms installed into the host's /lib/modules"
			false
		fi
	}
	uninstall_it() {
		"${dk[@]}" uninstall --no-depmod --installtree "$STAGE/lib/modules" \
			"$PKG/$VER" -k "$kver"
		if ls "$STAGE/lib/modules/$kver/extra/$PKG.ko"* \
		      "$STAGE/lib/modules/$kver/updates/dkms/$PKG.ko"* 2>/dev/null; then
			echo "still installed"
			false
		fi
		depmod -b "$STAGE" "$kver"
		if grep "$PKG.ko" "$STAGE/lib/modules/$kver/modules.dep"; then
			echo "still in modules.dep"
			false
		fi
	}
	hc_case "dkms build $kver" "$LOGS/build-$lane.log" build_it
	[ "$hc_last" = ok ] || return 0
	hc_case "dkms install $kver (staged, depmod -b)" "$LOGS/install-$lane.log" install_it
	if [ "$hc_last" = ok ]; then
		hc_case "dkms uninstall $kver" "$LOGS/uninstall-$lane.log" uninstall_it
	fi
	return 0
}

for lane in "$@"; do
	case $lane in
	6.1 | 6.12) ;;
	*) hc_skip "dkms $lane" "dkms builds against Debian's headers only"; continue ;;
	esac
	kver=$(debian_kver "$lane") || { hc_skip "dkms $lane" "no headers"; continue; }
	dkms_lane "$lane" "$kver"
done

remove_it() {
	"${dk[@]}" remove "$PKG/$VER" --all
	[ ! -e "$TREE/$PKG/$VER" ]
}
hc_case "dkms remove --all" "$LOGS/remove.log" remove_it
hc_finish
