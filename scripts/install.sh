#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make install` / `make uninstall`. Installs, under DESTDIR (default /):
#   /lib/modules/KVER/extra/xuring.ko       then depmod (-b DESTDIR if staged)
#   PREFIX/include/linux/xuring.h           the uapi header
#   PREFIX/include/xuring/*.h               libxuring's headers
#   LIBDIR/libxuring.{a,so.VERSION} + libxuring.so.0, libxuring.so
#   LIBDIR/pkgconfig/xuring.pc
#   PREFIX/bin/xuring-*                     the tools in build/tools/bin
#   DROPINDIR/liburing.so.2                 the drop-in liburing (tools/dropin), in a
#                                           directory of its own: never on the loader's
#                                           path, so the system's liburing stays in use
#   PREFIX/bin/xuring-run                   runs a program on it (LD_LIBRARY_PATH)
#   MANDIR/man{1,2,3,7}/*                   man/
#   UDEVDIR/60-xuring.rules                 group "xuring" gets rw on /dev/xuring
# and records every file in PREFIX/share/xuring/manifest, which uninstall
# reads back. Nothing is ever loaded: no modprobe, no udevadm trigger.
# Installing to / (no DESTDIR) also creates the system group "xuring" and runs
# ldconfig; uninstall leaves the group.
#
# usage: scripts/install.sh install|uninstall
# env:   DESTDIR, PREFIX (/usr), LIBDIR (PREFIX/lib), INCLUDEDIR, BINDIR,
#        MANDIR (PREFIX/share/man), UDEVDIR (/lib/udev/rules.d),
#        DROPINDIR (LIBDIR/xuring),
#        KVER (uname -r), KDIR (/lib/modules/KVER/build),
#        KO (install this xuring.ko instead of building one), MODULE=0 (none)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

