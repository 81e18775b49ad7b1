#!/bin/bash
# SPDX-License-Identifier: MIT
# compat-cover: everything Debian's liburing.h (2.3, with the liburing/*.h it
# includes) declares, xuring/liburing.h declares too, with the same type,
# value or layout. From the installed header it lists, with gcc:
#   - every macro its files define (gcc -E -dD),
#   - every function, with its prototype (gcc -aux-info),
#   - every struct and its members (anonymous unions flattened), every enum
#     tag and enumerator (a small parser over the preprocessed files),
# then builds against the compat header (tools/lib/include/xuring/compat
# first on the include path, as a liburing program would be built):
#   macros     each macro is defined, each object-like one as liburing.h
#              spells it (a program may repeat the definition);
#   functions  each function exists with a type compatible with Debian's
#              prototype, and the program links against libxuring.a;
#   values     each object-like macro and enumerator has Debian's value;
#   layouts    each struct has Debian's size, each member its offset and
#              size (struct io_uring included: its fields are read by
#              inline code in programs);
#   catches-missing, catches-different  the checks fail, naming the
#              culprit, on copies of the compat headers with a macro, a
#              function, a member, a parameter type, a value or a layout
#              broken.
# Prints KTAP (scripts/hostcase.sh), the plan last (make check counts it).
#   compat-cover.sh [BUILD_DIR]     BUILD_DIR: build/tools (libxuring.a)
# env: LIBURING_H (default /usr/include/liburing.h), CC (gcc), KEEP=1 (leave
#      the generated files in the temporary directory).
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$top/build/tools}
ref_h=${LIBURING_H:-/usr/include/liburing.h}
cc=${CC:-gcc}
libxuring=$build/lib/libxuring.a
tmp=$(mktemp -d)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$tmp"' EXIT

# KTAP, as scripts/hostcase.sh prints it
# shellcheck source-path=SCRIPTDIR/../../scripts source=hostcase.sh
. "$top/scripts/hostcase.sh"
case_() {	# case_ NAME CMD...: one case, its output in $tmp/NAME.log
	local name=$1
	shift
	if "$@" >"$tmp/$name.log" 2>&1; then
		hc_ok "$name"
	else
		tail -n 30 "$tmp/$name.log" | sed 's/^/# | /'
		hc_not_ok "$name"
		return 1
	fi
}

# The files whose declarations count: liburing.h and liburing/*.h. In
# gcc's line markers they appear quoted.
ref_dir=$(dirname "$ref_h")
in_ref='function in_ref(f) { return f == "\"" ref_h "\"" || index(f, "\"" ref_dir "/liburing/") == 1 }'

# --- what Debian's header declares --------------------------------------

extract() {
	[ -r "$ref_h" ] || { echo "no $ref_h (liburing-dev)"; return 1; }
	printf '#include <%s>\n' "$ref_h" >"$tmp/ref.c"
	$cc -E -dD "$tmp/ref.c" >"$tmp/ref.i" || return 1
	$cc -aux-info "$tmp/ref.aux" -c -o "$tmp/ref.o" "$tmp/ref.c" || return 1

	# Macros: "M NAME" (defined), "V NAME" (object-like with a value),
	# "R #define ..." (an object-like macro's definition, as cpp saw it,
	# when it still stands after the header: the system headers redefine
	# _XOPEN_SOURCE).
	$cc -E -dM "$tmp/ref.c" >"$tmp/ref.dm" || return 1
	awk -v ref_h="$ref_h" -v ref_dir="$ref_dir" "$in_ref"'
		FILENAME ~ /ref\.dm$/ { final[$0] = 1; next }
		/^# [0-9]+ "/ { f = $3; next }
		/^#define / && in_ref(f) {
			name = $2
			sub(/\(.*/, "", name)
			print "M " name
			if (name != $2)
				next
			if ($0 in final)
				print "R " $0
			if (NF > 2)
				print "V " name
		}' "$tmp/ref.dm" "$tmp/ref.i" >"$tmp/macros" || return 1

	# Functions: "NAME<TAB>RET (*)(PARAMS)" from gcc's prototypes.
	grep -E "^/\\* ($ref_h|$ref_dir/liburing/[^:]*):" "$tmp/ref.aux" |
		sed -e 's@^/\* [^*]* \*/ @@' -e 's@ /\* (.*$@@' -e 's/;$//' \
		    -e 's/^\(extern\|static\) //' |
		sed -E 's/^(.*[ *])([A-Za-z_][A-Za-z0-9_]*) \((.*)\)$/\2\t\1(*)(\3)/' \
		>"$tmp/funcs" || return 1

	# Structs, members and enums, from the code lines of those files.
	awk -v ref_h="$ref_h" -v ref_dir="$ref_dir" "$in_ref"'
		/^# [0-9]+ "/ { ref = in_ref($3); next }
		/^#/ { next }
		ref { print }' "$tmp/ref.i" |
		grep -oE '[A-Za-z_][A-Za-z0-9_]*|[0-9][0-9A-Za-z_]*|[][{}();,=]' |
		awk -f "$top/tools/test/compat-cover-decls.awk" >"$tmp/decls" ||
		return 1

	echo "$(grep -c '^M ' "$tmp/macros") macros," \
	     "$(wc -l <"$tmp/funcs") functions," \
	     "$(grep -c '^S ' "$tmp/decls") structs," \
	     "$(grep -c '^F ' "$tmp/decls") members," \
	     "$(grep -c '^E ' "$tmp/decls") enumerators"
	# A parser that finds nothing would pass everything.
	[ "$(grep -c '^M ' "$tmp/macros")" -ge 90 ] &&
		[ "$(wc -l <"$tmp/funcs")" -ge 150 ] &&
		[ "$(grep -c '^F ' "$tmp/decls")" -ge 150 ] &&
		[ "$(grep -c '^E ' "$tmp/decls")" -ge 50 ]
}

