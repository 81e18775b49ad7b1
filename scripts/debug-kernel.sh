#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the debug lane's kernel (tinyconfig + scripts/debug.config) from
# /usr/src/linux-source-6.1.tar.xz into build/debug-kernel/, cached.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

tarballs=(/usr/src/linux-source-6.1.tar.*)
TARBALL=${TARBALL:-${tarballs[0]}}
FRAGMENT=$TOP/scripts/debug.config
JOBS=${JOBS:-$(nproc)}
STAMP=$DEBUG_DIR/config.stamp
LOGF=$DEBUG_DIR/build.log

[ -f "$TARBALL" ] || die "linux-source-6.1 tarball not found (run scripts/deps.sh)"
mkdir -p "$DEBUG_DIR"

# The stamp covers the fragment and this script: either changing means rebuild.
want=$(cat "$FRAGMENT" "$0" | sha256sum | cut -d' ' -f1)
if [ -e "$DEBUG_SRC/arch/x86/boot/bzImage" ] && [ -d "$DEBUG_STAGING/lib/modules" ] &&
   [ "$(cat "$STAMP" 2>/dev/null)" = "$want" ]; then
	log "debug kernel up to date ($DEBUG_SRC/arch/x86/boot/bzImage)"
	exit 0
fi
rm -f "$STAMP"

start=$SECONDS
if [ ! -e "$DEBUG_SRC/.extracted" ]; then
	log "extracting $TARBALL"
	rm -rf "$DEBUG_SRC"
	tar -C "$DEBUG_DIR" -xf "$TARBALL"
	[ -e "$DEBUG_SRC/Makefile" ] || die "tarball did not contain linux-source-6.1/"
	touch "$DEBUG_SRC/.extracted"
fi

kmake() {
	make -C "$DEBUG_SRC" ARCH=x86_64 "$@"
}

log "configuring: tinyconfig + ${FRAGMENT#"$TOP"/}"
kmake -s tinyconfig >"$LOGF" 2>&1
(cd "$DEBUG_SRC" && ./scripts/kconfig/merge_config.sh -m .config "$FRAGMENT") >>"$LOGF" 2>&1
kmake -s olddefconfig >>"$LOGF" 2>&1

# Every line of the fragment must have survived olddefconfig: a dependency that
# silently dropped KASAN or lockdep would make this lane a lie.
bad=0
while IFS= read -r line; do
	case $line in
	CONFIG_*=*)
		grep -qxF -- "$line" "$DEBUG_SRC/.config" || { echo "  wanted $line, got: $(grep -E "^(# )?${line%%=*}[= ]" "$DEBUG_SRC/.config" || echo 'absent')" >&2; bad=1; }
		;;
	"# CONFIG_"*" is not set")
		opt=${line#\# }
		opt=${opt%% *}
		if grep -qE "^$opt=" "$DEBUG_SRC/.config"; then
			echo "  wanted $opt unset, got: $(grep -E "^$opt=" "$DEBUG_SRC/.config")" >&2
			bad=1
		fi
		;;
	esac
done <"$FRAGMENT"
[ "$bad" = 0 ] || die "olddefconfig dropped options from ${FRAGMENT#"$TOP"/} (see above)"

log "building bzImage + modules with -j$JOBS (log: ${LOGF#"$TOP"/})"
if ! kmake -j"$JOBS" bzImage modules >>"$LOGF" 2>&1; then
	tail -n 40 "$LOGF" >&2
	die "debug kernel build failed"
fi
rm -rf "$DEBUG_STAGING"
kmake -s INSTALL_MOD_PATH="$DEBUG_STAGING" modules_install >>"$LOGF" 2>&1
echo "$want" >"$STAMP"
log "debug kernel $(cat "$DEBUG_SRC/include/config/kernel.release") built in $((SECONDS - start))s"
