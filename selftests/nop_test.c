// SPDX-License-Identifier: GPL-2.0
/*
 * NOP: user_data round-trips, many NOPs over several submits, partial
 * submits, and the same through libxuring and liburing.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <liburing.h>
#include <xuring/xuring.h>

#include "kselftest_harness.h"
#include "xtest.h"

XT_SCENARIO(user_data)
{
	static const uint64_t uds[] = {
		0, 1, ~0ULL, 0x8000000000000000ULL, 0x7fffffffffffffffULL,
		0xdeadbeefcafef00dULL, 0x00000000ffffffffULL,
		0xffffffff00000000ULL,
	};
	struct xuring_cqe cqe;
	struct xuring_sqe *sqe;
	struct xt_ring r;
	unsigned int i;

	XT_RING(&r, kind, 8, NULL);
	/* one at a time */
	for (i = 0; i < ARRAY_SIZE(uds); i++) {
		sqe = xt_get_sqe(&r);
		ASSERT_NE(NULL, sqe);
		xt_prep(sqe, XURING_OP_NOP, -1, NULL, 0, 0, uds[i]);
		ASSERT_EQ(0, xt_submit_one(&r, &cqe));
		EXPECT_EQ(uds[i], cqe.user_data);
		EXPECT_EQ(0, cqe.res);
		EXPECT_EQ(0U, cqe.flags);
		xt_rec(log, cqe.res, "one%u.res", i);
		xt_rec(log, cqe.flags, "one%u.flags", i);
		xt_rec(log, cqe.user_data == uds[i], "one%u.ud", i);
	}
	/* all in one batch: same order back */
	for (i = 0; i < ARRAY_SIZE(uds); i++) {
		sqe = xt_get_sqe(&r);
		ASSERT_NE(NULL, sqe);
		xt_prep(sqe, XURING_OP_NOP, -1, NULL, 0, 0, uds[i]);
	}
	ASSERT_EQ((int)ARRAY_SIZE(uds), xt_submit_and_wait(&r, ARRAY_SIZE(uds)));
	for (i = 0; i < ARRAY_SIZE(uds); i++) {
		ASSERT_EQ(0, xt_peek_cqe(&r, &cqe));
		EXPECT_EQ(uds[i], cqe.user_data);
		EXPECT_EQ(0, cqe.res);
		xt_rec(log, cqe.user_data == uds[i], "batch%u.ud", i);
	}
	EXPECT_EQ(-EAGAIN, xt_peek_cqe(&r, &cqe));
	xt_ring_exit(&r);
}

TEST(user_data_round_trips)
{
	XT_DIFF(user_data);
}

XT_SCENARIO(many)
{
	const unsigned int total = 5000;
	struct xuring_cqe cqe;
	struct xt_ring r;
	unsigned int sent = 0, got = 0, bad = 0, batch;
	int ret;

	XT_RING(&r, kind, 8, NULL);
	while (got < total) {
		batch = total - sent < 8 ? total - sent : 8;
		ASSERT_EQ(0, xt_queue_nops(&r, batch, sent));
		sent += batch;
		ret = xt_submit_and_wait(&r, batch ? batch : 1);
		ASSERT_EQ((int)batch, ret);
		while (!xt_peek_cqe(&r, &cqe)) {
			bad += cqe.user_data != got || cqe.res != 0;
			got++;
		}
	}
	EXPECT_EQ(total, sent);
	EXPECT_EQ(total, got);
	EXPECT_EQ(0U, bad);
	EXPECT_EQ(total, *r.sq_head);
	EXPECT_EQ(total, *r.cq_tail);
	EXPECT_EQ(0U, *r.sq_dropped);
	EXPECT_EQ(0U, *r.cq_overflow);
	xt_rec(log, got, "got");
	xt_rec(log, bad, "bad");
	xt_rec(log, *r.sq_head, "sq_head");
	xt_rec(log, *r.cq_tail, "cq_tail");
	xt_ring_exit(&r);
}