# --- the generated checks --------------------------------------------------

generate() {
	# Each macro defined; each object-like one defined again as Debian's
	# header spells it, which is an error (-Werror) unless the two
	# definitions are the same: programs that copy one get no warning.
	{
		echo '#include <liburing.h>'
		sed -n 's/^M \(.*\)/#ifndef \1\n#error "macro \1 missing"\n#endif/p' "$tmp/macros"
		sed -n 's/^R //p' "$tmp/macros"
	} >"$tmp/cover-macros.c"

	{
		echo '#include <liburing.h>'
		echo '#define FN(f, type) _Static_assert(__builtin_types_compatible_p(__typeof__(&f), type), #f ": not liburing 2.3'"'"'s prototype");'
		awk -F '\t' '{ print "FN(" $1 ", " $2 ")" }' "$tmp/funcs"
		echo 'void (*const cover_fns[])(void) = {'
		awk -F '\t' '{ print "\t(void (*)(void))" $1 "," }' "$tmp/funcs"
		echo '};'
		echo 'int main(void) { return !cover_fns[0]; }'
	} >"$tmp/cover-funcs.c"

	# One table of numbers, built against each header from the same list.
	{
		sed -n 's/^V \(.*\)/V(\1)/p' "$tmp/macros"
		sed -n 's/^E \(.*\)/V(\1)/p' "$tmp/decls"
		sed -n 's/^[ST] \(.*\)/Z(\1)/p' "$tmp/decls"
		awk '$1 == "F" { printf "%s(%s %s, %s)\n", ($5 == "flex" ? "O" : "L"), $2, $3, $4 }' \
			"$tmp/decls"
	} >"$tmp/cover-table.h"
	cat >"$tmp/cover-table.c" <<'EOF'
#include <stddef.h>
#include <liburing.h>
#include "cover-entry.h"
/* V: a value; Z: a type's size; L: a member's offset and size; O: the
 * offset of a flexible array member (it has no size). */
#define V(n)		{ 'v', #n, (unsigned long long)(n) },
#define Z(t)		{ 'l', "sizeof(" #t ")", sizeof(t) },
#define O(t, m)		{ 'l', "offsetof(" #t ", " #m ")", offsetof(t, m) },
#define L(t, m)		O(t, m) { 'l', "sizeof(" #t "." #m ")", sizeof(((t *)0)->m) },
const struct cover_entry COVER_TABLE[] = {
#include "cover-table.h"
	{ 0, NULL, 0 }
};
EOF
	cat >"$tmp/cover-entry.h" <<'EOF'
struct cover_entry { char kind; const char *what; unsigned long long v; };
extern const struct cover_entry cover_ref[], cover_xu[];
EOF
	cat >"$tmp/cover-main.c" <<'EOF'
#include <stdio.h>
#include "cover-entry.h"
/* cover-vals KIND: compare the entries of one kind ('v' or 'l'). */
int main(int argc, char **argv)
{
	unsigned int i, n = 0, bad = 0;

	for (i = 0; cover_ref[i].what; i++) {
		if (argc < 2 || cover_ref[i].kind != argv[1][0])
			continue;
		n++;
		if (cover_ref[i].v != cover_xu[i].v) {
			printf("differs: %s: liburing %llu, xuring %llu\n",
			       cover_ref[i].what, cover_ref[i].v, cover_xu[i].v);
			bad++;
		}
	}
	printf("%u compared, %u differ\n", n, bad);
	return bad || !n;
}
EOF
}