[ $# = 1 ] || die "usage: $0 install|uninstall"
action=$1
DESTDIR=${DESTDIR:-}
DESTDIR=${DESTDIR%/}
PREFIX=${PREFIX:-/usr}
LIBDIR=${LIBDIR:-$PREFIX/lib}
INCLUDEDIR=${INCLUDEDIR:-$PREFIX/include}
BINDIR=${BINDIR:-$PREFIX/bin}
MANDIR=${MANDIR:-$PREFIX/share/man}
DROPINDIR=${DROPINDIR:-$LIBDIR/xuring}
UDEVDIR=${UDEVDIR:-/lib/udev/rules.d}
KVER=${KVER:-$(uname -r)}
KDIR=${KDIR:-/lib/modules/$KVER/build}
MODULE=${MODULE:-1}
MANIFEST=$PREFIX/share/xuring/manifest
VERSION=$(cat "$TOP/VERSION")
[ -n "$VERSION" ] || die "VERSION is empty"

staged() { [ -n "$DESTDIR" ]; }

run_depmod() {
	[ -d "$DESTDIR/lib/modules/$KVER" ] || return 0
	if staged; then
		# a staging root has no modules.order/builtin: say nothing about it
		depmod -b "$DESTDIR" "$KVER" 2>&1 |
			{ grep -v 'WARNING: could not open modules\.' || true; } >&2
	else
		depmod -a "$KVER"
	fi
}

# The module for KVER, built in a copy of the sources (M= writes next to them).
build_module() {
	local out=$BUILD/install/$KVER d
	[ -e "$KDIR/Makefile" ] || die "no kernel build tree at $KDIR (linux-headers-$KVER?)"
	rm -rf "$out"
	mkdir -p "$out"
	cp "$TOP/Kbuild" "$out/"
	for d in module uapi; do cp -R "$TOP/$d" "$out/"; done
	make -s -C "$KDIR" M="$out" modules >&2
	echo "$out/xuring.ko"
}

do_install() {
	local files=() f src dst ko
	# inst MODE SRC DST: DST is the path on the target system
	inst() {
		install -D -m "$1" "$2" "$DESTDIR$3"
		files+=("$3")
	}
	link() {	# TARGET NAME
		ln -sfn "$1" "$DESTDIR$2"
		files+=("$2")
	}

	make -s -C "$TOP/tools" >&2
	if [ "$MODULE" = 1 ]; then
		ko=${KO:-$(build_module)}
		inst 0644 "$ko" "/lib/modules/$KVER/extra/xuring.ko"
	fi
	inst 0644 "$TOP/uapi/linux/xuring.h" "$INCLUDEDIR/linux/xuring.h"
	for f in "$TOP"/tools/lib/include/xuring/*.h; do
		inst 0644 "$f" "$INCLUDEDIR/xuring/${f##*/}"
	done
	inst 0644 "$BUILD/tools/lib/libxuring.a" "$LIBDIR/libxuring.a"
	src=$(readlink -f "$BUILD/tools/lib/libxuring.so")
	inst 0755 "$src" "$LIBDIR/${src##*/}"
	link "${src##*/}" "$LIBDIR/libxuring.so.0"
	link libxuring.so.0 "$LIBDIR/libxuring.so"
	mkdir -p "$BUILD/install"
	sed -e "s|@PREFIX@|$PREFIX|; s|@LIBDIR@|$LIBDIR|; s|@INCLUDEDIR@|$INCLUDEDIR|" \
	    -e "s|@VERSION@|$VERSION|" "$TOP/tools/lib/xuring.pc.in" >"$BUILD/install/xuring.pc"
	inst 0644 "$BUILD/install/xuring.pc" "$LIBDIR/pkgconfig/xuring.pc"
	for f in "$BUILD"/tools/bin/xuring-*; do
		[ -x "$f" ] && inst 0755 "$f" "$BINDIR/${f##*/}"
	done
	make -s -C "$TOP/tools/dropin" lib >&2
	inst 0755 "$BUILD/dropin/lib/liburing.so.2" "$DROPINDIR/liburing.so.2"
	sed "s|@LIBDIR@|$DROPINDIR|" "$TOP/tools/dropin/xuring-run.sh" >"$BUILD/install/xuring-run"
	inst 0755 "$BUILD/install/xuring-run" "$BINDIR/xuring-run"
	for f in "$TOP"/man/man[1-8]/*.[1-8]; do
		[ -f "$f" ] || continue
		dst=${f#"$TOP"/man/}
		inst 0644 "$f" "$MANDIR/$dst"
	done
	inst 0644 "$TOP/udev/60-xuring.rules" "$UDEVDIR/60-xuring.rules"

	mkdir -p "$(dirname "$DESTDIR$MANIFEST")"
	printf '%s\n' "${files[@]}" "$MANIFEST" >"$DESTDIR$MANIFEST"
	run_depmod
	if ! staged; then
		getent group xuring >/dev/null || groupadd --system xuring
		ldconfig
	fi
	log "installed ${#files[@]} files under ${DESTDIR:-/} (manifest $MANIFEST)"
	if [ "$MODULE" = 1 ] && ! staged; then
		log "load it with: modprobe xuring   (members of group xuring get /dev/xuring)"
	fi
}

do_uninstall() {
	local f n=0
	[ -f "$DESTDIR$MANIFEST" ] || die "nothing to uninstall: no $DESTDIR$MANIFEST"
	while IFS= read -r f; do
		[ -n "$f" ] || continue
		case $f in /*) ;; *) die "bad manifest line '$f'" ;; esac
		rm -f "$DESTDIR$f"
		n=$((n + 1))
	done <"$DESTDIR$MANIFEST"
	# xuring's own directories, when nothing else is in them
	for f in "$INCLUDEDIR/xuring" "$DROPINDIR" "${MANIFEST%/*}" "/lib/modules/$KVER/extra"; do
		rmdir "$DESTDIR$f" 2>/dev/null || true
	done
	run_depmod
	staged || ldconfig
	log "removed $n files from ${DESTDIR:-/}"
}

case $action in
install) do_install ;;
uninstall) do_uninstall ;;
*) die "usage: $0 install|uninstall" ;;
esac
