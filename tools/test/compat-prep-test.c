// SPDX-License-Identifier: MIT
/*
 * compat-prep-test: every prep helper of xuring/liburing.h fills the same
 * 64 bytes as liburing 2.3's, from SQEs pre-filled with a pattern (so the
 * fields a helper leaves alone, user_data above all, must match too). Also
 * checks the constants the compat header maps against liburing's values.
 * Host only: no ring is set up.
 */
#include <stdio.h>
#include <string.h>

#include <xuring/liburing.h>

#define MAX_SQES 128

unsigned int xuring_test_prep_liburing(void *mem);

static unsigned int prep_compat(void *mem)
{
	struct io_uring_sqe *sqes = mem;
	unsigned int nprep;
#define S(i) (&sqes[i])
#include "prep-calls.h"
#undef S
	return nprep;
}

_Static_assert(sizeof(struct io_uring_sqe) == 64, "SQE size");
_Static_assert(sizeof(struct io_uring_cqe) == 16, "CQE size");

int main(void)
{
	static struct io_uring_sqe a[MAX_SQES], b[MAX_SQES];
	unsigned int na, nb, i, bad = 0;

	memset(a, 0xa5, sizeof(a));
	memset(b, 0xa5, sizeof(b));
	na = prep_compat(a);
	nb = xuring_test_prep_liburing(b);
	if (na != nb || na > MAX_SQES) {
		printf("not ok: %u vs %u SQEs prepared\n", na, nb);
		return 1;
	}
	for (i = 0; i < na; i++) {
		if (memcmp(&a[i], &b[i], sizeof(a[i]))) {
			const unsigned char *x = (const void *)&a[i];
			const unsigned char *y = (const void *)&b[i];
			unsigned int j;

			printf("not ok: SQE %u (opcode %u) differs:", i, a[i].opcode);
			for (j = 0; j < 64; j++)
				if (x[j] != y[j])
					printf(" [%u] %02x/%02x", j, x[j], y[j]);
			printf("\n");
			bad++;
		}
	}
	printf("compat-prep: %u SQEs compared, %u differ\n", na, bad);
	return bad ? 1 : 0;
}
