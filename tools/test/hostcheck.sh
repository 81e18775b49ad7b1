#!/bin/sh
# SPDX-License-Identifier: MIT
# Run libxuring and the tools against the host's native io_uring (see
# test/native-shim.c), plus checks on the built library files.
#   hostcheck.sh HOSTCHECK_DIR BUILD_DIR
set -u
hc=$1
build=$2
fail=0
pass=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); echo "ok $1"; }
bad() { fail=$((fail + 1)); echo "not ok $1"; }
t() { name=$1; shift; if "$@"; then ok "$name"; else bad "$name"; fi; }

t lib-test "$hc/lib-test"

# The shared library exports xuring_* only, and carries its soname.
exports_only_xuring() {
	nm -D --defined-only "$build/lib/libxuring.so" |
		awk '$2 ~ /^[TDBRW]$/ { print $3 }' | sed 's/@.*//' |
		grep -v '^xuring_' >"$tmp/extra"
	[ ! -s "$tmp/extra" ] || { cat "$tmp/extra"; return 1; }
	nm -D --defined-only "$build/lib/libxuring.so" | grep -q ' T xuring_submit@'
}
t so-exports exports_only_xuring
t so-soname sh -c "readelf -d '$build/lib/libxuring.so' | grep -q 'SONAME.*libxuring.so.0'"
t static-bins sh -c "for b in '$build'/bin/*; do file \"\$b\" | grep -q 'statically linked' || exit 1; done"

t probe sh -c "'$hc/xuring-probe' >'$tmp/probe.txt' && grep -q '22 READ  *yes' '$tmp/probe.txt'"
if command -v python3 >/dev/null; then
	t probe-json sh -c "'$hc/xuring-probe' --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"ops\"][0][\"supported\"]'"
fi

# xuring-cat against cat(1) on files of awkward sizes, several depths.
head -c 0 /dev/urandom >"$tmp/empty"
head -c 1 /dev/urandom >"$tmp/one"
head -c 131072 /dev/urandom >"$tmp/block"
head -c 1000003 /dev/urandom >"$tmp/odd"
cat_same() {	# cat_same "XURING-CAT OPTIONS" FILE...
	opts=$1
	shift
	# shellcheck disable=SC2086
	"$hc/xuring-cat" $opts "$@" >"$tmp/out" || return 1
	cat "$@" | cmp -s - "$tmp/out"
}
for d in 1 3 8; do
	t "cat-depth-$d" cat_same "-d $d" "$tmp/empty" "$tmp/one" "$tmp/block" "$tmp/odd"
done
t cat-small-bs cat_same "-b 4093 -d 5" "$tmp/odd" "$tmp/one"
t cat-procfs cat_same "" /proc/self/mounts /proc/version
t cat-stdin-pipe sh -c "cat '$tmp/odd' | '$hc/xuring-cat' | cmp -s - '$tmp/odd'"
cat "$tmp/one" "$tmp/odd" "$tmp/one" >"$tmp/exp"
t cat-stdin-dash sh -c "'$hc/xuring-cat' '$tmp/one' - '$tmp/one' <'$tmp/odd' | cmp -s - '$tmp/exp'"
t cat-read-error sh -c "! '$hc/xuring-cat' /proc/self/mem >/dev/null 2>'$tmp/err' && grep -q 'mem: ' '$tmp/err'"
t cat-missing sh -c "! '$hc/xuring-cat' '$tmp/one' '$tmp/nope' '$tmp/one' >'$tmp/out' 2>'$tmp/err' && grep -q nope '$tmp/err' && [ \$(wc -c <'$tmp/out') = 2 ]"
t cat-dir sh -c "! '$hc/xuring-cat' '$tmp' >/dev/null 2>&1"

t sidebyside sh -c "'$hc/xuring-sidebyside' -n 20000 >'$tmp/sbs' && grep -q 'all CQEs match' '$tmp/sbs'"

# The liburing-compatible header: prep helpers byte for byte, no io_uring_*
# symbol left for the linker, and the examples built both ways (liburing on
# native io_uring; xuring/liburing.h with the shim, so native too) agree.
t compat-prep "$hc/compat-prep-test"
no_io_uring_syms() {
	for o in "$build"/obj/examples/*.xuring.o "$build"/obj/lib/static/*.o; do
		nm "$o" | grep -E ' [TUDBRW] _*io_uring' && return 1
	done
	return 0
}
t compat-no-io_uring-symbols no_io_uring_syms
head -c 300007 /dev/urandom >"$tmp/cpsrc"
ex_same() {	# ex_same NAME ARGS...: same stdout from both builds
	ex=$1
	shift
	"$build/bin/liburing-example-$ex" "$@" >"$tmp/ex.lib" 2>/dev/null || return 1
	"$hc/xuring-example-$ex" "$@" >"$tmp/ex.xu" 2>/dev/null || return 1
	cmp -s "$tmp/ex.lib" "$tmp/ex.xu"
}
t example-cat ex_same cat "$tmp/odd" "$tmp/empty" "$tmp/one" "$tmp/block"
cat "$tmp/odd" "$tmp/one" >"$tmp/exp2"
t example-cat-content sh -c "'$hc/xuring-example-cat' '$tmp/odd' '$tmp/one' | cmp -s - '$tmp/exp2'"
t example-cp sh -c "'$hc/xuring-example-cp' '$tmp/cpsrc' '$tmp/cpdst' >/dev/null && cmp -s '$tmp/cpsrc' '$tmp/cpdst'"
t example-nop-timeout ex_same nop-timeout

echo "hostcheck: $pass passed, $fail failed"
[ "$fail" = 0 ]
