// SPDX-License-Identifier: MIT
/*
 * The layout table of layout.h's structures, as one header defines them:
 * Debian's <liburing.h> with -DLAYOUT_DEBIAN, else the drop-in's dropin.h
 * (libxuring's struct xuring and xuring_sqe/cqe under liburing's names).
 * LAYOUT_FN names the table's function.
 */
#ifdef LAYOUT_DEBIAN
#include <liburing.h>
#else
#include "dropin.h"
/* the drop-in's names for liburing's ring structures (see dropin.h) */
#define io_uring_sq	xuring_sq
#define io_uring_cq	xuring_cq
#define io_uring	xuring
#define io_uring_sqe	xuring_sqe
#define io_uring_cqe	xuring_cqe
#endif
#include "layout.h"

#define FIELD(s, f) { #s "." #f, offsetof(struct s, f), \
		      sizeof(((struct s *)0)->f), 0 },
#define STRUCT(s) { "struct " #s, 0, sizeof(struct s), _Alignof(struct s) },

static const struct layout_row rows[] = {
	LAYOUT_FIELDS(FIELD)
	LAYOUT_STRUCTS(STRUCT)
	{ NULL, 0, 0, 0 }
};

const struct layout_row *LAYOUT_FN(void)
{
	return rows;
}
