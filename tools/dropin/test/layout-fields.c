// SPDX-License-Identifier: MIT
/*
 * The layout table of layout.h's structures, as one header defines them:
 * Debian's <liburing.h> with -DLAYOUT_DEBIAN, else the drop-in's dropin.h.
 * LAYOUT_FN names the table's function.
 */
#ifdef LAYOUT_DEBIAN
#include <liburing.h>
#else
#include "dropin.h"
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
