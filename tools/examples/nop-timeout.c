// SPDX-License-Identifier: MIT
/*
 * NOP and TIMEOUT tester written to liburing's API. Prints what each step
 * got, in a form that does not depend on timing, so that a build against
 * liburing (native io_uring) and one against xuring's liburing-compatible
 * header can be compared byte for byte.
 *
 * usage: nop-timeout [-T]
 *   -T  leave out the timeout part (used where one side lacks TIMEOUT)
 * Without -T, a ring whose probe does not list TIMEOUT gets the NOP part
 * and a line saying the timeout part was skipped; the exit status is 0.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <liburing.h>

#define ENTRIES	8
#define NOPS	100

static int failures;

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		printf("FAIL: " __VA_ARGS__);				\
		printf("\n");						\
		failures++;						\
	}								\
} while (0)

static const char *err_name(int err)
{
	switch (err) {
	case 0:			return "0";
	case -ETIME:		return "-ETIME";
	case -EAGAIN:		return "-EAGAIN";
	case -ECANCELED:	return "-ECANCELED";
	case -ENOENT:		return "-ENOENT";
	case -EINVAL:		return "-EINVAL";
	case -EOPNOTSUPP:	return "-EOPNOTSUPP";
	default:		return "other";
	}
}

static void nop_part(struct io_uring *ring)
{
	unsigned char seen[NOPS] = { 0 };
	unsigned int queued = 0, reaped = 0, bad = 0, i;
	struct io_uring_cqe *cqe;
	int ret, marker;

	/* get_sqe hands out exactly the ring's entries, then NULL. */
	for (i = 0; io_uring_get_sqe(ring); i++)
		;
	printf("get_sqe: %u entries before NULL\n", i);
	/* ... and those, made NOPs (user_data 1000 + k), go in one submit. */
	{
		unsigned int head;
		struct io_uring_sqe *sqe;

		head = ring->sq.sqe_tail - ENTRIES;
		for (i = 0; i < ENTRIES; i++) {
			sqe = &ring->sq.sqes[(head + i) & ring->sq.ring_mask];
			io_uring_prep_nop(sqe);
			io_uring_sqe_set_data64(sqe, 1000 + i);
		}
	}
	printf("sq_ready: %u, space_left: %u\n", io_uring_sq_ready(ring),
	       io_uring_sq_space_left(ring));
	ret = io_uring_submit_and_wait(ring, ENTRIES);
	printf("submit_and_wait(%d): %d\n", ENTRIES, ret);
	printf("cq_ready: %u\n", io_uring_cq_ready(ring));
	{
		unsigned int head, n = 0;
		unsigned long long sum = 0;

		io_uring_for_each_cqe(ring, head, cqe) {
			sum += io_uring_cqe_get_data64(cqe);
			bad += cqe->res != 0;
			n++;
		}
		io_uring_cq_advance(ring, n);
		printf("for_each_cqe: %u CQEs, user_data sum %llu, %u bad\n",
		       n, sum, bad);
	}

	/* NOPS NOPs through a small ring, in batches as room allows. */
	while (reaped < NOPS) {
		struct io_uring_cqe *batch[ENTRIES];
		unsigned int n;

		while (queued < NOPS) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

			if (!sqe)
				break;
			/* As in liburing 2.3, prep leaves user_data be. */
			io_uring_sqe_set_data64(sqe, queued);
			io_uring_prep_nop(sqe);
			queued++;
		}
		ret = io_uring_submit_and_wait(ring, 1);
		CHECK(ret >= 0, "submit_and_wait: %d", ret);
		if (ret < 0)
			return;
		n = io_uring_peek_batch_cqe(ring, batch, ENTRIES);
		for (i = 0; i < n; i++) {
			__u64 ud = io_uring_cqe_get_data64(batch[i]);

			if (ud >= NOPS || seen[ud] || batch[i]->res != 0)
				bad++;
			else
				seen[ud] = 1;
		}
		io_uring_cq_advance(ring, n);
		reaped += n;
	}
	printf("nop: %u queued, %u reaped, %u bad\n", queued, reaped, bad);

	/* Pointer user data round trip, and an empty ring's peek. */
	cqe = NULL;
	{
		struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

		io_uring_prep_nop(sqe);
		io_uring_sqe_set_data(sqe, &marker);
		io_uring_submit(ring);
		ret = io_uring_wait_cqe(ring, &cqe);
		printf("wait_cqe: %s, data %s\n", err_name(ret),
		       ret == 0 && io_uring_cqe_get_data(cqe) == &marker ?
		       "round-tripped" : "lost");
		if (ret == 0)
			io_uring_cqe_seen(ring, cqe);
	}
	ret = io_uring_peek_cqe(ring, &cqe);
	printf("peek_cqe on an empty CQ ring: %s\n", err_name(ret));
}

