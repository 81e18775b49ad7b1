#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make install` / `make uninstall` into staging roots, for each Debian
# kernel's headers, and the man pages: host-side cases for `make check`.
#   - man/: every page renders with `man -l --warnings` and `groff -ww`
#     without a warning, and every .so alias resolves; every libxuring call
#     has a page
#   - install: the files land where they should, depmod -b indexes the
#     module, xuring.pc works with pkg-config for a static and a shared
#     link of a program that then runs (it never opens /dev/xuring)
#   - uninstall: only depmod's index files remain
# Nothing is loaded; DESTDIR is always a directory under build/.
#
# usage: scripts/install-check.sh [LANE...]   (default: 6.1 6.12)
# Prints KTAP (scripts/hostcase.sh): a line per case, the plan last.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/hostcase.sh"
cd "$TOP"

[ $# -gt 0 ] || set -- 6.1 6.12
W=$BUILD/install-check
rm -rf "$W"
mkdir -p "$W/logs"

# Every page alone: man-db's own renderer with warnings on, then groff -ww
# (all warnings) with tbl; any diagnostic fails. Aliases (.so) are followed
# from man/, as man does from a manpath.
man_pages() {
	local f out n=0
	for f in man/man[1-8]/*.[1-8]; do
		[ -f "$f" ] || continue
		n=$((n + 1))
		# an alias is one .so line naming a page that is checked itself
		if grep -q '^\.so ' "$f"; then
			[ "$(wc -l <"$f")" = 1 ] && [ -f "man/$(sed 's/^\.so //' "$f")" ] ||
				{ echo "$f: bad alias"; return 1; }
			continue
		fi
		out=$(cd man && MANWIDTH=80 man --warnings -l "${f#man/}" 2>&1 >/dev/null) ||
			{ echo "$f: man failed"; return 1; }
		[ -z "$out" ] || { echo "$f (man --warnings):"; echo "$out"; return 1; }
		out=$(cd man && groff -t -man -ww -z -Tutf8 "${f#man/}" 2>&1) ||
			{ echo "$f: groff failed"; return 1; }
		[ -z "$out" ] || { echo "$f (groff -ww):"; echo "$out"; return 1; }
		grep -q '^\.SH NAME' "$f" || { echo "$f: no NAME section"; return 1; }
	done
	echo "$n pages"
	[ "$n" -gt 0 ]
}
hc_case "man pages render without warnings" "$W/logs/man.log" man_pages

# Every libxuring call has a page (or a .so alias) named after it: what the
# library exports (lib/libxuring.map), the inline helpers of xuring.h, and
# the xuring_prep_ helpers xuring.h makes from prep-ops.h's XU_PREP(name).
man_coverage() {
	local inc=tools/lib/include/xuring name n=0 missing=0
	while read -r name; do
		n=$((n + 1))
		[ -f "man/man3/$name.3" ] || [ -f "man/man2/$name.2" ] ||
			{ echo "$name: no man/man3/$name.3 or man/man2/$name.2"; missing=$((missing + 1)); }
	done < <({
		sed -n 's/^[[:space:]]*\(xuring_[a-z0-9_]*\);$/\1/p' tools/lib/libxuring.map
		sed -n 's/^static inline .*[ *]\(xuring_[a-z0-9_]*\)(.*/\1/p' "$inc/xuring.h"
		sed -n 's/^static inline .*XU_PREP(\([a-z0-9_]*\))(.*/xuring_prep_\1/p' "$inc/prep-ops.h"
	} | sort -u)
	echo "$n calls, $missing without a page"
	[ "$n" -gt 40 ] && [ "$missing" = 0 ]
}
hc_case "every libxuring call has a man page" "$W/logs/man-coverage.log" man_coverage || true

