// SPDX-License-Identifier: MIT
/* The reference half of compat-prep-test: prep-calls.h through liburing.h. */
#include <stdint.h>
#include <sys/socket.h>
#include <liburing.h>

unsigned int xuring_test_prep_liburing(void *mem);

unsigned int xuring_test_prep_liburing(void *mem)
{
	struct io_uring_sqe *sqes = mem;
	unsigned int nprep;
#define S(i) (&sqes[i])
#include "prep-calls.h"
#undef S
	return nprep;
}
