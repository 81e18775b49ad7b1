#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Pack build/LANE/initramfs.cpio.gz: busybox, /init (scripts/guest-init.sh),
# the lane's xuring.ko, configfs/null_blk/brd for that kernel, the selftests
# (every executable in build/selftests/bin/ -> /tests/, and selftests/settings
# -> /tests/settings), the tools
# (every executable in build/tools/bin/ -> /usr/bin/) and, when built, the
# drop-in liburing with what its test runs (build/dropin/: the library in
# /usr/lib/xuring, xuring-run, no-io-uring, the examples in
# /usr/libexec/xuring-dropin, tools/dropin/test/dropin_test.sh as
# /tests/dropin_test; plocate and qemu-img when installed on the host).
#
# usage: scripts/mkinitramfs.sh LANE
# env:   SELFTESTS_BIN, TOOLS_BIN  other directories to take the binaries from
#        XURING_KO  another xuring.ko to pack (e.g. dkms's, build/dkms/LANE/)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

[ $# = 1 ] || die "usage: $0 LANE"
lane=$1
lane_env "$lane"
BUSYBOX=${BUSYBOX:-/bin/busybox}
KO=${XURING_KO:-$LANE_DIR/mod/xuring.ko}
STAGE=$LANE_DIR/initramfs
OUT=$LANE_DIR/initramfs.cpio.gz

[ -e "$KO" ] || die "$KO missing (run scripts/build-module.sh $lane)"
ldd "$BUSYBOX" >/dev/null 2>&1 && die "$BUSYBOX is dynamic; install busybox-static"

rm -rf "$STAGE"
mkdir -p "$STAGE"/{bin,sbin,usr/bin,usr/sbin,etc,lib/modules,tests,dev,proc,sys,tmp,root}
cp "$BUSYBOX" "$STAGE/bin/busybox"
"$BUSYBOX" --list-full | while IFS= read -r applet; do
	[ -e "$STAGE/$applet" ] || ln -s /bin/busybox "$STAGE/$applet"
done
install -m 0755 "$TOP/scripts/guest-init.sh" "$STAGE/init"
# The kernel opens /dev/console for init before anything is mounted.
mknod -m 600 "$STAGE/dev/console" c 5 1 2>/dev/null || true

cat >"$STAGE/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat >"$STAGE/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
EOF
echo "LANE=$lane" >"$STAGE/etc/xuring.conf"
echo "KO_FROM=${KO#"$TOP"/}" >>"$STAGE/etc/xuring.conf"

cp "$KO" "$STAGE/lib/modules/xuring.ko"

# Debian 6.12 ships compressed modules; the guest's insmod wants plain .ko.
for rel in fs/configfs/configfs drivers/block/null_blk/null_blk drivers/block/brd; do
	name=${rel##*/}
	src=
	for ext in ko ko.xz ko.zst ko.gz; do
		if [ -e "$MODDIR/kernel/$rel.$ext" ]; then
			src=$MODDIR/kernel/$rel.$ext
			break
		fi
	done
	if [ -z "$src" ]; then
		grep -qs "/$name.ko" "$MODDIR/modules.builtin" ||
			echo "mkinitramfs: warning: $name.ko not found for $KVER; tests needing it will skip" >&2
		continue
	fi
	case $src in
	*.xz) xz -dc "$src" ;;
	*.zst) zstd -qdc "$src" ;;
	*.gz) gzip -dc "$src" ;;
	*) cat "$src" ;;
	esac >"$STAGE/lib/modules/$name.ko"
done

# Copy an executable; if it is dynamic, bring its loader and libraries along.
add_exe() {
	local src=$1 dst=$2 lib
	install -m 0755 "$src" "$dst"
	readelf -l "$src" 2>/dev/null | grep -q 'program interpreter' || return 0
	echo "mkinitramfs: note: ${src#"$TOP"/} is dynamic, packing its libraries" >&2
	for lib in $(ldd "$src" | grep -oE '/[^ ]+'); do
		[ -e "$STAGE$lib" ] || install -D "$lib" "$STAGE$lib"
	done
}

count_exes() {	# dir dest -> number packed
	local dir=$1 dest=$2 f n=0
	[ -d "$dir" ] || { echo 0; return; }
	for f in "$dir"/*; do
		{ [ -f "$f" ] && [ -x "$f" ]; } || continue
		add_exe "$f" "$STAGE$dest/${f##*/}"
		n=$((n + 1))
	done
	echo "$n"
}
ntests=$(count_exes "${SELFTESTS_BIN:-$BUILD/selftests/bin}" /tests)
# per-binary time limits, read by guest-init as kselftest's runner reads them
install -m 0644 "$TOP/selftests/settings" "$STAGE/tests/settings"
ntools=$(count_exes "${TOOLS_BIN:-$BUILD/tools/bin}" /usr/bin)

# The drop-in liburing.so.2 and the unmodified programs its test runs,
# dynamic ones with their libraries (Debian's liburing.so.2 among them).
DROPIN=${DROPIN_BUILD:-$BUILD/dropin}
dropin=none
if [ -e "$DROPIN/lib/liburing.so.2" ]; then
	install -D -m 0755 "$DROPIN/lib/liburing.so.2" "$STAGE/usr/lib/xuring/liburing.so.2"
	sed 's|@LIBDIR@|/usr/lib/xuring|' "$TOP/tools/dropin/xuring-run.sh" >"$STAGE/usr/bin/xuring-run"
	chmod 0755 "$STAGE/usr/bin/xuring-run"
	add_exe "$DROPIN/bin/no-io-uring" "$STAGE/usr/bin/no-io-uring"
	mkdir -p "$STAGE/usr/libexec/xuring-dropin"
	for f in "$DROPIN"/examples/*; do
		[ -x "$f" ] && add_exe "$f" "$STAGE/usr/libexec/xuring-dropin/${f##*/}"
	done 2>/dev/null
	install -m 0755 "$TOP/tools/dropin/test/dropin_test.sh" "$STAGE/tests/dropin_test"
	dropin="examples"
	for f in /usr/bin/plocate /usr/sbin/updatedb.plocate /usr/bin/qemu-img; do
		[ -x "$f" ] || continue
		add_exe "$f" "$STAGE$f" 2>/dev/null
		dropin+=" ${f##*/}"
	done
fi

(cd "$STAGE" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc -R 0:0 --quiet) | gzip -1 >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
log "lane $lane: ${OUT#"$TOP"/} ($(du -h "$OUT" | cut -f1); ${KO#"$TOP"/}, $ntests tests, $ntools tools, drop-in: $dropin)"