# VERSION is the version. dkms.conf and the man pages carry copies
# (scripts/set-version.sh writes them); tools/Makefile and install.sh read
# it.
one_version() {
	local ver f bad=0 th
	ver=$(cat VERSION)
	[[ $ver =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "VERSION: '$ver'"; return 1; }
	[ "$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' dkms.conf)" = "$ver" ] ||
		{ echo "dkms.conf: PACKAGE_VERSION is not $ver"; bad=1; }
	for f in man/man[1-8]/*.[1-8]; do
		th=$(grep '^\.TH ' "$f") || continue
		[[ $th == *"\"xuring $ver\""* ]] || { echo "$f: $th"; bad=1; }
	done
	[ "$bad" = 0 ] && echo "$ver everywhere (scripts/set-version.sh fixes the copies)"
}
hc_case "one version (VERSION, dkms.conf, man pages)" "$W/logs/version.log" one_version || true

# A program built only from what was installed, through pkg-config.
cat >"$W/pc-test.c" <<'C'
#include <stdio.h>
#include <string.h>
#include <linux/xuring.h>
#include <xuring/xuring.h>

int main(void)
{
	/* library code that needs no device */
	const char *n = xuring_op_name(XURING_OP_READV);

	if (!n || strcmp(n, "READV"))
		return 1;
	printf("xuring.pc ok: %s\n", n);
	return 0;
}
C

check_installed() {	# root kver
	local root=$1 kver=$2 f pcenv
	for f in "lib/modules/$kver/extra/xuring.ko" usr/include/linux/xuring.h \
		 usr/include/xuring/xuring.h usr/lib/libxuring.a usr/lib/libxuring.so \
		 usr/lib/libxuring.so.0 usr/lib/pkgconfig/xuring.pc \
		 usr/bin/xuring-probe lib/udev/rules.d/60-xuring.rules \
		 usr/lib/xuring/liburing.so.2 usr/bin/xuring-run \
		 usr/share/xuring/manifest; do
		[ -e "$root/$f" ] || { echo "missing $f"; return 1; }
	done
	[ "$(readlink "$root/usr/lib/libxuring.so")" = libxuring.so.0 ]
	# the drop-in liburing is only reached through xuring-run
	[ ! -e "$root/usr/lib/liburing.so.2" ]
	grep -q '^XURING_LIBDIR=${XURING_LIBDIR:-/usr/lib/xuring}$' "$root/usr/bin/xuring-run"
	readlink -e "$root/usr/lib/libxuring.so.0" >/dev/null
	for f in man/man[1-8]/*.[1-8]; do
		[ -e "$root/usr/share/${f}" ] || { echo "missing usr/share/$f"; return 1; }
	done
	grep -q '^KERNEL=="xuring", .*GROUP="xuring", MODE="0660"' \
		"$root/lib/udev/rules.d/60-xuring.rules"
	grep -q '^extra/xuring.ko:' "$root/lib/modules/$kver/modules.dep"
	modinfo -b "$root" -k "$kver" -F vermagic xuring | grep -q "^$kver "
	pcenv=(env PKG_CONFIG_PATH= PKG_CONFIG_LIBDIR="$root/usr/lib/pkgconfig"
	       PKG_CONFIG_SYSROOT_DIR="$root")
	"${pcenv[@]}" pkg-config --exists --print-errors xuring
	[ "$("${pcenv[@]}" pkg-config --modversion xuring)" = "$(cat VERSION)" ]
	# shellcheck disable=SC2046
	gcc -Wall -Werror -o "$W/pc-static" "$W/pc-test.c" \
		$("${pcenv[@]}" pkg-config --cflags xuring) \
		-static $("${pcenv[@]}" pkg-config --libs --static xuring)
	"$W/pc-static"
	# shellcheck disable=SC2046
	gcc -Wall -Werror -o "$W/pc-shared" "$W/pc-test.c" \
		$("${pcenv[@]}" pkg-config --cflags --libs xuring)
	LD_LIBRARY_PATH=$root/usr/lib "$W/pc-shared"
	LD_LIBRARY_PATH=$root/usr/lib ldd "$W/pc-shared" |
		grep "libxuring.so.0 => $root/usr/lib/" ||
		{ LD_LIBRARY_PATH=$root/usr/lib ldd "$W/pc-shared"; false; }
}

check_uninstalled() {	# root kver
	local root=$1 kver=$2 left
	left=$(cd "$root" && find . ! -type d ! -path "./lib/modules/$kver/modules.*")
	[ -z "$left" ] || { echo "left behind:"; echo "$left"; return 1; }
	if grep xuring "$root/lib/modules/$kver/modules.dep"; then
		echo "still in modules.dep"
		return 1
	fi
}

uninstall_and_check() {	# root kver
	make -s uninstall DESTDIR="$1" KVER="$2"
	check_uninstalled "$1" "$2"
}

for lane in "$@"; do
	kver=$(debian_kver "$lane") || { hc_skip "install $lane" "no headers"; continue; }
	root=$W/root-$lane
	hc_case "make install DESTDIR (KVER=$kver)" "$W/logs/install-$lane.log" \
		make -s install DESTDIR="$root" KVER="$kver"
	[ "$hc_last" = ok ] || continue
	hc_case "installed tree usable ($kver)" "$W/logs/check-$lane.log" \
		check_installed "$root" "$kver"
	hc_case "make uninstall DESTDIR ($kver)" "$W/logs/uninstall-$lane.log" \
		uninstall_and_check "$root" "$kver"
done
hc_finish
