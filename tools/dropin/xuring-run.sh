#!/bin/sh
# SPDX-License-Identifier: MIT
# xuring-run [-b auto|native|xuring] [-d] CMD [ARG...]
# Run an unmodified liburing program on the drop-in liburing.so.2, which
# uses native io_uring where the kernel allows it and /dev/xuring where
# io_uring_setup(2) is refused (ENOSYS, EPERM, EACCES). See xuring-run(1).
XURING_LIBDIR=${XURING_LIBDIR:-@LIBDIR@}

usage() {
	echo "usage: xuring-run [-b auto|native|xuring] [-d] CMD [ARG...]" >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	-b)
		[ $# -ge 2 ] || usage
		case $2 in auto | native | xuring) ;; *) usage ;; esac
		XURING_BACKEND=$2
		export XURING_BACKEND
		shift 2
		;;
	-d)
		XURING_DEBUG=1
		export XURING_DEBUG
		shift
		;;
	-h | --help) usage ;;
	--)
		shift
		break
		;;
	*) break ;;
	esac
done
[ $# -ge 1 ] || usage
[ -e "$XURING_LIBDIR/liburing.so.2" ] || {
	echo "xuring-run: $XURING_LIBDIR/liburing.so.2 is missing" >&2
	exit 127
}
LD_LIBRARY_PATH=$XURING_LIBDIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export LD_LIBRARY_PATH
exec "$@"