static void timeout_part(struct io_uring *ring)
{
	struct __kernel_timespec short_ts = { .tv_sec = 0, .tv_nsec = 20000000 };
	struct __kernel_timespec long_ts = { .tv_sec = 30, .tv_nsec = 0 };
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	int ret, i, res[3];

	/* Nothing pending: the wait times out. */
	ret = io_uring_wait_cqe_timeout(ring, &cqe, &short_ts);
	printf("wait_cqe_timeout, nothing pending: %s\n", err_name(ret));

	/* A NOP pending: the wait returns it. */
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_nop(sqe);
	io_uring_sqe_set_data64(sqe, 7);
	io_uring_submit(ring);
	ret = io_uring_wait_cqe_timeout(ring, &cqe, &long_ts);
	printf("wait_cqe_timeout, NOP pending: %s, user_data %llu\n",
	       err_name(ret), ret ? 0ULL : (unsigned long long)cqe->user_data);
	if (!ret)
		io_uring_cqe_seen(ring, cqe);

	/* A TIMEOUT SQE that expires. */
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_timeout(sqe, &short_ts, 0, 0);
	io_uring_sqe_set_data64(sqe, 1);
	io_uring_submit(ring);
	ret = io_uring_wait_cqe(ring, &cqe);
	printf("timeout 20ms: wait %s, res %s\n", err_name(ret),
	       ret ? "-" : err_name(cqe->res));
	if (!ret)
		io_uring_cqe_seen(ring, cqe);

	/* A TIMEOUT SQE removed before it fires. */
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_timeout(sqe, &long_ts, 0, 0);
	io_uring_sqe_set_data64(sqe, 1);
	io_uring_submit(ring);
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_timeout_remove(sqe, 1, 0);
	io_uring_sqe_set_data64(sqe, 2);
	io_uring_submit(ring);
	res[1] = res[2] = 1;
	for (i = 0; i < 2; i++) {
		ret = io_uring_wait_cqe(ring, &cqe);
		if (ret)
			break;
		if (cqe->user_data == 1 || cqe->user_data == 2)
			res[cqe->user_data] = cqe->res;
		io_uring_cqe_seen(ring, cqe);
	}
	printf("timeout_remove: timeout %s, remove %s\n", err_name(res[1]),
	       err_name(res[2]));

	/* submit_and_wait_timeout with enough NOPs to beat a long timeout. */
	for (i = 0; i < 2; i++) {
		sqe = io_uring_get_sqe(ring);
		io_uring_prep_nop(sqe);
		io_uring_sqe_set_data64(sqe, 10 + i);
	}
	ret = io_uring_submit_and_wait_timeout(ring, &cqe, 2, &long_ts, NULL);
	printf("submit_and_wait_timeout(2 NOPs): %d\n", ret);
	/* (cq_ready may count a kernel-internal CQE here: not printed) */
	for (i = 0; i < 2; i++) {
		ret = io_uring_wait_cqe(ring, &cqe);
		if (ret)
			break;
		res[i] = (int)cqe->user_data;
		io_uring_cqe_seen(ring, cqe);
	}
	printf("reaped user_data %d %d\n", res[0], res[1]);
	/* Nothing left over: the internal timeout CQE is never handed out. */
	ret = io_uring_peek_cqe(ring, &cqe);
	printf("after the NOPs: peek_cqe %s\n", err_name(ret));
}

int main(int argc, char **argv)
{
	struct io_uring_probe *probe;
	struct io_uring ring;
	int no_timeout = argc > 1 && !strcmp(argv[1], "-T");
	int ret;

	if (argc > 2 || (argc == 2 && !no_timeout)) {
		fprintf(stderr, "usage: nop-timeout [-T]\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	ret = io_uring_queue_init(ENTRIES, &ring, 0);
	if (ret < 0) {
		fprintf(stderr, "queue_init: %s\n", strerror(-ret));
		return 1;
	}
	probe = io_uring_get_probe_ring(&ring);
	if (!probe) {
		fprintf(stderr, "get_probe_ring failed\n");
		return 1;
	}
	printf("probe: NOP %s\n",
	       io_uring_opcode_supported(probe, IORING_OP_NOP) ? "yes" : "no");

	nop_part(&ring);

	if (no_timeout)
		printf("timeout: not run (-T)\n");
	else if (!io_uring_opcode_supported(probe, IORING_OP_TIMEOUT))
		printf("timeout: skipped: this ring does not support IORING_OP_TIMEOUT\n");
	else
		timeout_part(&ring);

	io_uring_free_probe(probe);
	io_uring_queue_exit(&ring);
	printf("%s\n", failures ? "FAILED" : "done");
	return failures ? 1 : 0;
}