TEST(many_nops_over_many_submits)
{
	XT_DIFF(many);
}

XT_SCENARIO(partial_submit)
{
	struct xuring_cqe cqe;
	struct xt_ring r;
	unsigned int i;
	int ret;

	XT_RING(&r, kind, 8, NULL);
	/* 8 queued, submitted 3 + 0 + 4 + 1 */
	ASSERT_EQ(0, xt_queue_nops(&r, 8, 0));
	xt_flush(&r);
	ret = xt_enter(&r, 3, 0, 0);
	EXPECT_EQ(3, ret);
	EXPECT_EQ(3U, *r.sq_head);
	xt_rec(log, ret, "ret3");
	ret = xt_enter(&r, 0, 0, 0);
	EXPECT_EQ(0, ret);
	ret = xt_enter(&r, 4, 0, 0);
	EXPECT_EQ(4, ret);
	EXPECT_EQ(7U, *r.sq_head);
	/* asking for more than is queued submits what is there */
	ret = xt_enter(&r, 100, 0, 0);
	EXPECT_EQ(1, ret);
	xt_rec(log, ret, "ret100");
	ret = xt_enter(&r, 0xffffffffU, 0, 0);
	EXPECT_EQ(0, ret);
	xt_rec(log, ret, "retmax");
	EXPECT_EQ(8U, xt_cq_ready(&r));
	for (i = 0; i < 8; i++) {
		ASSERT_EQ(0, xt_peek_cqe(&r, &cqe));
		EXPECT_EQ(i, cqe.user_data);
	}
	xt_ring_exit(&r);
}

TEST(partial_and_oversized_submits)
{
	XT_DIFF(partial_submit);
}

XT_SCENARIO(full_sq)
{
	struct xt_ring r;
	unsigned int round;
	int ret;

	XT_RING(&r, kind, 16, NULL);
	for (round = 0; round < 4; round++) {
		/* the whole SQ in one go, into a CQ that has room for it */
		ASSERT_EQ(0, xt_queue_nops(&r, 16, round * 16));
		EXPECT_EQ(NULL, xt_get_sqe(&r));
		ret = xt_submit_and_wait(&r, 16);
		EXPECT_EQ(16, ret);
		xt_rec(log, ret, "round%u", round);
		EXPECT_EQ(16U, xt_cq_ready(&r));
		*r.cq_head += 16;
	}
	xt_ring_exit(&r);
}

TEST(whole_sq_in_one_submit)
{
	XT_DIFF(full_sq);
}

XT_SCENARIO(reuse_slots)
{
	struct xuring_cqe cqe;
	struct xuring_sqe *sqe;
	struct xt_ring r;
	unsigned int i;

	/* SUBMIT_STABLE: an SQE slot may be rewritten right after enter */
	XT_RING(&r, kind, 1, NULL);
	for (i = 0; i < 50; i++) {
		sqe = xt_get_sqe(&r);
		ASSERT_NE(NULL, sqe);
		xt_prep(sqe, XURING_OP_NOP, -1, NULL, 0, 0, i);
		ASSERT_EQ(1, xt_submit(&r));
		memset(sqe, 0xff, sizeof(*sqe));
		ASSERT_EQ(0, xt_wait_cqe(&r, &cqe));
		EXPECT_EQ(i, cqe.user_data);
		EXPECT_EQ(0, cqe.res);
	}
	xt_rec(log, *r.sq_head, "sq_head");
	xt_ring_exit(&r);
}

TEST(one_entry_ring_reused)
{
	XT_DIFF(reuse_slots);
}