# check_* INCDIR: build one check against the compat header found in INCDIR
# (tools/lib/include, or a broken copy of it).
compat_cc() {	# compat_cc INCDIR ARGS...
	local inc=$1
	shift
	$cc -std=gnu11 -Wall -Werror=implicit-function-declaration \
		-I"$inc/xuring/compat" -I"$inc" -I"$top/uapi" "$@"
}

check_macros() {
	compat_cc "$1" -Werror -c -o "$tmp/cover-macros.o" "$tmp/cover-macros.c"
}

check_functions() {
	compat_cc "$1" -o "$tmp/cover-funcs" "$tmp/cover-funcs.c" "$libxuring" &&
		"$tmp/cover-funcs"
}

build_vals() {
	$cc -c -DCOVER_TABLE=cover_ref -I"$tmp" \
		-o "$tmp/cover-ref.o" "$tmp/cover-table.c" &&
	compat_cc "$1" -c -DCOVER_TABLE=cover_xu -I"$tmp" \
		-o "$tmp/cover-xu.o" "$tmp/cover-table.c" &&
	$cc -o "$tmp/cover-vals" "$tmp/cover-main.c" -I"$tmp" \
		"$tmp/cover-ref.o" "$tmp/cover-xu.o"
}

check_values() {
	build_vals "$1" && "$tmp/cover-vals" v
}

check_layouts() {
	build_vals "$1" && "$tmp/cover-vals" l
}

# broken_copy DIR: a copy of the compat headers in DIR, for the edits below.
broken_copy() {
	mkdir -p "$1"
	cp -r "$top/tools/lib/include/xuring" "$1/"
}

# run_broken DIR CHECK...: every CHECK must fail against the headers in DIR.
run_broken() {
	local inc=$1 c r=0
	shift
	cmp -s "$inc/xuring/liburing.h" "$top/tools/lib/include/xuring/liburing.h" &&
		cmp -s "$inc/xuring/liburing-io_uring.h" \
			"$top/tools/lib/include/xuring/liburing-io_uring.h" &&
		{ echo "the broken copy did not change"; return 1; }
	for c in "$@"; do
		if "$c" "$inc" >"$tmp/broken-$c.log" 2>&1; then
			echo "$c passed on a broken header"
			r=1
		fi
	done
	return $r
}

# One of each kind of declaration missing or mistyped: the checks fail,
# and name what is wrong.
catches_missing() {
	local inc=$tmp/missing
	broken_copy "$inc"
	sed -i -e '/#define IORING_SETUP_SINGLE_ISSUER/d' \
		-e 's/__u64	big_cqe\[\];/__u64 big_cqe_gone[];/' \
		"$inc/xuring/liburing-io_uring.h"
	sed -i -e 's/^io_uring_recvmsg_payload_length(/xuring_gone(/' \
		-e '/^static inline void io_uring_prep_mkdir(/,/^}/s/mode_t mode)/int mode)/' \
		"$inc/xuring/liburing.h"
	run_broken "$inc" check_macros check_functions check_values check_layouts ||
		return 1
	if ! grep -q 'IORING_SETUP_SINGLE_ISSUER' "$tmp/broken-check_macros.log" ||
	   ! grep -q 'io_uring_recvmsg_payload_length' "$tmp/broken-check_functions.log" ||
	   ! grep -q 'io_uring_prep_mkdir' "$tmp/broken-check_functions.log" ||
	   ! grep -q 'big_cqe' "$tmp/broken-check_layouts.log"; then
		echo "a broken declaration went unnamed"
		return 1
	fi
}

# A value and a layout that differ, everything still declared.
catches_different() {
	local inc=$tmp/different
	broken_copy "$inc"
	sed -i 's/^#define IORING_FEAT_EXT_ARG\t*(1U << 8)/#define IORING_FEAT_EXT_ARG (1U << 9)/' \
		"$inc/xuring/liburing-io_uring.h"
	sed -i '/^struct io_uring {/,/^}/s/__u8 pad\[3\];/__u8 pad[7];/' \
		"$inc/xuring/liburing.h"
	run_broken "$inc" check_values check_layouts || return 1
	if ! grep -q 'differs: IORING_FEAT_EXT_ARG' "$tmp/broken-check_values.log" ||
	   ! grep -q 'differs: offsetof(struct io_uring, pad2)' "$tmp/broken-check_layouts.log"; then
		echo "a difference went unnamed"
		return 1
	fi
}

inc=$top/tools/lib/include
if case_ extract extract; then
	sed 's/^/# /' "$tmp/extract.log"
	generate
	case_ macros check_macros "$inc"
	case_ functions check_functions "$inc"
	case_ values check_values "$inc"
	case_ layouts check_layouts "$inc"
	case_ catches-missing catches_missing
	case_ catches-different catches_different
fi
hc_finish
