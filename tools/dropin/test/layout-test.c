// SPDX-License-Identifier: MIT
/*
 * Host case: the drop-in's ring structures (libxuring's struct xuring and
 * its SQE and CQE) and their neighbours are laid out exactly as Debian's
 * liburing.h lays out struct io_uring and the rest (offset and size of
 * every field, size and alignment of every structure). Prints a case line per row that
 * differs, then "ok"/"FAIL layout: N rows".
 */
#include <stdio.h>
#include <string.h>

#include "layout.h"

const struct layout_row *layout_debian(void);
const struct layout_row *layout_dropin(void);

int main(void)
{
	const struct layout_row *d = layout_debian(), *x = layout_dropin();
	int i, bad = 0;

	for (i = 0; d[i].name; i++) {
		if (!x[i].name || strcmp(d[i].name, x[i].name)) {
			printf("  table mismatch at row %d\n", i);
			return 1;
		}
		if (d[i].offset != x[i].offset || d[i].size != x[i].size ||
		    d[i].align != x[i].align) {
			printf("  %s: Debian offset %zu size %zu align %zu, drop-in offset %zu size %zu align %zu\n",
			       d[i].name, d[i].offset, d[i].size, d[i].align,
			       x[i].offset, x[i].size, x[i].align);
			bad++;
		}
	}
	printf("%s layout: %d rows compared, %d differ\n", bad ? "FAIL" : "ok",
	       i, bad);
	return bad ? 1 : 0;
}