/* The same NOP flow through the two libraries. */
TEST(libxuring_matches_liburing)
{
	struct xuring ring;
	struct xuring_cqe *cqe;
	struct io_uring uring;
	struct io_uring_cqe *ucqe;
	int xres[16], ures[16];
	unsigned long long xud[16], uud[16];
	unsigned int i;
	int ret;

	XT_NEED_XURING();
	ret = xuring_queue_init(8, &ring, 0);
	ASSERT_EQ(0, ret) TH_LOG("xuring_queue_init: %s", strerror(-ret));
	for (i = 0; i < 16; i++) {
		struct xuring_sqe *sqe = xuring_get_sqe(&ring);

		if (!sqe) {
			ASSERT_EQ(8, xuring_submit(&ring));
			sqe = xuring_get_sqe(&ring);
		}
		ASSERT_NE(NULL, sqe);
		xuring_prep_nop(sqe);
		xuring_sqe_set_data64(sqe, 1000 + i);
	}
	ASSERT_EQ(8, xuring_submit_and_wait(&ring, 16));
	for (i = 0; i < 16; i++) {
		ASSERT_EQ(0, xuring_wait_cqe(&ring, &cqe));
		xres[i] = cqe->res;
		xud[i] = cqe->user_data;
		EXPECT_EQ(0U, cqe->flags);
		xuring_cqe_seen(&ring, cqe);
	}
	EXPECT_EQ(-EAGAIN, xuring_peek_cqe(&ring, &cqe));
	xuring_queue_exit(&ring);
	for (i = 0; i < 16; i++) {
		EXPECT_EQ(0, xres[i]);
		EXPECT_EQ(1000ULL + i, xud[i]);
	}

	XT_NATIVE_OR_SKIP();
	ASSERT_EQ(0, io_uring_queue_init(8, &uring, 0));
	for (i = 0; i < 16; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&uring);

		if (!sqe) {
			ASSERT_EQ(8, io_uring_submit(&uring));
			sqe = io_uring_get_sqe(&uring);
		}
		ASSERT_NE(NULL, sqe);
		io_uring_prep_nop(sqe);
		io_uring_sqe_set_data64(sqe, 1000 + i);
	}
	ASSERT_EQ(8, io_uring_submit_and_wait(&uring, 16));
	for (i = 0; i < 16; i++) {
		ASSERT_EQ(0, io_uring_wait_cqe(&uring, &ucqe));
		ures[i] = ucqe->res;
		uud[i] = ucqe->user_data;
		io_uring_cqe_seen(&uring, ucqe);
	}
	io_uring_queue_exit(&uring);
	for (i = 0; i < 16; i++) {
		EXPECT_EQ(ures[i], xres[i]);
		EXPECT_EQ(uud[i], xud[i]);
	}
}

TEST(nop_ignores_fd_and_buffer_fields)
{
	struct xuring_cqe cqe;
	struct xuring_sqe *sqe;
	struct xt_ring r;

	/* 5.10's NOP prep reads nothing but the common fields */
	XT_NEED_XURING();
	XT_RING(&r, XT_XURING, 4, NULL);
	sqe = xt_get_sqe(&r);
	ASSERT_NE(NULL, sqe);
	xt_prep(sqe, XURING_OP_NOP, 12345, (void *)0x10, 999, 77, 5);
	ASSERT_EQ(0, xt_submit_one(&r, &cqe));
	EXPECT_EQ(5ULL, (unsigned long long)cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	xt_ring_exit(&r);
}

XT_SCENARIO(max_ring)
{
	struct xt_ring r;
	unsigned int i, bad = 0;
	int ret;

	/* the largest ring, its whole SQ in one enter */
	XT_RING(&r, kind, 32768, NULL);
	ASSERT_EQ(65536U, r.p.cq_entries);
	ASSERT_EQ(0, xt_queue_nops(&r, 32768, 0));
	ret = xt_submit_and_wait(&r, 32768);
	EXPECT_EQ(32768, ret);
	EXPECT_EQ(32768U, xt_cq_ready(&r));
	for (i = 0; i < 32768; i++)
		bad += r.cqes[i].user_data != i || r.cqes[i].res;
	EXPECT_EQ(0U, bad);
	xt_rec(log, ret, "ret");
	xt_rec(log, bad, "bad");
	xt_ring_exit(&r);
}

TEST(largest_ring_in_one_submit)
{
	XT_DIFF(max_ring);
}

TEST_HARNESS_MAIN
