/* SPDX-License-Identifier: MIT */
/*
 * libxuring internals shared by the library's source files.
 * Only the public header's declarations are exported from libxuring.so.
 */
#ifndef XURING_LIB_INTERNAL_H
#define XURING_LIB_INTERNAL_H

/*
 * The library is built with -fvisibility=hidden; everything declared by the
 * public header gets default visibility, everything else stays internal.
 */
#pragma GCC visibility push(default)
#include <xuring/xuring.h>
#pragma GCC visibility pop

/* Ring index access with the orderings the kernel side expects. */
#define xu_load_acquire(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define xu_store_release(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define xu_read_once(p)		__atomic_load_n((p), __ATOMIC_RELAXED)

#endif /* XURING_LIB_INTERNAL_H */
